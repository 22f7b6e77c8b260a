"""Mails of new updates: ``UpdateReleased`` mails the holders of "Notification on new updates for
download" in the companies that may download it (the event names them), each in their language.

assets knows which companies may download; who holds the notification service, and their address
and language, notifications keeps itself (``UpdateWatcher``) from the catalog's Subscription*
events and identity's user events: the read-model ``keep`` maintains.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portalkit.entitlements import NEW_UPDATES_NOTIFICATION
from portalkit.events import Event

from .compose import Mail, language_of, link, mail_to
from .models import UpdateWatcher

SERVICE = NEW_UPDATES_NOTIFICATION
STARTS = ("catalog.SubscriptionAccepted",)
STOPS = ("catalog.SubscriptionCancelled", "catalog.SubscriptionExpired")
PERSON_CHANGES = ("identity.UserUpdated", "identity.UserEmailChanged", "identity.UserActivated")
# The events the read-model follows (beside the mails they may cause).
KEPT = (*STARTS, *STOPS, *PERSON_CHANGES, "identity.UserDeleted")


def keep(session: Session, event: Event) -> None:
    """Apply ``event`` to the read-model of who is told of new updates."""
    key, data = event.routing_key, event.data
    if key in STARTS + STOPS:
        if data.get("service_code") != SERVICE:
            return
        watcher = session.get(UpdateWatcher, (data["user_id"], data["scope_company_id"]))
        if key in STOPS:
            if watcher is not None:
                session.delete(watcher)
            return
        if watcher is None:
            watcher = UpdateWatcher(user_id=data["user_id"], company_id=data["scope_company_id"])
            session.add(watcher)
        _copy_person(watcher, data)
    elif key == "identity.UserDeleted":
        session.execute(delete(UpdateWatcher).where(UpdateWatcher.user_id == data["user_id"]))
    elif key in PERSON_CHANGES:
        for watcher in session.scalars(select(UpdateWatcher).where(UpdateWatcher.user_id == data["user_id"])):
            _copy_person(watcher, data)
    session.flush()


def _copy_person(watcher: UpdateWatcher, data: dict) -> None:
    watcher.email = data.get("email")
    watcher.first_name = (data.get("first_name") or "")[:100]
    watcher.last_name = (data.get("last_name") or "")[:100]
    watcher.language = language_of(data.get("language"))


def update_released(session: Session, event: Event, base_url: str) -> list[Mail]:
    """One mail per holder in the companies named, once per person (a holder for two companies
    that may both download it gets one mail)."""
    data = event.data
    companies = data.get("company_ids") or []
    if not companies:
        return []
    watchers = session.scalars(select(UpdateWatcher).where(UpdateWatcher.company_id.in_(companies))
                               .order_by(UpdateWatcher.user_id, UpdateWatcher.company_id)).all()
    mails, told = [], set()
    for watcher in watchers:
        if watcher.user_id in told or not watcher.email:
            continue
        told.add(watcher.user_id)
        person = {"email": watcher.email, "first_name": watcher.first_name, "last_name": watcher.last_name,
                  "language": watcher.language}
        names = {"en": data.get("product_name_en") or data["product"],
                 "fr": data.get("product_name_fr") or data.get("product_name_en") or data["product"]}
        mails.append(mail_to("update_released", person, product=names[watcher.language], version=data["version"],
                             channel=data.get("channel") or "stable", released_on=data.get("released_on"),
                             link=link(base_url, "downloads")))
    return mails
