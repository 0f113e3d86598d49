"""A capsule job as AIND teams write one: Python's logging, with a JSON
formatter, to a JSON Lines file in AIND_LOG_DIR.

    capsule_job.py LINES SECONDS BURST

writes LINES lines, "line 000000" on: all but the last BURST spread over
SECONDS, then the last BURST at once, and exits with JOB_EXIT (default 0).
With JOB_PAUSE_FILE set, it creates that file before the burst and waits
until it is removed, so that a test can change the world at that moment.
"""

import datetime
import json
import logging
import os
import sys
import time


class AindFormatter(logging.Formatter):
    """One AIND JSON object per record (aind-log-utils' field names)."""

    def format(self, record):
        created = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
        return json.dumps({
            "timestamp": created.isoformat(timespec="microseconds"),
            "level": record.levelname,
            "message": record.getMessage(),
            "name": record.name,
            "lineno": record.lineno,
            "software_name": "capsule-job",
            "subject_id": "123456",
        })


def main():
    lines, seconds, burst = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    handler = logging.FileHandler(os.path.join(os.environ["AIND_LOG_DIR"], "job.jsonl"))
    handler.setFormatter(AindFormatter())
    log = logging.getLogger("capsule.job")
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    paced = lines - burst
    start = time.monotonic()
    for i in range(paced):
        log.info("line %06d", i)
        if i % 100 == 99:
            ahead = start + seconds * (i + 1) / paced - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    pause = os.environ.get("JOB_PAUSE_FILE")
    if pause:
        open(pause, "w").close()
        while os.path.exists(pause):
            time.sleep(0.005)
    for i in range(paced, lines):
        log.info("line %06d", i)
    handler.close()
    sys.exit(int(os.environ.get("JOB_EXIT", "0")))


if __name__ == "__main__":
    main()
