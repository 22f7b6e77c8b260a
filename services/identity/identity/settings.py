"""identity's own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portalkit.settings import env, env_int

# The manual names no limit for weak passwords; an unlimited guess rate is not acceptable.
LOCKOUT_THRESHOLDS = {1: 10, 2: 5, 3: 5}


@dataclass(frozen=True)
class IdentitySettings:
    activation_days: int
    lockout_minutes: int
    lockout_alert_accounts: int
    lockout_alert_minutes: int
    password_max_age_days: int
    password_history: int
    reset_token_minutes: int
    reset_interval_seconds: int
    email_change_token_hours: int
    import_max_bytes: int
    import_max_lines: int
    import_chunk_lines: int
    import_stale_seconds: int
    import_preview_minutes: int
    bootstrap_operator_email: str | None
    bootstrap_operator_password: str | None

    @classmethod
    def load(cls) -> "IdentitySettings":
        return cls(
            activation_days=env_int("PORTAL_ACTIVATION_TOKEN_DAYS", 7),
            lockout_minutes=env_int("PORTAL_LOCKOUT_MINUTES", 15),
            lockout_alert_accounts=env_int("PORTAL_LOCKOUT_ALERT_ACCOUNTS", 5),
            lockout_alert_minutes=env_int("PORTAL_LOCKOUT_ALERT_MINUTES", 60),
            password_max_age_days=env_int("PORTAL_PASSWORD_MAX_AGE_DAYS", 90),
            password_history=env_int("PORTAL_PASSWORD_HISTORY", 10),
            reset_token_minutes=env_int("PORTAL_PASSWORD_RESET_TOKEN_MINUTES", 60),
            reset_interval_seconds=env_int("PORTAL_PASSWORD_RESET_INTERVAL_SECONDS", 60),
            email_change_token_hours=env_int("PORTAL_EMAIL_CHANGE_TOKEN_HOURS", 24),
            import_max_bytes=env_int("PORTAL_IMPORT_MAX_BYTES", 5 * 1024 * 1024),
            import_max_lines=env_int("PORTAL_IMPORT_MAX_LINES", 20_000),
            import_chunk_lines=env_int("PORTAL_IMPORT_CHUNK_LINES", 1000),
            import_stale_seconds=env_int("PORTAL_IMPORT_STALE_SECONDS", 120),
            import_preview_minutes=env_int("PORTAL_IMPORT_PREVIEW_MINUTES", 60),
            bootstrap_operator_email=env("PORTAL_BOOTSTRAP_OPERATOR_EMAIL"),
            bootstrap_operator_password=env("PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"),
        )

    @property
    def activation_days_delta(self) -> timedelta:
        return timedelta(days=self.activation_days)

    @staticmethod
    def lockout_threshold(security_level: int) -> int:
        return LOCKOUT_THRESHOLDS.get(security_level, 5)
