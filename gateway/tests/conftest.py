"""Fixtures of the gateway's tests: a migrated database in a tmp dir, and fake services over real HTTP.

The services are outside the gateway, so they are faked — but as real HTTP servers in threads,
so that the pools, timeouts, headers and streaming under test are the real ones. The page tests
run the real app too, with identity played by the fake portal (``fake_portal/``) over HTTP.
"""
from __future__ import annotations

import importlib
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from portalkit import migrations
from portalkit.settings import SERVICES, identity_secret
from portalkit.signed_identity import HEADER, InvalidIdentity, verify


def _import_the_real_gateway_package() -> None:
    # pytest's importlib mode names this folder's modules "gateway.tests.*" after their path from
    # the checkout's top, and so imports the project folder "gateway/" as a namespace package
    # named "gateway", hiding the real one. Put the real package in its place.
    imported = sys.modules.get("gateway")
    if imported is not None and getattr(imported, "__file__", None) is None:
        del sys.modules["gateway"]
        real = importlib.import_module("gateway")
        real.tests = sys.modules.get("gateway.tests")


_import_the_real_gateway_package()
# The fake portal is a package of this folder, which importlib mode does not put on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass
class Received:
    method: str
    path: str
    query: str
    headers: dict
    body: bytes
    identity: object  # the verified Identity, or the InvalidIdentity raised
    client_port: int  # the gateway's end of the connection: the same one when kept alive


@dataclass
class FakeService:
    """A service on a real port: answers from ``routes``, records every request it gets."""

    name: str
    routes: dict = field(default_factory=dict)  # (method, path) -> callable(Received) -> answer
    received: list = field(default_factory=list)
    url: str = ""
    fallback: object = None  # callable(Received) -> answer, for what ``routes`` does not name

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            identity = verify(request.headers.get(HEADER), identity_secret())
        except InvalidIdentity as error:
            identity = error
        seen = Received(request.method, request.path, request.query_string.decode(),
                        dict(request.headers), request.get_data(), identity,
                        int(environ.get("REMOTE_PORT") or 0))
        self.received.append(seen)
        handler = self.routes.get((request.method, request.path)) or self.fallback
        if handler is None:
            answer = Response(json.dumps({"path": request.path, "method": request.method}),
                              200, content_type="application/json")
        else:
            answer = handler(seen)
            if isinstance(answer, tuple):
                status, body = answer[0], answer[1]
                answer = Response(json.dumps(body) if not isinstance(body, bytes) else body, status,
                                  content_type="application/json")
        return answer(environ, start_response)

    @property
    def last(self) -> Received:
        return self.received[-1]


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    for name in ("PORTAL_IDENTITY_SECRET", "PORTAL_DATABASE_URL", "PORTAL_GATEWAY_DATABASE_URL",
                 "PORTAL_ENV", "PORTAL_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    migrations.upgrade("gateway", "gateway")
    return tmp_path


@pytest.fixture
def serve():
    """Start WSGI apps on free local ports; every server stops at the end of the test."""
    servers = []

    def start(app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def services(var_dir, serve, monkeypatch):
    """A fake of every service, each on its own port, and the gateway pointed at them."""
    fakes = {}
    for name in SERVICES:
        fake = FakeService(name)
        fake.url = serve(fake)
        monkeypatch.setenv(f"PORTAL_{name.upper()}_URL", fake.url)
        fakes[name] = fake
    return fakes


@pytest.fixture
def app(services):
    from gateway.app import create_app
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def slow():
    """Makes a fake service's handler that answers only after ``seconds``."""
    def slow_(seconds: float):
        def handler(_received):
            time.sleep(seconds)
            return 200, {"late": True}
        return handler
    return slow_


@pytest.fixture
def gateway(app):
    """The app's seams (sessions, upstream, sign-in), as the proxy and the pages reach them."""
    from gateway import seams
    return seams.of(app)


@pytest.fixture
def database(gateway):
    return gateway.database


@pytest.fixture
def open_session(gateway):
    """Open a session as sign-in would; returns its token."""
    def open_(user_id="u1", company_id="c1", scope="full", **fields) -> str:
        values = dict(operator=False, language="en", display_name="Ann Lee", company_name="Acme")
        values.update(fields)
        token, _expires_at = gateway.sessions.open(user_id, company_id, scope=scope, **values)
        return token
    return open_


@pytest.fixture
def grant(database):
    """Give a user an entitlement the way the catalog event does."""
    from gateway.models import Entitlement
    from gateway.sessions import bump_revision

    def grant_(user_id: str, code: str, company_id: str, subscription_id: str | None = None):
        with database.transaction() as session:
            session.add(Entitlement(subscription_id=subscription_id or f"{user_id}-{code}-{company_id}",
                                    user_id=user_id, service_code=code, scope_company_id=company_id))
            bump_revision(session, user_id)
    return grant_


# -- the pages, with identity played by the fake portal ---------------------------------------

@pytest.fixture
def portal(services, gateway):
    """The fake identity the page tests run against, with its demo people, behind the real app."""
    from fake_portal import demo_portal
    portal = demo_portal().attach(gateway)
    services["identity"].fallback = portal.answer
    return portal


@pytest.fixture
def administrator_pages(portal, client):
    """A browser signed in as the demo company's administrator."""
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    return client
