"""catalog's own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass

from portalkit.settings import env_float, env_int


@dataclass(frozen=True)
class CatalogSettings:
    expiry_interval: float  # seconds between two runs of the expiry job in the worker
    reminder_days: int  # how many days before its end a subscription's holder is told
    expiry_batch: int  # subscriptions ended or reminded per transaction

    @classmethod
    def load(cls) -> "CatalogSettings":
        return cls(
            expiry_interval=env_float("PORTAL_CATALOG_EXPIRY_INTERVAL", 60.0),
            reminder_days=env_int("PORTAL_CATALOG_REMINDER_DAYS", 7),
            expiry_batch=env_int("PORTAL_CATALOG_EXPIRY_BATCH", 500),
        )
