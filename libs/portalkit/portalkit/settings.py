"""Every setting the portal reads, from environment variables, in one place.

Defaults are those of the embedded mode (SQLite files and a broker-less bus under ``var/``);
production sets the URLs and the secret explicitly (``PORTAL_ENV=production`` refuses to start
without a secret).
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

SERVICES = ("identity", "catalog", "assets", "knowledge", "support", "notifications", "declarations")
DEFAULT_PORTS = {"gateway": 8000, "identity": 8101, "catalog": 8102, "assets": 8103,
                 "knowledge": 8104, "support": 8105, "notifications": 8106, "declarations": 8107}


class SettingsError(RuntimeError):
    """A setting is missing or malformed."""


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_int(name: str, default: int) -> int:
    raw = env(name)
    try:
        return default if raw is None else int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = env(name)
    try:
        return default if raw is None else float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    return default if raw is None else raw.lower() in ("1", "true", "yes", "on")


def var_dir() -> Path:
    path = Path(env("PORTAL_VAR_DIR", str(Path.cwd() / "var"))).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(component: str) -> str:
    """The database of one service (or of the gateway's read-model).

    ``PORTAL_<NAME>_DATABASE_URL`` wins; else ``PORTAL_DATABASE_URL`` with ``{service}`` replaced
    by the name (one database per service on one server); else a SQLite file under ``var/``.
    """
    own = env(f"PORTAL_{component.upper()}_DATABASE_URL")
    if own:
        return own
    template = env("PORTAL_DATABASE_URL")
    if template:
        return template.replace("{service}", component)
    return f"sqlite:///{var_dir() / (component + '.db')}"


def identity_secret() -> str:
    """The key the gateway signs forwarded identities with, and the services verify them with.

    Embedded mode keeps a random one in ``var/identity-secret`` so that every process of the
    mesh shares it; production must set ``PORTAL_IDENTITY_SECRET``.
    """
    secret = env("PORTAL_IDENTITY_SECRET")
    if secret:
        return secret
    if env("PORTAL_ENV", "development") == "production":
        raise SettingsError("PORTAL_IDENTITY_SECRET must be set in production")
    path = var_dir() / "identity-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    """What every process of the mesh needs to know about its surroundings."""

    component: str
    database_url: str
    broker_url: str
    identity_secret: str
    identity_token_ttl: int
    base_url: str
    bus_polling_interval: float
    bus_max_retries: int
    bus_retry_delay: float
    outbox_polling_interval: float
    # RabbitMQ only: the consumers' queues are quorum queues (replicated on a cluster).
    bus_quorum_queues: bool = True

    @classmethod
    def load(cls, component: str) -> "Settings":
        return cls(
            component=component,
            database_url=database_url(component),
            broker_url=env("PORTAL_BROKER_URL", "filesystem://"),
            identity_secret=identity_secret(),
            identity_token_ttl=env_int("PORTAL_IDENTITY_TOKEN_TTL", 30),
            base_url=env("PORTAL_BASE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/"),
            bus_polling_interval=env_float("PORTAL_BUS_POLLING_INTERVAL", 0.02),
            bus_max_retries=env_int("PORTAL_BUS_MAX_RETRIES", 5),
            bus_retry_delay=env_float("PORTAL_BUS_RETRY_DELAY", 0.5),
            outbox_polling_interval=env_float("PORTAL_OUTBOX_POLLING_INTERVAL", 0.02),
            bus_quorum_queues=env_bool("PORTAL_BUS_QUORUM_QUEUES", True),
        )
