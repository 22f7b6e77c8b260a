"""The gateway's own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from portalkit.settings import (DEFAULT_PORTS, SERVICES, SettingsError, env, env_bool, env_float,
                                env_int, identity_secret)


# action: (setting's name, per account, per client address). Sign-in, activation and reset count
# the refused attempts only; every forgotten-password request counts (each may send a mail).
RATE_LIMITS = {
    "sign_in": ("SIGN_IN", "10/minute", "30/minute"),
    "password_forgot": ("FORGOT", "5/hour", "20/hour"),
    "activation": ("ACTIVATION", "10/minute", "30/minute"),
    "password_reset": ("RESET", "10/minute", "30/minute"),
    # Every access request counts: each one mails a company's administrators or the operators.
    "access_request": ("ACCESS_REQUEST", "5/hour", "20/hour"),
}


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
    max_url_bytes: int
    rate_limits_enabled: bool
    rate_limit_storage_url: str
    # Per action (throttle.SIGN_IN…): the limits per account and per client address, in the
    # ``limits`` notation ("10/minute", "5/hour;20/day"; "none" for no limit).
    rate_limits: dict[str, tuple[str, str]]
    # The largest body of a route taking files (routes.Route.uploads), streamed through.
    max_upload_bytes: int = 5 * 1024 ** 3
    # assets' limit of an update file (the same variable): the release page refuses a larger body
    # before forwarding a byte, and says the limit.
    release_max_bytes: int = 4 * 1024 ** 3
    # declarations' limit of a deposited filing (the same variable): the deposit route and page
    # refuse a larger body (413) before forwarding a byte, instead of streaming gigabytes on.
    deposit_max_bytes: int = 8 * 1024 ** 2

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
            # Production is served over HTTPS: the cookie is Secure unless told otherwise.
            cookie_secure=env_bool("PORTAL_COOKIE_SECURE", env("PORTAL_ENV", "development") == "production"),
            secret_key=_secret_key(),
            consistency_timeout=env_float("PORTAL_CONSISTENCY_TIMEOUT", 5.0),
            max_url_bytes=env_int("PORTAL_MAX_URL_BYTES", 8192),
            rate_limits_enabled=env_bool("PORTAL_RATE_LIMITS_ENABLED", True),
            rate_limit_storage_url=env("PORTAL_RATE_LIMIT_STORAGE_URL", "memory://"),
            rate_limits={action: (env(f"PORTAL_RATE_LIMIT_{name}", account),
                                  env(f"PORTAL_RATE_LIMIT_{name}_ADDRESS", address))
                         for action, (name, account, address) in RATE_LIMITS.items()},
            max_upload_bytes=env_int("PORTAL_MAX_UPLOAD_BYTES", 5 * 1024 ** 3),
            release_max_bytes=env_int("PORTAL_ASSETS_RELEASE_MAX_BYTES", 4 * 1024 ** 3),
            deposit_max_bytes=env_int("PORTAL_DECLARATIONS_MAX_BYTES", 8 * 1024 ** 2),
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
