"""The gateway's seams in one object: its sessions, its connections to the services, sign-in.

``create_app`` builds one ``Gateway`` per app and keeps it in ``app.extensions``; the API proxy is
given it, the pages reach it through ``current()``. Nothing of it lives at module level.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from portalkit.db import Database
from portalkit.settings import Settings

from .auth import SignIn
from .sessions import SessionStore
from .settings import GatewaySettings
from .settling import Settler
from .throttle import Throttle, ThrottledUpstream
from .upstream import Upstream

EXTENSION = "gateway"


@dataclass(frozen=True)
class Gateway:
    """What the proxy and the pages share: one per app (and so per process)."""

    settings: GatewaySettings
    database: Database
    sessions: SessionStore
    upstream: Upstream
    sign_in: SignIn

    @classmethod
    def build(cls, settings: GatewaySettings, portal: Settings, database: Database) -> "Gateway":
        sessions = SessionStore.from_settings(database, settings)
        # Calls to identity's sign-in, reset and activation are throttled wherever they come from.
        upstream = ThrottledUpstream.from_settings(settings, portal)
        upstream.throttle = Throttle.from_settings(settings)
        # Answers naming events are held until their read-models have them (settling.py).
        upstream.settler = Settler(upstream, database, settings.consistency_timeout)
        return cls(settings, database, sessions, upstream, SignIn(upstream, sessions))

    def install(self, app: Flask) -> None:
        app.extensions[EXTENSION] = self


def of(app: Flask) -> Gateway:
    """The gateway ``app`` holds."""
    return app.extensions[EXTENSION]


def current() -> Gateway:
    """The gateway of the app serving this request (the pages' one way to reach the seams)."""
    return of(current_app)
