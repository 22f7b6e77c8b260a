"""gunicorn's error and access logs in the portal's format (``logger_class`` of deploy/gunicorn.conf.py).

gunicorn gives its two loggers handlers of their own, in its own formats; this class gives them
none and lets them propagate to the one handler ``portalkit.logs.configure`` sets up, so the master,
the workers, the app and every library write the same lines. An access line is a record of its own
with ``method``, ``path``, ``status``, ``duration_ms``, ``bytes`` and the ``request_id`` the app
answered with. ``/health``, ``/ready`` and ``/metrics`` answered 2xx are not logged (probes and scrapes
every few seconds); their failures are. ``GUNICORN_ACCESSLOG=off`` silences the access log.
"""
from __future__ import annotations

import logging

from gunicorn.glogging import Logger

from . import correlation, logs


# Asked by Kubernetes, compose and Prometheus every few seconds: logged only when they fail.
PROBES = frozenset({"/health", "/ready", "/metrics"})


def component_of(app_uri: str | None) -> str:
    """``identity.app:create_app()`` → ``identity``: the package gunicorn serves names the component."""
    return (app_uri or "web").split(":", 1)[0].split(".", 1)[0] or "web"


class PortalLogger(Logger):
    def setup(self, cfg) -> None:
        self.cfg = cfg
        logs.configure(component_of(cfg.proc_name), "web")
        self.loglevel = self.LOG_LEVELS.get(cfg.loglevel.lower(), logging.INFO)
        self.error_log.setLevel(self.loglevel)
        self.access_log.setLevel(logging.INFO)
        for log in (self.error_log, self.access_log):
            for old in list(log.handlers):
                log.removeHandler(old)
            log.propagate = True
        self._access_log_enabled = bool(cfg.accesslog)

    def access(self, resp, req, environ, request_time) -> None:
        if not self._access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        if environ.get("PATH_INFO") in PROBES and str(status).startswith("2"):
            return  # a probe answered: one line every few seconds per pod says nothing
        fields = {
            "method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"),
            "status": int(status) if str(status).isdigit() else status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
            "request_id": environ.get(correlation.ENVIRON_KEY),
        }
        self.access_log.info("%s %s %s %.1f ms", fields["method"], fields["path"], fields["status"],
                             fields["duration_ms"], extra=fields)

    def reopen_files(self) -> None:
        # Nothing of gunicorn's to reopen: the one handler writes to stderr (USR1 is harmless).
        return None
