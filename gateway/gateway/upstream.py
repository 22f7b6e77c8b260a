"""Calls to the services: one bounded keep-alive connection pool per service, timeouts everywhere.

``forward`` streams a proxied call through; ``call`` is the JSON round trip the gateway itself
and the pages use. A service that cannot be reached answers 503 ``service_unavailable``, one
that does not answer in time 504 ``upstream_timeout``, both in the portal's error shape.
"""
from __future__ import annotations

import json as jsonlib
import logging
import time
from http import HTTPStatus
from typing import Iterable, Iterator
from urllib.parse import urlencode

from urllib3 import HTTPConnectionPool, Timeout
from urllib3.connectionpool import connection_from_url
from urllib3.exceptions import HTTPError, ProtocolError, ReadTimeoutError
from urllib3.util import parse_url

from portalkit import correlation
from portalkit.consistency import HEADER as EVENTS_HEADER
from portalkit.errors import error_body
from portalkit.settings import Settings
from portalkit.signed_identity import ANONYMOUS, HEADER, Identity

from . import metrics, routes
from .identity_header import IdentitySigner
from .settings import GatewaySettings

log = logging.getLogger(__name__)

# Hop-by-hop headers concern one connection only; Date and Server are the WSGI server's own.
# The events a service names are the gateway's to wait for, not the client's to read.
DROPPED_RESPONSE_HEADERS = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "trailers", "transfer-encoding", "upgrade", "date", "server", EVENTS_HEADER.lower()})
# Answers up to this size are read whole, which frees the pooled connection at once.
READ_WHOLE_LIMIT = 256 * 1024
STREAM_CHUNK = 64 * 1024
RETRYABLE = frozenset({"GET", "HEAD", "OPTIONS"})
STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


class UpstreamError(Exception):
    """A service could not be reached or did not answer in time."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict:
        return error_body(self.code, self.message)


def status_line(status: int, reason: str = "") -> str:
    return STATUS_LINES.get(status) or f"{status} {reason or 'Unknown'}"


class Upstream:
    """The gateway's connections to the services."""

    def __init__(self, service_urls: dict[str, str], signer: IdentitySigner,
                 connect_timeout: float = 2.0, read_timeout: float = 30.0, pool_size: int = 16):
        self.signer = signer
        # Set by the app (``settling.Settler``): holds an answer until its events are applied.
        self.settler = None
        self.pool_timeout = connect_timeout
        timeout = Timeout(connect=connect_timeout, read=read_timeout)
        self.pools: dict[str, HTTPConnectionPool] = {}
        self.base_paths: dict[str, str] = {}
        for service, url in service_urls.items():
            # block=True bounds the connections per service: a caller past the bound waits
            # for a free one (up to the connect timeout) instead of opening yet another.
            self.pools[service] = connection_from_url(url, maxsize=pool_size, block=True,
                                                      timeout=timeout, retries=False)
            self.base_paths[service] = (parse_url(url).path or "").rstrip("/")

    @classmethod
    def from_settings(cls, settings: GatewaySettings, portal: Settings) -> "Upstream":
        return cls(settings.service_urls, IdentitySigner(portal.identity_secret, portal.identity_token_ttl),
                   settings.upstream_connect_timeout, settings.upstream_read_timeout,
                   settings.upstream_pool_size)

    def open(self, service: str, method: str, path: str, headers: dict,
             body: bytes | Iterable[bytes] | None = None):
        """Send a request; return the response with its body unread (it holds its connection)."""
        # The metrics' hook: the hop timed to its answer's headers, failed or not.
        started = time.perf_counter()
        try:
            response = self._open(service, method, path, headers, body)
        finally:
            metrics.upstream_took(service, time.perf_counter() - started)
        if response.status >= 500:
            metrics.upstream_failed(service, metrics.STATUS_5XX)
        return response

    def _open(self, service: str, method: str, path: str, headers: dict,
              body: bytes | Iterable[bytes] | None = None):
        pool = self.pools.get(service)
        if pool is None:  # a route reserved for a service this installation does not run (yet)
            raise _unavailable(service)
        url = self.base_paths[service] + path
        _pass_request_id(headers)
        retry = method in RETRYABLE and body is None
        while True:
            try:
                return pool.urlopen(method, url, body=body, headers=headers, retries=False,
                                    redirect=False, assert_same_host=False, preload_content=False,
                                    decode_content=False, pool_timeout=self.pool_timeout)
            except ReadTimeoutError:
                raise _too_late(service) from None
            except ProtocolError:
                # A kept-alive connection the service closed just as it was reused: a request
                # without a body and without effects can safely go once more, on a new one.
                if retry:
                    retry = False
                    continue
                raise _unavailable(service) from None
            except (HTTPError, OSError):
                raise _unavailable(service) from None

    def forward(self, service: str, method: str, path: str, headers: dict,
                body: bytes | Iterable[bytes] | None = None) -> tuple[str, list, Iterable[bytes]]:
        """Proxy one call: the WSGI status line, headers and body (streamed when large)."""
        response = self.open(service, method, path, headers, body)
        out = [(name, value) for name, value in response.headers.items()
               if name.lower() not in DROPPED_RESPONSE_HEADERS]
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) <= READ_WHOLE_LIMIT:
            data = _read_whole(service, response, decode=False)
            self._settle(response, out)
            return status_line(response.status, response.reason), out, (data,)
        self._settle(response, out)
        return status_line(response.status, response.reason), out, StreamedBody(response)

    def _settle(self, response, out: list | None = None) -> None:
        """Hold the answer until the events it names are applied; say how long in ``Server-Timing``."""
        events = response.headers.get(EVENTS_HEADER)
        if events and self.settler is not None:
            started = time.perf_counter()
            self.settler.settle(events)
            if out is not None:
                out.append(("Server-Timing", f"settle;dur={(time.perf_counter() - started) * 1000:.1f}"))

    def call(self, service: str, method: str, path: str, identity: Identity | None,
             json=None, query: dict | None = None, headers: dict | None = None,
             body: bytes | None = None) -> tuple[int, dict | list | None]:
        """One JSON round trip to a service on behalf of ``identity`` (anonymous if None).

        ``path`` is the service's own (``/identity/me``) or the public one (``/api/identity/me``).
        Returns the status and the decoded JSON answer (None when empty or not JSON); an
        unreachable or silent service gives 503/504 with the portal's error body.
        """
        if path.startswith("/api/"):
            route = routes.match(path)
            if route is None or route.service != service:
                raise ValueError(f"{path} is not a route of the {service} service")
            path = route.upstream_path(path)
        if query:
            pairs = {key: value for key, value in query.items() if value is not None}
            if pairs:
                path += ("&" if "?" in path else "?") + urlencode(pairs, doseq=True)
        sent = {"Accept": "application/json",
                HEADER: self.signer.header(identity if identity is not None else ANONYMOUS)}
        if json is not None:
            body = jsonlib.dumps(json).encode()
            sent["Content-Type"] = "application/json"
        if headers:
            sent.update({name: value for name, value in headers.items() if name.lower() != HEADER.lower()})
        try:
            response = self.open(service, method, path, sent, body)
            data = _read_whole(service, response, decode=True)
        except UpstreamError as error:
            return error.status, error.body()
        self._settle(response)
        if not data:
            return response.status, None
        try:
            return response.status, jsonlib.loads(data)
        except ValueError:
            return response.status, None


def _pass_request_id(headers: dict) -> None:
    """The request's id on every call to a service (the proxy's and the pages' alike)."""
    request_id = correlation.current()
    if request_id is not None:
        for name in [name for name in headers if name.lower() == "x-request-id"]:
            del headers[name]
        headers[correlation.HEADER] = request_id


class StreamedBody:
    """A large answer passed on chunk by chunk; its connection goes back to the pool at close."""

    __slots__ = ("response", "finished")

    def __init__(self, response):
        self.response, self.finished = response, False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.response.stream(STREAM_CHUNK, decode_content=False)
        except (HTTPError, OSError) as error:
            # The status line is gone already: all that is left is to cut the answer short.
            log.warning("answer of %s cut short: %s", self.response.geturl(), error)
            return
        self.finished = True

    def close(self) -> None:
        if not self.finished:
            # Unread bytes would corrupt the next call on this connection: drop it instead.
            self.response.close()
        self.response.release_conn()


def _read_whole(service: str, response, decode: bool) -> bytes:
    try:
        return response.read(decode_content=decode)
    except ReadTimeoutError:
        raise _too_late(service) from None
    except (HTTPError, OSError):
        raise _unavailable(service) from None
    finally:
        response.release_conn()


def _too_late(service: str) -> UpstreamError:
    metrics.upstream_failed(service, metrics.TIMEOUT)
    return UpstreamError(504, "upstream_timeout", f"The {service} service did not answer in time.")


def _unavailable(service: str) -> UpstreamError:
    metrics.upstream_failed(service, metrics.UNREACHABLE)
    return UpstreamError(503, "service_unavailable", f"The {service} service is not available right now.")
