"""The portal's logs: one way, for every process (web, worker, gateway, mail sink, command-line tools).

``configure(component, process)`` gives the root logger one handler on stderr and routes every
library's logger through it (gunicorn, werkzeug, kombu, aiosmtpd, alembic): a line is never lost
for want of a handler, nor written twice by a second one. ``PORTAL_LOG_FORMAT`` chooses:

- ``json`` (default): one JSON object per line — ``time`` (ISO 8601, UTC), ``level``,
  ``component``, ``process``, ``pid``, ``logger``, ``message``, then ``request_id`` / ``event_id``
  / ``event_type`` when bound (``portalkit.correlation``), any ``extra=`` fields of the call, and
  ``exception`` — the whole trace as one string, never lines of its own;
- ``text``: the same, for a person at a terminal (``make up``).

``PORTAL_LOG_LEVEL`` (default ``INFO``) is the root level.

Our own forty lines rather than python-json-logger: the fields are the portal's (``process`` is the
kind of process, where ``LogRecord.process`` is the pid), the bound ids come from our context
variables, and an extra dependency in every process would buy only ``json.dumps``.
"""
from __future__ import annotations

import json
import logging
import sys
import time
import traceback

from . import correlation
from .settings import SettingsError, env

FORMATS = ("json", "text")
# Loggers that libraries give handlers of their own or stop from propagating: sent to the root's.
LIBRARY_LOGGERS = ("gunicorn", "gunicorn.error", "gunicorn.access", "werkzeug", "kombu", "amqp",
                   "mail.log", "alembic", "sqlalchemy", "urllib3", "py.warnings")
# What every LogRecord has; anything else on a record came from ``extra=`` and is logged as a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "component", "kind", "request_id", "event_id", "event_type", "taskName"}


def log_format() -> str:
    chosen = (env("PORTAL_LOG_FORMAT", "json") or "json").lower()
    if chosen not in FORMATS:
        raise SettingsError(f"PORTAL_LOG_FORMAT must be json or text, got {chosen!r}")
    return chosen


def utc_time(created: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(created % 1 * 1000):03d}Z"


class ContextFilter(logging.Filter):
    """Stamps each record with the process's names and the ids bound where it was emitted."""

    def __init__(self, component: str, process: str):
        super().__init__()
        self.component, self.kind = component, process

    def filter(self, record: logging.LogRecord) -> bool:
        record.component, record.kind = self.component, self.kind
        # An id given by the caller (gunicorn's access line, after the request) wins.
        if getattr(record, "request_id", None) is None:
            record.request_id = correlation.current()
        if getattr(record, "event_id", None) is None:
            event_id, event_type = correlation.current_event() or (None, None)
            record.event_id, record.event_type = event_id, event_type
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": utc_time(record.created), "level": record.levelname,
                "component": getattr(record, "component", None), "process": getattr(record, "kind", None),
                "pid": record.process, "logger": record.name, "message": record.getMessage()}
        for name in ("request_id", "event_id", "event_type"):
            if getattr(record, name, None) is not None:
                line[name] = getattr(record, name)
        line.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``2026-12-01T23:40:01.123Z INFO  identity/web identity.users: message [request_id=…]``"""

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{name}={getattr(record, name)}" for name in ("request_id", "event_id", "event_type")
                       if getattr(record, name, None) is not None)
        line = (f"{utc_time(record.created)} {record.levelname:<7} {getattr(record, 'component', '-')}/"
                f"{getattr(record, 'kind', '-')} {record.name}: {record.getMessage()}"
                + (f" [{ids}]" if ids else ""))
        if record.exc_info:  # a person reads a trace best as Python prints it
            line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return line


def handler(component: str, process: str, stream=None, chosen: str | None = None) -> logging.Handler:
    """The one handler of a process: to ``stream`` (stderr), in the chosen format."""
    out = logging.StreamHandler(stream if stream is not None else sys.stderr)
    out.setFormatter(JsonFormatter() if (chosen or log_format()) == "json" else TextFormatter())
    out.addFilter(ContextFilter(component, process))
    out._portal = True  # noqa: SLF001 - recognised by a second configure()
    return out


def _spare_what_no_line_shows() -> None:
    # The logging HOWTO's "Optimization": no line shows the caller's file and line, thread or
    # multiprocessing names, so none is computed — a third of a line's cost, paid on every request.
    logging._srcfile = None  # noqa: SLF001 - the documented switch
    logging.logThreads = False
    logging.logMultiprocessing = False


def configure(component: str, process: str, stream=None, level: str | None = None) -> logging.Handler:
    """Route every log line of this process through one handler in the chosen format; idempotent."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    out = handler(component, process, stream)
    root.addHandler(out)
    root.setLevel((level or env("PORTAL_LOG_LEVEL", "INFO")).upper())
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        for old in list(library.handlers):
            library.removeHandler(old)
        library.propagate = True
    # aiosmtpd's own: a dozen lines per mail. The sink logs one of its own.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    _spare_what_no_line_shows()
    return out
