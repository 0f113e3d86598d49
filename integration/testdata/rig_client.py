"""A rig program logging to the collector's socket input the way AIND rig
software logs to the legacy SIPE Log Server: Python's own
logging.handlers.SocketHandler, mpetk's custom levels and extra= fields.

    rig_client.py HOST PORT mpetk RUN_ID
        the records of the mapping test (one of each kind), then exit.
    rig_client.py HOST PORT volume RUN_ID PROCESSES RECORDS
        PROCESSES processes at once, each logging RECORDS records
        "RUN_ID p<process> <n>".
    rig_client.py HOST PORT datagram RUN_ID RECORDS
        RECORDS records "RUN_ID <n>" through DatagramHandler (UDP), 1 ms
        apart.
    rig_client.py HOST PORT steady RUN_ID STOP_FILE
        one record "RUN_ID <n>" every 10 ms until STOP_FILE exists; prints
        how many it logged.
"""

import logging
import logging.handlers
import multiprocessing
import os
import sys
import time

# mpetk's levels, between WARNING and ERROR.
RIG_LEVELS = {"START_STOP": 35, "ADMIN": 36, "LIMS": 37, "MTRAIN": 38, "SLIMS": 39}
for name, number in RIG_LEVELS.items():
    logging.addLevelName(number, name)

EXTRA = {
    "rig_name": "NP.1",
    "comp_id": "NP.1-Acq",
    "version": "1.2.3",
    "project": "neuropixels",
    "log_session": "5f0c1e2a",
    "weblog": True,
}


def logger_for(host, port, name):
    handler = logging.handlers.SocketHandler(host, port)
    logger = logging.getLogger(name)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    return logger, handler


def mpetk(host, port, run):
    logger, handler = logger_for(host, port, "camstim.rig")
    extra = dict(EXTRA, subject_id="713491")
    logger.info("%s plain info, µm 漢字 🐭", run, extra=extra)
    logger.log(35, "%s Action, Start, log_session, 5f0c1e2a", run, extra=extra)
    logger.log(37, "%s lims upload queued", run, extra=extra)
    logger.warning({"run": run, "Action": "Stop", "log_session": "5f0c1e2a"}, extra=extra)
    try:
        raise ValueError("bad gain 3.5")
    except ValueError:
        logger.exception("%s acquisition failed", run, extra=extra)
    handler.close()


def volume_worker(host, port, run, process, records):
    logger, handler = logger_for(host, port, "rig.volume")
    for n in range(records):
        logger.info("%s p%d %d", run, process, n, extra={"rig_name": "NP.1"})
    handler.close()


def volume(host, port, run, processes, records):
    workers = [
        multiprocessing.Process(target=volume_worker, args=(host, port, run, p, records))
        for p in range(processes)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
        if w.exitcode != 0:
            sys.exit(w.exitcode)


def steady(host, port, run, stop_file):
    logger, handler = logger_for(host, port, "rig.steady")
    n = 0
    while not os.path.exists(stop_file):
        logger.info("%s %d", run, n, extra={"rig_name": "NP.1"})
        n += 1
        time.sleep(0.01)
    handler.close()
    print(n, flush=True)


def datagram(host, port, run, records):
    handler = logging.handlers.DatagramHandler(host, port)
    logger = logging.getLogger("rig.datagram")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    for n in range(records):
        logger.log(36, "%s %d", run, n, extra={"rig_name": "NP.1"})
        time.sleep(0.001)
    handler.close()


def main():
    host, port, mode, run = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode == "mpetk":
        mpetk(host, port, run)
    elif mode == "volume":
        volume(host, port, run, int(sys.argv[5]), int(sys.argv[6]))
    elif mode == "datagram":
        datagram(host, port, run, int(sys.argv[5]))
    elif mode == "steady":
        steady(host, port, run, sys.argv[5])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
