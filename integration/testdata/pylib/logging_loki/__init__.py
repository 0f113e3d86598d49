"""A stand-in for python-logging-loki 0.3.1, for the integration tests.

CI cannot install packages from PyPI, so the gateway's python-logging-loki
snippet (docs/gateway.md, "Pointing each client at the gateway") runs
against this module, in the subtest python-logging-loki-0.3.1-standin of
TestClientsToLoki. It sends what 0.3.1 sends, as read from its source
(logging_loki/emitter.py, const.py):

- one POST per record, with requests, JSON, basic auth from ``auth``;
- stream labels: the handler's ``tags``, ``severity`` = the level name in
  lower case, ``logger`` = the logger's name, and a record's
  ``extra={"tags": {...}}``, label names cleared as the library does;
- ``version="1"``: ``{"streams": [{"stream": {labels}, "values": [[ns, line]]}]}``
  with the time the record is sent, in nanoseconds;
- ``version="0"`` (the library's default): the legacy body,
  ``{"streams": [{"labels": "{k=\\"v\\",...}", "entries": [{"ts": RFC 3339, "line": line}]}]}``
  with the record's own time in microseconds, label values' quotes escaped;
- anything but 204 is an error, handled by logging's handleError.

The tests use the real package instead when the system Python has it.
"""

import datetime
import logging
import string
import time

import requests

_ALLOWED = set(string.ascii_letters + string.digits + "_")
_REPLACE = (("'", ""), ('"', ""), (" ", "_"), (".", "_"), ("-", "_"))


def _label_name(name):
    for old, new in _REPLACE:
        name = name.replace(old, new)
    return "".join(c for c in name if c in _ALLOWED)


class LokiHandler(logging.Handler):
    def __init__(self, url, tags=None, auth=None, version=None):
        super().__init__()
        if (version or "0") not in ("0", "1"):
            raise ValueError("Unknown emitter version: {0}".format(version))
        self.url = url
        self.tags = dict(tags or {})
        self.version = version or "0"
        self.session = requests.Session()
        self.session.auth = auth

    def _labels(self, record):
        labels = dict(self.tags)
        labels["severity"] = record.levelname.lower()
        labels["logger"] = record.name
        extra = getattr(record, "tags", {})
        if isinstance(extra, dict):
            for name, value in extra.items():
                cleared = _label_name(name)
                if cleared:
                    labels[cleared] = value
        return labels

    def _payload(self, record, line):
        labels = self._labels(record)
        if self.version == "1":
            ts = str(int(time.time() * 1e9))
            return {"streams": [{"stream": labels, "values": [[ts, line]]}]}
        created = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).astimezone()
        pairs = ('{0}="{1}"'.format(_label_name(str(k)), str(v).replace('"', '\\"')) for k, v in labels.items())
        return {"streams": [{"labels": "{" + ",".join(pairs) + "}",
                             "entries": [{"ts": created.isoformat(timespec="microseconds"), "line": line}]}]}

    def emit(self, record):
        try:
            resp = self.session.post(self.url, json=self._payload(record, self.format(record)))
            if resp.status_code != 204:
                raise ValueError("Unexpected Loki API response status code: {0}".format(resp.status_code))
        except Exception:
            self.handleError(record)
