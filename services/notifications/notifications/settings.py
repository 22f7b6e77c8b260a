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


@dataclass(frozen=True)
class ContentSettings:
    """How the mails of new content go out (``fanout``, ``content_sender``, ``digests``)."""

    # The daily digest goes at this hour (0-23) of ``time_zone`` (PORTAL_MAIL_TIMEZONE): one zone
    # for the installation, the events carry no company's zone.
    digest_hour: int
    time_zone: str
    fanout_batch: int
    fanout_interval: float
    send_concurrency: int
    send_rate: float  # mails per second over every lane of the process; 0: no limit
    send_batch: int
    send_lease: float
    send_max_attempts: int
    send_retry_delay: float
    messages_per_connection: int
    send_poll: float

    @classmethod
    def load(cls) -> "ContentSettings":
        hour = env_int("PORTAL_NOTIFICATIONS_DIGEST_HOUR", 7)
        if not 0 <= hour <= 23:
            raise ValueError(f"PORTAL_NOTIFICATIONS_DIGEST_HOUR must be 0-23, not {hour}")
        return cls(
            digest_hour=hour,
            time_zone=env("PORTAL_MAIL_TIMEZONE", "UTC"),
            fanout_batch=max(1, env_int("PORTAL_NOTIFICATIONS_FANOUT_BATCH", 500)),
            fanout_interval=max(0.05, env_float("PORTAL_NOTIFICATIONS_FANOUT_INTERVAL", 1.0)),
            send_concurrency=max(1, env_int("PORTAL_NOTIFICATIONS_SEND_CONCURRENCY", 2)),
            send_rate=max(0.0, env_float("PORTAL_NOTIFICATIONS_SEND_RATE", 0.0)),
            send_batch=max(1, env_int("PORTAL_NOTIFICATIONS_SEND_BATCH", 50)),
            send_lease=max(1.0, env_float("PORTAL_NOTIFICATIONS_SEND_LEASE", 60.0)),
            send_max_attempts=max(1, env_int("PORTAL_NOTIFICATIONS_SEND_MAX_ATTEMPTS", 8)),
            send_retry_delay=max(0.01, env_float("PORTAL_NOTIFICATIONS_SEND_RETRY_DELAY", 30.0)),
            messages_per_connection=max(1, env_int("PORTAL_NOTIFICATIONS_SMTP_MESSAGES_PER_CONNECTION", 100)),
            send_poll=max(0.01, env_float("PORTAL_NOTIFICATIONS_SEND_POLL", 0.5)),
        )
