"""notifications' own settings (environment variables), beside the mesh-wide ones of portalkit."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portalkit.settings import Settings, env, env_bool, env_float, env_int, var_dir


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_starttls: bool
    smtp_ssl: bool
    smtp_timeout: float
    mail_from: str
    mail_dir: Path
    # Mails state times (link expiry, lock end) in this zone; the events carry no user's zone.
    time_zone: str
    base_url: str

    @classmethod
    def load(cls, settings: Settings | None = None) -> "MailSettings":
        settings = settings or Settings.load("notifications")
        return cls(
            smtp_host=env("PORTAL_SMTP_HOST", "127.0.0.1"),
            smtp_port=env_int("PORTAL_SMTP_PORT", 8025),
            smtp_user=env("PORTAL_SMTP_USER"),
            smtp_password=env("PORTAL_SMTP_PASSWORD"),
            smtp_starttls=env_bool("PORTAL_SMTP_STARTTLS", False),
            smtp_ssl=env_bool("PORTAL_SMTP_SSL", False),
            smtp_timeout=env_float("PORTAL_SMTP_TIMEOUT", 10.0),
            mail_from=env("PORTAL_MAIL_FROM", "Client portal <no-reply@portal.localhost>"),
            mail_dir=Path(env("PORTAL_MAIL_DIR", str(var_dir() / "mail"))),
            time_zone=env("PORTAL_MAIL_TIMEZONE", "UTC"),
            base_url=settings.base_url,
        )
