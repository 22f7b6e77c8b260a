"""assets' own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass

from portalkit.settings import env, env_float


@dataclass(frozen=True)
class AssetsSettings:
    contract_interval: float  # seconds between two checks of contracts starting or ending today
    # Serializations (and identifier change requests) a company may ask for, in the ``limits``
    # notation; counted in PORTAL_RATE_LIMIT_STORAGE_URL (Redis in production).
    serialization_rate_limit: str

    @classmethod
    def load(cls) -> "AssetsSettings":
        return cls(contract_interval=env_float("PORTAL_ASSETS_CONTRACT_INTERVAL", 60.0),
                   serialization_rate_limit=env("PORTAL_ASSETS_SERIALIZATION_RATE_LIMIT", "30/minute;300/day"))
