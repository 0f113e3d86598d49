import logging
import sys

logging.basicConfig(format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
log = logging.getLogger("rig.daq")
try:
    try:
        raise ExceptionGroup("sync failed", [ValueError("a"), TimeoutError("b")])
    except ExceptionGroup as e:
        raise RuntimeError("acquisition aborted") from e
except RuntimeError:
    log.critical("giving up", exc_info=True)
print("WARNING:root:after the traceback", file=sys.stderr)
