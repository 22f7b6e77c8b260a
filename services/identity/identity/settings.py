"""identity's own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portalkit.settings import env, env_int


@dataclass(frozen=True)
class IdentitySettings:
    activation_days: int
    lockout_minutes: int
    password_max_age_days: int
    bootstrap_operator_email: str | None
    bootstrap_operator_password: str | None

    @classmethod
    def load(cls) -> "IdentitySettings":
        return cls(
            activation_days=env_int("PORTAL_ACTIVATION_TOKEN_DAYS", 7),
            lockout_minutes=env_int("PORTAL_LOCKOUT_MINUTES", 15),
            password_max_age_days=env_int("PORTAL_PASSWORD_MAX_AGE_DAYS", 90),
            bootstrap_operator_email=env("PORTAL_BOOTSTRAP_OPERATOR_EMAIL"),
            bootstrap_operator_password=env("PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"),
        )

    @property
    def activation_days_delta(self) -> timedelta:
        return timedelta(days=self.activation_days)

    @staticmethod
    def lockout_threshold(security_level: int) -> int:
        # The manual names no limit for weak passwords; an unlimited guess rate is not acceptable.
        return 10 if security_level == 1 else 5
