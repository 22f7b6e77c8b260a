"""assets' own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portalkit.settings import SettingsError, env, env_float


@dataclass(frozen=True)
class AssetsSettings:
    contract_interval: float  # seconds between two checks of contracts starting or ending today
    # Serializations (and identifier change requests) a company may ask for, in the ``limits``
    # notation; counted in PORTAL_RATE_LIMIT_STORAGE_URL (Redis in production).
    serialization_rate_limit: str
    # The IANA time zone a company's planned services are shown in, unless the company has its own.
    default_time_zone: str = "Europe/Paris"

    @classmethod
    def load(cls) -> "AssetsSettings":
        return cls(contract_interval=env_float("PORTAL_ASSETS_CONTRACT_INTERVAL", 60.0),
                   serialization_rate_limit=env("PORTAL_ASSETS_SERIALIZATION_RATE_LIMIT", "30/minute;300/day"),
                   default_time_zone=_time_zone(env("PORTAL_ASSETS_DEFAULT_TIME_ZONE", "Europe/Paris")))


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"PORTAL_ASSETS_DEFAULT_TIME_ZONE: {name!r} is not an IANA time zone") from None
    return name
