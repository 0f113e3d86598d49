"""The jobs of the `otelcol-aind run` reliability scenarios
(integration/run_reliability_test.go):

    run_reliability_job.py MODE LINES [EXIT]

prints LINES lines "run line 000000" on (stdout, block-buffered as Python
does into a pipe), then:

- lines: exits with EXIT;
- pause: stops after the first half, flushed, creates $JOB_PAUSE_FILE and
  waits until the test removed it, then prints the rest and exits with EXIT;
- kill: flushes and kills itself with SIGKILL (status 137 to a shell);
- sigterm: flushes, creates $JOB_READY_FILE and waits (60 s at most) for
  SIGTERM. Its handler prints "run line sigterm handled", flushes and exits
  with status 143 (128 + SIGTERM, what a shell reports for a job SIGTERM
  ended, so that a run stopped this way is not taken for a success).
"""

import os
import signal
import sys
import time


def lines(start, end):
    for i in range(start, end):
        print("run line %06d" % i)


def wait_while(path_exists, path, seconds):
    deadline = time.monotonic() + seconds
    while os.path.exists(path) == path_exists and time.monotonic() < deadline:
        time.sleep(0.01)


def on_sigterm(signum, frame):
    print("run line sigterm handled")
    sys.stdout.flush()
    sys.exit(143)


def main():
    mode, n = sys.argv[1], int(sys.argv[2])
    status = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    if mode == "lines":
        lines(0, n)
    elif mode == "pause":
        lines(0, n // 2)
        sys.stdout.flush()
        pause = os.environ["JOB_PAUSE_FILE"]
        open(pause, "w").close()
        wait_while(True, pause, 120)
        lines(n // 2, n)
    elif mode == "kill":
        lines(0, n)
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    elif mode == "sigterm":
        signal.signal(signal.SIGTERM, on_sigterm)
        lines(0, n)
        sys.stdout.flush()
        open(os.environ["JOB_READY_FILE"], "w").close()
        time.sleep(60)
        print("run line no sigterm came")
    else:
        sys.exit("unknown mode " + mode)
    sys.exit(status)


if __name__ == "__main__":
    main()
