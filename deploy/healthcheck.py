"""A container's health check: exit 0 when its web process answers ``GET /health`` (or the path given).

The port is the one of ``GUNICORN_BIND``, the address that the container's gunicorn listens on; the
slim image has no curl, so this uses the standard library.
"""
import os
import sys
import urllib.request

port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
path = sys.argv[1] if len(sys.argv) > 1 else "/health"
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    sys.exit(f"{path}: {error}")
