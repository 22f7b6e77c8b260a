"""declarations' own settings (environment variables), beside the mesh-wide ones of portalkit: the
deposit's size limit, the open campaigns and the EDI partner transmitted to."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from portalkit.db import utcnow
from portalkit.settings import SettingsError, env, env_float, env_int

# The simulated partner's token (declarations.simulated_partner.settings.DEFAULT_TOKEN): the
# embedded default only; production names the real partner's.
SIMULATION_TOKEN = "edi-partner-simulation-token"
# Hosts where plain http is the simulated partner's: loopback (the mesh) and the compose service.
SIMULATION_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "edi-partner-simulation"})


def _production() -> bool:
    return env("PORTAL_ENV", "development") == "production"


def partner_url() -> str:
    """The partner's base URL; in production https, unless it is the simulation's."""
    url = env("PORTAL_DECLARATIONS_PARTNER_URL", f"http://127.0.0.1:{env_int('PORT', 8000) + 108}").rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SettingsError(f"PORTAL_DECLARATIONS_PARTNER_URL must be an http(s) URL, got {url!r}")
    if _production() and parsed.scheme != "https" and parsed.hostname not in SIMULATION_HOSTS:
        raise SettingsError("PORTAL_DECLARATIONS_PARTNER_URL must be https in production "
                            f"(plain http only to the simulated partner), got {url!r}")
    return url


def partner_token() -> str:
    token = env("PORTAL_DECLARATIONS_PARTNER_TOKEN")
    if token:
        return token
    if _production():
        raise SettingsError("PORTAL_DECLARATIONS_PARTNER_TOKEN must be set in production")
    return SIMULATION_TOKEN


@dataclass(frozen=True)
class DeclarationsSettings:
    max_bytes: int               # a deposited file (413 past it, nothing stored)
    campaigns: tuple[int, ...]   # the millésimes accepted (UNH's association code: FD2401 → 2024)
    partner_url: str = ""        # the EDI partner's API (declarations.partner_http)
    partner_token: str = ""
    partner_timeout: float = 10.0
    partner_ca_bundle: str | None = None  # a CA file to verify the partner's certificate with

    @classmethod
    def load(cls) -> "DeclarationsSettings":
        year = utcnow().year
        text = env("PORTAL_DECLARATIONS_CAMPAIGNS", f"{year - 1},{year}")
        try:
            campaigns = tuple(sorted({int(part) for part in text.replace(" ", ",").split(",") if part}))
        except ValueError:
            raise SettingsError(f"PORTAL_DECLARATIONS_CAMPAIGNS lists years (e.g. 2025,2026), got {text!r}") from None
        # The checks read about 1 MiB in 2 s on these machines (pydifact's tokenizer): 8 MiB keeps
        # the deposit's answer well inside the gateway's 30 s upstream timeout (a liasse is tens of KB).
        return cls(max_bytes=env_int("PORTAL_DECLARATIONS_MAX_BYTES", 8 * 1024 * 1024), campaigns=campaigns,
                   partner_url=partner_url(), partner_token=partner_token(),
                   partner_timeout=env_float("PORTAL_DECLARATIONS_PARTNER_TIMEOUT", 10.0),
                   partner_ca_bundle=env("PORTAL_DECLARATIONS_PARTNER_CA_BUNDLE"))


@dataclass(frozen=True)
class TransmissionSettings:
    """The transmission worker's timing (transmission.py): the backoff of a submission the partner
    did not answer, how often transmitted deposits are polled for reports, and the loops' pace."""

    retry_base: float       # the first retry's delay, doubled at each failure (with jitter)
    retry_max: float        # the longest delay between two attempts
    poll_interval: float    # between two polls of one transmitted deposit's reports
    idle_interval: float    # a loop's pause when nothing is due
    batch: int              # deposits taken per round

    @classmethod
    def load(cls) -> "TransmissionSettings":
        return cls(retry_base=env_float("PORTAL_DECLARATIONS_RETRY_BASE", 5.0),
                   retry_max=env_float("PORTAL_DECLARATIONS_RETRY_MAX", 3600.0),
                   poll_interval=env_float("PORTAL_DECLARATIONS_POLL_INTERVAL", 5.0),
                   idle_interval=env_float("PORTAL_DECLARATIONS_LOOP_INTERVAL", 1.0),
                   batch=env_int("PORTAL_DECLARATIONS_BATCH", 20))
