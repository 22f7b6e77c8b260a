"""The portal's log lines: the JSON fields, the text form, one handler for every library, gunicorn's lines."""
import io
import json
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

from portalkit import correlation, logs
from portalkit.settings import SettingsError


@pytest.fixture
def restored_logging():
    """configure() changes process-wide state: put every logger it touches back afterwards."""
    root = logging.getLogger()
    names = ("", *logs.LIBRARY_LOGGERS)
    saved = {name: (list(logging.getLogger(name).handlers), logging.getLogger(name).level,
                    logging.getLogger(name).propagate) for name in names}
    switches = (logging._srcfile, logging.logThreads, logging.logMultiprocessing)
    yield
    logging._srcfile, logging.logThreads, logging.logMultiprocessing = switches
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
    root.handlers[:] = saved[""][0]
    logging.captureWarnings(False)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _configured(monkeypatch, chosen="json", component="identity", process="web"):
    monkeypatch.setenv("PORTAL_LOG_FORMAT", chosen)
    stream = io.StringIO()
    logs.configure(component, process, stream=stream, level="DEBUG")
    return stream


def test_a_json_line_has_the_portals_fields_and_only_bound_ids(restored_logging, monkeypatch):
    stream = _configured(monkeypatch)
    logging.getLogger("identity.users").info("user %s created", "u1")
    with correlation.bound("req-12345678"):
        logging.getLogger("identity.users").warning("with a request", extra={"user_id": "u1"})
    with correlation.handling("req-abcdefgh", "e-1", "identity.UserCreated"):
        logging.getLogger("catalog.handlers").info("in a handling")
    plain, in_request, in_handling = _lines(stream)
    assert set(plain) == {"time", "level", "component", "process", "pid", "logger", "message"}
    assert plain["level"] == "INFO" and plain["component"] == "identity" and plain["process"] == "web"
    assert plain["logger"] == "identity.users" and plain["message"] == "user u1 created"
    assert plain["time"].endswith("Z") and plain["time"][10] == "T" and len(plain["time"]) == 24
    assert in_request["request_id"] == "req-12345678" and in_request["user_id"] == "u1"
    assert "event_id" not in in_request and in_request["level"] == "WARNING"
    assert (in_handling["request_id"], in_handling["event_id"], in_handling["event_type"]) == \
        ("req-abcdefgh", "e-1", "identity.UserCreated")


def test_an_exception_is_a_field_of_its_one_line(restored_logging, monkeypatch):
    stream = _configured(monkeypatch)
    try:
        raise ValueError("broken\non two lines")
    except ValueError:
        logging.getLogger("portalkit.consumer").exception("handler failed")
    assert len(stream.getvalue().splitlines()) == 1
    (line,) = _lines(stream)
    assert line["message"] == "handler failed"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert "ValueError: broken\non two lines" in line["exception"]


def test_the_text_form_is_for_a_person(restored_logging, monkeypatch):
    stream = _configured(monkeypatch, "text", "gateway", "worker")
    with correlation.bound("req-12345678"):
        logging.getLogger("gateway.handlers").info("hello")
    line = stream.getvalue().rstrip("\n")
    assert line.endswith(" INFO    gateway/worker gateway.handlers: hello [request_id=req-12345678]")
    assert not line.lstrip("0123456789-T:.Z").startswith("{")


def test_an_unknown_format_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="PORTAL_LOG_FORMAT"):
        logs.log_format()
    monkeypatch.delenv("PORTAL_LOG_FORMAT")
    assert logs.log_format() == "json"


def test_every_library_goes_through_the_one_handler_once(restored_logging, monkeypatch):
    # Libraries that had handlers of their own, or did not propagate, as gunicorn and aiosmtpd do.
    for name in ("gunicorn.error", "werkzeug", "kombu"):
        own = logging.getLogger(name)
        own.addHandler(logging.StreamHandler(io.StringIO()))
        own.propagate = False
    stream = _configured(monkeypatch)
    logs.configure("identity", "web", stream=stream, level="DEBUG")  # twice: still one handler
    stream.truncate(0)
    for name in ("gunicorn.error", "werkzeug", "kombu.connection", "alembic.runtime", "identity"):
        logging.getLogger(name).warning("from %s", name)
    logging.getLogger("mail.log").info("aiosmtpd chatter")  # kept to its warnings
    import warnings
    warnings.warn("a library warns")
    lines = _lines(stream)
    assert [line["message"] for line in lines[:5]] == [
        "from gunicorn.error", "from werkzeug", "from kombu.connection", "from alembic.runtime", "from identity"]
    assert lines[5]["logger"] == "py.warnings" and "a library warns" in lines[5]["message"]
    assert len(lines) == 6
    assert len(logging.getLogger().handlers) == 1


def test_gunicorn_access_and_error_lines_are_the_portals(restored_logging, monkeypatch):
    from gunicorn.config import Config

    from portalkit.gunicorn_logging import PortalLogger, component_of
    monkeypatch.setenv("PORTAL_LOG_FORMAT", "json")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    cfg = Config()
    cfg.set("default_proc_name", "catalog.app:create_app()")
    cfg.set("accesslog", "-")
    cfg.set("loglevel", "info")
    logger = PortalLogger(cfg)
    logger.info("Booting worker with pid: %s", 42)
    response = SimpleNamespace(status="201 CREATED", sent=17, headers=[])
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/catalog/subscriptions",
               correlation.ENVIRON_KEY: "req-12345678"}
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12.34))
    booting, access = _lines(stream)
    assert booting["logger"] == "gunicorn.error" and booting["component"] == "catalog"
    assert booting["message"] == "Booting worker with pid: 42"
    assert access["logger"] == "gunicorn.access" and access["process"] == "web"
    assert {key: access[key] for key in ("method", "path", "status", "duration_ms", "bytes", "request_id")} == {
        "method": "POST", "path": "/catalog/subscriptions", "status": 201, "duration_ms": 12.3,
        "bytes": 17, "request_id": "req-12345678"}
    assert access["message"] == "POST /catalog/subscriptions 201 12.3 ms"
    assert component_of("gateway.app:create_app()") == "gateway" and component_of(None) == "web"

    probe = {"REQUEST_METHOD": "GET", "PATH_INFO": "/health"}
    logger.access(response, SimpleNamespace(headers=[]), probe, timedelta(milliseconds=1))
    assert len(stream.getvalue().splitlines()) == 2  # an answered probe is no news
    logger.access(SimpleNamespace(status="503 SERVICE UNAVAILABLE", sent=0, headers=[]),
                  SimpleNamespace(headers=[]), {**probe, "PATH_INFO": "/ready"}, timedelta(milliseconds=1))
    assert _lines(stream)[-1]["status"] == 503 and _lines(stream)[-1]["path"] == "/ready"

    cfg.set("accesslog", None)
    quiet = PortalLogger(cfg)
    quiet.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=1))
    assert len(stream.getvalue().splitlines()) == 3
