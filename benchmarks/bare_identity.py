"""A stand-in for identity in ``sign_in``'s floor run: a bare WSGI app under the same gunicorn that
answers the gateway's sign-in check by verifying the password and nothing else (no Flask, no
database). What the gateway, gunicorn and the hash cost without identity's own work."""
from __future__ import annotations

import json

from identity.passwords import HASHER, verify_password
from mesh import DEMO

EMAIL, PASSWORD = DEMO["user"]
_HASH = HASHER.hash(PASSWORD)
_SIGNED_IN = json.dumps({"user": {"id": "bare", "email": EMAIL, "language": "en", "display_name": "Bare",
                                  "company": None}, "password_expired": False}).encode()
_REFUSED = json.dumps({"error": {"code": "invalid_credentials", "message": "Wrong password."}}).encode()


def app(environ, start_response):
    path = environ.get("PATH_INFO")
    if path == "/auth/login":
        credentials = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
        matches = credentials.get("email") == EMAIL and verify_password(_HASH, credentials.get("password") or "")
        status, body = ("200 OK", _SIGNED_IN) if matches else ("401 Unauthorized", _REFUSED)
    elif path in ("/health", "/ready"):
        status, body = "200 OK", b'{"status": "ok"}'
    else:
        status, body = "404 Not Found", b'{"error": {"code": "not_found", "message": "bare identity"}}'
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
