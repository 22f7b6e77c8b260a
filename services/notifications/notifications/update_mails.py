"""Mails of new updates: ``UpdateReleased`` mails the holders of "Notification on new updates for
download" in the companies that may download it (the event names them), each in their language.

assets knows which companies may download; who holds the notification service, and their address
and language, notifications keeps itself (``holders``).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.entitlements import NEW_UPDATES_NOTIFICATION
from portalkit.events import Event

from .compose import Mail, link, mail_to
from .holders import holders, person

SERVICE = NEW_UPDATES_NOTIFICATION


def update_released(session: Session, event: Event, base_url: str) -> list[Mail]:
    """One mail per holder in the companies named, once per person (a holder for two companies
    that may both download it gets one mail)."""
    data = event.data
    companies = data.get("company_ids") or []
    if not companies:
        return []
    names = {"en": data.get("product_name_en") or data["product"],
             "fr": data.get("product_name_fr") or data.get("product_name_en") or data["product"]}
    return [mail_to("update_released", person(holder), product=names[holder.language], version=data["version"],
                    channel=data.get("channel") or "stable", released_on=data.get("released_on"),
                    link=link(base_url, "downloads"))
            for holder in holders(session, [SERVICE], companies)]
