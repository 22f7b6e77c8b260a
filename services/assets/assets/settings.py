"""assets' own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass

from portalkit.settings import env_float


@dataclass(frozen=True)
class AssetsSettings:
    contract_interval: float  # seconds between two checks of contracts starting or ending today

    @classmethod
    def load(cls) -> "AssetsSettings":
        return cls(contract_interval=env_float("PORTAL_ASSETS_CONTRACT_INTERVAL", 60.0))
