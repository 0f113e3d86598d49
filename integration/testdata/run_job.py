"""A capsule job written the way AIND capsules are today, for
`otelcol-aind run -- python3 run_job.py` (integration/run_test.go):

- logging.basicConfig(level=DEBUG): Python's default handler on stderr, in
  its default format LEVEL:logger:message;
- print() on stdout;
- a tqdm-style progress bar redrawn with carriage returns;
- one AIND JSON Lines file in AIND_LOG_DIR;
- a password printed by mistake, text that is not ASCII, log.exception()
  inside an except, and an uncaught (chained) exception at the end, so the
  job exits with status 1.

Its stdout and stderr are deterministic (no times, no pids): the test runs it
once without the wrapper and compares. Every line is unique, so the test can
count each one in Loki. The counts below are the test's too (run_test.go).
"""

import datetime
import json
import logging
import os
import sys

PRINTS = 100  # "print 000 ..." lines on stdout
LOGS = 100  # "log 000 ..." logging lines on stderr, every level in turn
JSONL = 100  # "jsonl 000 ..." records in AIND_LOG_DIR/run_job.jsonl
REDRAWS = 50  # the progress bar's states

LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]
JSONL_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

log = logging.getLogger("capsule.job")


def write_jsonl(path):
    now = datetime.datetime.now(datetime.timezone.utc)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(JSONL):
            f.write(json.dumps({
                "timestamp": (now + datetime.timedelta(milliseconds=i)).isoformat(timespec="microseconds"),
                "level": JSONL_LEVELS[i % len(JSONL_LEVELS)],
                "message": "jsonl %03d trial=%d" % (i, i * 7),
                "name": "capsule.jsonl",
                "software_name": "run-job",
                "software_version": "1.0.0",
                "process_name": "run job",
                "subject_id": "123456",
            }, ensure_ascii=False) + "\n")


def progress_bar():
    width = 10
    for i in range(REDRAWS + 1):
        done = width * i // REDRAWS
        bar = "\u2588" * done + " " * (width - done)
        sys.stdout.write("\rprocessing: %3d%%|%s| %d/%d" % (100 * i // REDRAWS, bar, i, REDRAWS))
        sys.stdout.flush()
    sys.stdout.write("\n")


def calibrate():
    raise ValueError("calibration drifted by 3 \u00b5m")


def load_session(sessions):
    return sessions["session 7"]


def main():
    logging.basicConfig(level=logging.DEBUG)
    write_jsonl(os.path.join(os.environ.get("AIND_LOG_DIR", "."), "run_job.jsonl"))

    for i in range(PRINTS):
        print("print %03d trial=%d reward=%.2f" % (i, i * 3, i / 8))
        if i % 2 == 0:
            level = LEVELS[(i // 2) % len(LEVELS)]
            log.log(level, "log %03d level=%s", i // 2, logging.getLevelName(level))
    for i in range(PRINTS // 2, LOGS):
        level = LEVELS[i % len(LEVELS)]
        log.log(level, "log %03d level=%s", i, logging.getLevelName(level))

    progress_bar()

    print("connecting to the database with password=hunter2 as user aind")
    print("units: 5 \u00b5m, 20 M\u03a9, \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8, brain \U0001f9e0")
    log.info("probe impedance 1.2 M\u03a9 at 20 \u00b5m, \u65e5\u672c\u8a9e \U0001f42d")

    try:
        calibrate()
    except ValueError:
        log.exception("calibration failed")

    print("done with the sessions; loading the last one")
    sys.stdout.flush()
    try:
        load_session({})
    except KeyError as e:
        raise RuntimeError("job failed: session 7 is missing") from e


if __name__ == "__main__":
    main()
