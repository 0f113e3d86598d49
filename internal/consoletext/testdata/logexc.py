import logging
import sys

logging.basicConfig()
log = logging.getLogger("acquisition.camera")
try:
    1/0
except ZeroDivisionError:
    log.exception("frame grab failed")
print("after", file=sys.stderr)
