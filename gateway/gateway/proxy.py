"""The /api proxy, a plain WSGI callable: allow-list, authentication, signed identity, streaming.

No framework on this path: it runs on every API call. The client's own X-Portal-Identity,
credentials and hop-by-hop headers never reach a service; the gateway's signed identity does.
"""
from __future__ import annotations

import json
import logging
import re
from urllib.parse import quote

from portalkit.errors import error_body
from portalkit.request_input import MAX_BODY_BYTES, UnreadableInput, load_json
from portalkit.signed_identity import HEADER
from portalkit.uploads import FORM_OVERHEAD

from . import auth, declarative_scope, routes
from .seams import Gateway
from .sessions import DECLARATIVE_SCOPE
from .throttle import TooManyTries, attempt_of
from .upstream import STATUS_LINES, UpstreamError

log = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER_VALUE = "portal"
LOGIN_PATH, LOGOUT_PATH = "/api/auth/login", "/api/auth/logout"
DECLARATIVE_LOGIN_PATH, DECLARATIVE_LOGOUT_PATH = "/api/auth/declarative/login", "/api/auth/declarative/logout"
LOGIN_BODY_LIMIT = 16 * 1024
# Bodies up to this size are read before forwarding (one send); larger ones are streamed.
READ_WHOLE_LIMIT = 64 * 1024
STREAM_CHUNK = 64 * 1024
# Request headers that are not passed on: the connection's own, the client's credentials (the
# signed identity replaces them), a forged identity, and what the gateway sets itself.
_NOT_FORWARDED = frozenset({
    "HTTP_HOST", "HTTP_CONNECTION", "HTTP_KEEP_ALIVE", "HTTP_PROXY_AUTHORIZATION",
    "HTTP_PROXY_CONNECTION", "HTTP_TE", "HTTP_TRAILER", "HTTP_TRANSFER_ENCODING", "HTTP_UPGRADE",
    "HTTP_EXPECT", "HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_CONTENT_LENGTH", "HTTP_CONTENT_TYPE",
    "HTTP_X_PORTAL_IDENTITY"})
_HEADER_NAMES: dict[str, str] = {}
_SAFE_PATH_CHARACTERS = "/:@!$&'()*+,;=~"
_SAFE_QUERY_CHARACTERS = _SAFE_PATH_CHARACTERS + "?%"
_PRINTABLE_ASCII = re.compile(r"[!-~]*\Z")


def _json_answer(status: int, body: dict, extra_headers: tuple = ()) -> tuple[str, list, bytes]:
    data = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    headers.extend(extra_headers)
    return STATUS_LINES[status], headers, data


NOT_FOUND = _json_answer(404, error_body("not_found", "No such route."))
NOT_SIGNED_IN = _json_answer(401, error_body("not_signed_in", "Sign in first: this token is not valid."),
                             (("WWW-Authenticate", 'Bearer error="invalid_token"'),))
CSRF_FAILED = _json_answer(403, error_body(
    "csrf_failed", "A call authenticated by the session cookie must carry X-Requested-With: portal."))
# The refusals of a session on a route of the other space (``declarative_scope``).
SCOPE_REFUSALS = {code: _json_answer(401, error_body(code, message),
                                     (("WWW-Authenticate", 'Bearer error="invalid_token"'),))
                  for code, message in declarative_scope.MESSAGES.items()}
INTERNAL_ERROR = _json_answer(500, error_body("internal_error", "Something went wrong on our side."))
def too_large(limit: int) -> tuple[str, list, bytes]:
    """413 naming the limit of the route asked (an upload route's is ``PORTAL_MAX_UPLOAD_BYTES``)."""
    return _json_answer(413, error_body("too_large", f"The body is larger than the {limit} bytes the portal "
                                                     "accepts on this route."))


TOO_LARGE = too_large(MAX_BODY_BYTES)
# Every API answer: never sniffed as another type; never stored unless the service chose otherwise.
NOSNIFF = ("X-Content-Type-Options", "nosniff")
NO_STORE = ("Cache-Control", "no-store")


def uri_too_long(limit: int) -> tuple[str, list, bytes]:
    return _json_answer(414, error_body("uri_too_long", f"The address is longer than {limit} bytes."))


def too_many_tries(refusal: TooManyTries) -> tuple[str, list, bytes]:
    return _json_answer(429, refusal.body(), (("Retry-After", str(refusal.seconds)),))


def _with_edge_headers(start_response):
    def start(status, headers, exc_info=None):
        names = {name.lower() for name, _ in headers}
        if "cache-control" not in names:
            headers.append(NO_STORE)
        if "x-content-type-options" not in names:  # the services' own answers carry it already
            headers.append(NOSNIFF)
        return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
    return start


class ApiProxy:
    """WSGI application of every ``/api/...`` path."""

    def __init__(self, gateway: Gateway):
        self.upstream, self.sessions, self.signing_in = gateway.upstream, gateway.sessions, gateway.sign_in
        cookie_secure = gateway.settings.cookie_secure
        # The throttle rides on the upstream (throttle.ThrottledUpstream), shared with the pages.
        self.throttle = getattr(gateway.upstream, "throttle", None)
        self.max_url_bytes = gateway.settings.max_url_bytes
        self.max_upload_bytes = gateway.settings.max_upload_bytes
        self.settings = gateway.settings
        self.cleared_cookie = (f"{auth.COOKIE_NAME}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
                               + ("; Secure" if cookie_secure else ""))

    def __call__(self, environ, start_response):
        start_response = _with_edge_headers(start_response)
        try:
            return self._answer(environ, start_response)
        except Exception:  # noqa: BLE001 - a client gets the error shape, never a stack trace
            log.exception("proxying %s %s failed", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            return _send(start_response, INTERNAL_ERROR)

    def _answer(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        method = environ["REQUEST_METHOD"]
        if len(path) + len(environ.get("QUERY_STRING") or "") > self.max_url_bytes:
            return _send(start_response, uri_too_long(self.max_url_bytes))
        if method == "POST" and path in (LOGIN_PATH, LOGOUT_PATH, DECLARATIVE_LOGIN_PATH, DECLARATIVE_LOGOUT_PATH):
            declarative = path in (DECLARATIVE_LOGIN_PATH, DECLARATIVE_LOGOUT_PATH)
            answer = (self._login(environ, declarative) if path in (LOGIN_PATH, DECLARATIVE_LOGIN_PATH)
                      else self._logout(environ, declarative))
            return _send(start_response, answer)
        route = routes.match(path)
        if route is None or routes.has_unsafe_segment(path):
            return _send(start_response, NOT_FOUND)
        client_ip = environ.get("REMOTE_ADDR")
        user = None
        if not path.endswith("/openapi.json"):  # API documents are public
            token, by_cookie = _credentials(environ)
            if token is not None:
                user = self.sessions.resolve(token)
                if user is None and not by_cookie:
                    return _send(start_response, NOT_SIGNED_IN)
                # A stale cookie leaves the call anonymous: the service decides what that may do.
                if user is not None and by_cookie and method in UNSAFE_METHODS \
                        and environ.get("HTTP_X_REQUESTED_WITH") != CSRF_HEADER_VALUE:
                    return _send(start_response, CSRF_FAILED)
            refused = declarative_scope.refusal(method, path, user)
            if refused is not None:
                return _send(start_response, SCOPE_REFUSALS[refused])
        headers = _forwarded_headers(environ)
        headers[HEADER] = self.upstream.signer.header(auth.identity_for(user, client_ip))
        target = _quoted(route.upstream_path(path), _SAFE_PATH_CHARACTERS)
        query = environ.get("QUERY_STRING")
        if query:
            target = f"{target}?{query if _PRINTABLE_ASCII.match(query) else _quoted(query, _SAFE_QUERY_CHARACTERS)}"
        attempt = None
        limit = self._limit(route)
        try:
            body = _request_body(environ, headers, limit)
            if self.throttle is not None and route.service == "identity":
                attempt = attempt_of(method, route.upstream_path(path), _json_or_none(body), client_ip)
                if attempt is not None:
                    self.throttle.check(attempt)
            status, out_headers, chunks = self.upstream.forward(route.service, method, target,
                                                                headers, body)
        except UpstreamError as error:
            return _send(start_response, _json_answer(error.status, error.body()))
        except _BadRequest as error:
            return _send(start_response, _json_answer(400, error_body("invalid_input", str(error))))
        except _TooLarge:
            return _send(start_response, TOO_LARGE if limit == MAX_BODY_BYTES else too_large(limit))
        except TooManyTries as refusal:
            return _send(start_response, too_many_tries(refusal))
        if attempt is not None:
            self.throttle.record(attempt, int(status[:3]))
        start_response(status, out_headers)
        return chunks

    def _limit(self, route: routes.Route) -> int:
        """The most a body may weigh on ``route``: its file's limit and the form's overhead, the
        uploads' limit, or the JSON bodies' one."""
        if route.file_limit:
            return min(self.max_upload_bytes, getattr(self.settings, route.file_limit) + FORM_OVERHEAD)
        return self.max_upload_bytes if route.uploads else MAX_BODY_BYTES

    def _login(self, environ, declarative: bool = False) -> tuple[str, list, bytes]:
        """Sign in with {email, password} (a declarant: {login, password}): the token, its expiry
        and the user (the declarant)."""
        name = "login" if declarative else "email"
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length > LOGIN_BODY_LIMIT:
            return _json_answer(413, error_body("too_large", "The sign-in request is too large."))
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            credentials = load_json(raw) if raw.strip() else None
        except UnreadableInput as error:  # not JSON, nested too deeply, or not text
            return _json_answer(400, error_body("invalid_input", error.message, error.fields))
        if not isinstance(credentials, dict):
            return _json_answer(400, error_body("invalid_input", f"Send a JSON object {{{name}, password}}.",
                                                {"_schema": ["Invalid JSON object."]}))
        wrong = {key: ["Not a valid string."] for key in (name, "password")
                 if credentials.get(key) is not None and not isinstance(credentials[key], str)}
        if wrong:
            return _json_answer(400, error_body("invalid_input", "Some fields are invalid.", wrong))
        sign_in = self.signing_in.declarative_sign_in if declarative else self.signing_in.sign_in
        result = sign_in(credentials.get(name), credentials.get("password"),
                         environ.get("REMOTE_ADDR"), environ.get("HTTP_USER_AGENT"))
        retry = (("Retry-After", str(result.retry_after)),) if result.retry_after else ()
        return _json_answer(result.status, result.body, retry)

    def _logout(self, environ, declarative: bool = False) -> tuple[str, list, bytes]:
        """End the caller's session at once (each sign-out ends its own kind of session)."""
        token, by_cookie = _credentials(environ)
        user = self.sessions.resolve(token) if token is not None else None
        if user is None:
            return _json_answer(401, error_body("not_signed_in", "Sign in first."))
        if (user.scope == DECLARATIVE_SCOPE) != declarative:
            return SCOPE_REFUSALS[declarative_scope.DECLARATIVE_REQUIRED if declarative
                                  else declarative_scope.PORTAL_REQUIRED]
        if by_cookie and environ.get("HTTP_X_REQUESTED_WITH") != CSRF_HEADER_VALUE:
            return CSRF_FAILED
        self.sessions.end(token)
        headers = [("Set-Cookie", self.cleared_cookie)] if by_cookie else []
        return STATUS_LINES[204], headers, b""


class _BadRequest(ValueError):
    pass


class _TooLarge(Exception):
    """A body past ``MAX_BODY_BYTES``; raised while it streams, it also cuts the upstream call."""


def _json_or_none(body):
    """The decoded JSON of a body read whole (None otherwise): the account a throttled call names."""
    if not isinstance(body, bytes):
        return None
    try:
        return load_json(body)
    except UnreadableInput:
        return None


def _send(start_response, answer: tuple[str, list, bytes]):
    status, headers, data = answer
    start_response(status, list(headers))
    return (data,)


def _quoted(text: str, safe: str) -> str:
    # WSGI hands the path over decoded, as latin-1 text of the bytes the client sent.
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = text.encode()
    return quote(raw, safe=safe)


def _credentials(environ) -> tuple[str | None, bool]:
    """The session token and whether it came from the cookie (the bearer token wins)."""
    authorization = environ.get("HTTP_AUTHORIZATION")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer":
            return token.strip(), False
    cookies = environ.get("HTTP_COOKIE")
    if cookies and auth.COOKIE_NAME in cookies:
        # Only one cookie matters: a full parse of the header on every call would be waste.
        for part in cookies.split(";"):
            name, _, value = part.partition("=")
            if name.strip() == auth.COOKIE_NAME:
                return (value.strip().strip('"') or None), True
    return None, False


def _forwarded_headers(environ) -> dict[str, str]:
    headers = {}
    for key, value in environ.items():
        if key[:5] == "HTTP_" and key not in _NOT_FORWARDED:
            name = _HEADER_NAMES.get(key)
            if name is None:
                name = key[5:].replace("_", "-").title()
                if len(_HEADER_NAMES) < 1000:
                    _HEADER_NAMES[key] = name
            headers[name] = value
    listed = environ.get("HTTP_CONNECTION")
    if listed:  # headers the client declared hop-by-hop for this connection only
        for token in listed.split(","):
            headers.pop(token.strip().title(), None)
    content_type = environ.get("CONTENT_TYPE")
    if content_type:
        headers["Content-Type"] = content_type
    return headers


def _request_body(environ, headers: dict, limit: int = MAX_BODY_BYTES):
    """The body to send on: read whole when small, streamed when large or chunked; past ``limit``
    bytes, refused (413)."""
    length = environ.get("CONTENT_LENGTH")
    stream = environ.get("wsgi.input")
    if length:
        try:
            size = int(length)
        except ValueError:
            raise _BadRequest("Content-Length is not a number.") from None
        if size <= 0:
            return None
        if size > limit:
            raise _TooLarge()
        if size <= READ_WHOLE_LIMIT:
            return stream.read(size)
        headers["Content-Length"] = str(size)
        return _chunks(stream, size, limit)
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return _chunks(stream, None, limit)  # the WSGI server has de-chunked it; urllib3 re-chunks
    return None


def _chunks(stream, remaining: int | None, limit: int = MAX_BODY_BYTES):
    sent = 0
    while remaining is None or remaining > 0:
        chunk = stream.read(STREAM_CHUNK if remaining is None else min(STREAM_CHUNK, remaining))
        if not chunk:
            return
        if remaining is not None:
            remaining -= len(chunk)
        sent += len(chunk)
        if sent > limit:
            # A chunked body has no length to check first: it is counted as it goes.
            raise _TooLarge()
        yield chunk
