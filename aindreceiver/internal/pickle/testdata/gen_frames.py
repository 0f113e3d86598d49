#!/usr/bin/python3
"""Writes the fixtures of the pickle package's tests: the frames Python's
logging.handlers.SocketHandler sends (without their 4-byte length prefix)
for realistic log records, at protocols 0 to 5, and next to them the value
the Go decoder must make of each, computed here by Python.

    /usr/bin/python3 gen_frames.py [OUTDIR]     # default: frames/ next to this file

SocketHandler.makePickle always pickles at protocol 1; the other protocols
are made by the same makePickle with pickle.dumps patched to another
protocol. Records are made by a real Logger (or logging.makeLogRecord), then
the fields that change from run to run (times, thread and process ids,
paths) are set to fixed values so that a run on the same Python version
writes the same bytes (the Go test checks the committed files are current).

The expected value, <name>.json, is {"objects": N, "value": V} where V
encodes what the pcommon.Map must hold:
  str               JSON string; surrogates (a run of them) become one U+FFFD
  int               JSON number within int64, else its decimal as a string
  float             {"$float": repr(f)}
  bool, None        JSON true/false, null (an empty pdata value)
  bytes, bytearray  {"$bytes": base64}
  list, tuple, set, frozenset   JSON array, in pickled order
  dict              JSON object; keys: str as is, int decimal, bytes as text,
                    True/False/None as "True"/"False"/"None"
  other objects     {"$object": "module.Name"}: the string "<module.Name object>"
and N counts the objects.
"""
import base64
import datetime
import json
import logging
import logging.handlers
import os
import pathlib
import pickle
import re
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    # Set iteration order depends on string hashing: fix it to make the
    # frames reproducible.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "frames")

_real_dumps = pickle.dumps


class Capture(logging.handlers.SocketHandler):
    """A SocketHandler that keeps its frames instead of sending them."""

    def __init__(self):
        super().__init__("localhost", 1)  # never connected
        self.frames = []
        self.records = []

    def emit(self, record):
        fix_record(record)
        self.records.append(record)
        self.frames.append({p: frame_at(self, record, p) for p in range(6)})


def frame_at(handler, record, proto):
    logging.handlers.pickle.dumps = lambda obj, _proto: _real_dumps(obj, proto)
    try:
        frame = handler.makePickle(record)
    finally:
        logging.handlers.pickle.dumps = _real_dumps
    assert int.from_bytes(frame[:4], "big") == len(frame) - 4
    return frame[4:]


def fix_record(record):
    record.created = 1717171717.123456
    record.msecs = 123.0
    record.relativeCreated = 4567.891
    record.thread = 140245678901234
    record.threadName = "MainThread"
    record.process = 4242
    record.processName = "MainProcess"
    record.pathname = "/opt/acquisition/aind/acquire.py"
    record.filename = "acquire.py"
    record.module = "acquire"
    record.lineno = 42
    if record.exc_info and not record.exc_text:
        # The traceback names this script's path: made independent of
        # where the repository is checked out.
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = text.replace(os.path.abspath(__file__), "/opt/acquisition/aind/acquire.py")


def surrogates(s):
    return re.sub("[\ud800-\udfff]+", "\ufffd", s)


def expect(v, counter):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if -(2**63) <= v < 2**63 else str(v)
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, str):
        return surrogates(v)
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, (list, tuple, set, frozenset)):
        return [expect(x, counter) for x in v]
    if isinstance(v, dict):
        return {key(k, counter): expect(x, counter) for k, x in v.items()}
    counter[0] += 1
    return {"$object": type(v).__module__ + "." + type(v).__qualname__}


def key(k, counter):
    if isinstance(k, str):
        return surrogates(k)
    if isinstance(k, (bool, type(None))):
        return repr(k)
    if isinstance(k, int):
        return str(k)
    if isinstance(k, bytes):
        return k.decode("utf-8")
    raise ValueError("no fixture key of type %r" % type(k))


def records():
    """Yields (name, list of records' frames, dict pickled)."""
    logger = logging.getLogger("aind.acquire")
    logger.propagate = False
    logger.setLevel(1)
    logging.addLevelName(35, "START_STOP")

    def run(name, fn):
        h = Capture()
        logger.addHandler(h)
        try:
            fn()
        finally:
            logger.removeHandler(h)
        assert len(h.frames) == 1, name
        return name, h.frames[0], h.records[0]

    yield run("basic", lambda: logger.info("acquisition %s started", "SPIM-7"))

    def exc():
        try:
            {}["missing"]
        except KeyError:
            logger.exception("tile %d failed", 17)

    yield run("exc_info", exc)
    yield run("unicode", lambda: logger.warning("µm, 漢字, emoji 🐭 \u2028 tab\tcr\rnl\n"))
    yield run("dict_msg", lambda: logger.info({"stage": "focus", "z": [1.5, 2.5], "ok": True}))
    yield run("start_stop", lambda: logger.log(35, "START session=%s", "abc-123"))
    lst = [1, 2]
    extra = {
        "big": 2**70,
        "neg_big": -(2**65),
        "int64_max": 2**63 - 1,
        "int64_min": -(2**63),
        "small": -5,
        "byte_int": 200,
        "short_int": 60000,
        "float": 1.5,
        "neg_float": -0.25,
        "inf": float("inf"),
        "yes": True,
        "no": False,
        "nothing": None,
        "nested": {"a": [1, (2, 3)], "b": {"c": None, "d": "deep"}},
        "tuple": (1, "x", None),
        "raw": b"\x00\xffbytes\x80",
        "empty_bytes": b"",
        "bytearray": bytearray(b"ab\xfe"),
        "empty_bytearray": bytearray(),
        "set": {1, 2, 3},
        "empty_set": set(),
        "frozenset": frozenset({"x", "y"}),
        "when": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc),
        "path": pathlib.Path("/data/exaSPIM/tile_000.zarr"),
        "keys": {1: "int key", b"bk": "bytes key", None: "none key", True: "bool key"},
        "shared": [lst, lst, {"again": lst}],
        "surrogate": "a\udc80b\ud800\udc00c",
        "many": {"k%d" % i: i for i in range(1100)},
        "long_text": "x" * 300,
    }
    yield run("extra", lambda: logger.info("with extras", extra=extra))
    yield "made", {p: made(p) for p in range(6)}, logging.makeLogRecord(made_dict())


def made_dict():
    return {"name": "made", "msg": "from makeLogRecord", "levelno": 20, "levelname": "INFO", "custom": [1, {"k": "v"}]}


def made(proto):
    r = logging.makeLogRecord(made_dict())
    fix_record(r)
    return frame_at(Capture(), r, proto)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, frames, record in records():
        if name == "made":
            fix_record(record)
        h = Capture()
        for p, frame in frames.items():
            with open(os.path.join(OUT, "%s.p%d.pickle" % (name, p)), "wb") as f:
                f.write(frame)
        # What the frames hold, by Python's own unpickler.
        d = pickle.loads(frames[1])
        for p in range(6):
            assert pickle.loads(frames[p]) == d, (name, p)
        counter = [0]
        value = expect(d, counter)
        with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as f:
            json.dump({"objects": counter[0], "value": value}, f, ensure_ascii=False, indent=1, allow_nan=False)
            f.write("\n")


main()
