"""The gateway's own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from portalkit.settings import (DEFAULT_PORTS, SERVICES, SettingsError, env, env_bool, env_float,
                                env_int, identity_secret)


@dataclass(frozen=True)
class GatewaySettings:
    port: int
    service_urls: dict[str, str]
    upstream_connect_timeout: float
    upstream_read_timeout: float
    upstream_pool_size: int
    session_idle_minutes: int
    session_lifetime_hours: int
    cookie_secure: bool
    secret_key: str
    consistency_timeout: float

    @classmethod
    def load(cls) -> "GatewaySettings":
        return cls(
            port=env_int("PORT", DEFAULT_PORTS["gateway"]),
            service_urls={name: env(f"PORTAL_{name.upper()}_URL",
                                    f"http://127.0.0.1:{DEFAULT_PORTS[name]}").rstrip("/")
                          for name in SERVICES},
            upstream_connect_timeout=env_float("PORTAL_UPSTREAM_CONNECT_TIMEOUT", 2.0),
            upstream_read_timeout=env_float("PORTAL_UPSTREAM_READ_TIMEOUT", 30.0),
            upstream_pool_size=env_int("PORTAL_UPSTREAM_POOL_SIZE", 16),
            session_idle_minutes=env_int("PORTAL_SESSION_IDLE_MINUTES", 60),
            session_lifetime_hours=env_int("PORTAL_SESSION_LIFETIME_HOURS", 12),
            cookie_secure=env_bool("PORTAL_COOKIE_SECURE", False),
            secret_key=_secret_key(),
            consistency_timeout=env_float("PORTAL_CONSISTENCY_TIMEOUT", 5.0),
        )


def _secret_key() -> str:
    """Flask's key (signed cookies of the pages); production sets it, embedded mode derives it."""
    key = env("PORTAL_SECRET_KEY")
    if key:
        return key
    if env("PORTAL_ENV", "development") == "production":
        raise SettingsError("PORTAL_SECRET_KEY must be set in production")
    # A key of its own, derived so that every gateway process of the embedded mesh agrees on it
    # without another file, and so that it never equals the identity-signing key itself.
    return hmac.new(identity_secret().encode(), b"portal-gateway-flask-secret-key",
                    hashlib.sha256).hexdigest()
