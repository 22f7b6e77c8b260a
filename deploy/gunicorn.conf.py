"""gunicorn settings shared by every web process of the mesh (services and gateway).

gthread workers keep HTTP/1.1 connections alive, so the gateway's pooled connections to the
services are reused instead of reopened per request (sync workers close after each response).
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
keepalive = 75
timeout = 60
graceful_timeout = 10
# -- logs (portalkit.logs): gunicorn's error and access logs go through the portal's one handler,
# in PORTAL_LOG_FORMAT (JSON lines by default); an access line names method, path, status,
# duration_ms and request_id. The access log is on unless GUNICORN_ACCESSLOG=off.
logger_class = "portalkit.gunicorn_logging.PortalLogger"
accesslog = None if os.environ.get("GUNICORN_ACCESSLOG", "-").lower() in ("off", "none", "") else "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
# -- end of logs --
# No request-line limit of gunicorn's own below its 1 MiB bound (its refusal is an HTML page):
# the gateway refuses addresses over PORTAL_MAX_URL_BYTES itself, in the portal's error shape.
limit_request_line = 0


# -- metrics (portalkit.metrics, gunicorn_metrics): each deployment's workers write to
# PROMETHEUS_MULTIPROC_DIR (one of its own under /tmp unless set), emptied at start; a worker gone
# stops counting in the live gauges; the master serves the sum on PORTAL_METRICS_PORT when it is
# set (the gateway, whose public port does not show them).
def on_starting(server):
    from portalkit import gunicorn_metrics
    gunicorn_metrics.starting(server)


def when_ready(server):
    from portalkit import gunicorn_metrics
    gunicorn_metrics.ready(server)


def child_exit(server, worker):
    from portalkit import gunicorn_metrics
    gunicorn_metrics.child_exit(server, worker)


def on_exit(server):
    from portalkit import gunicorn_metrics
    gunicorn_metrics.exiting(server)
