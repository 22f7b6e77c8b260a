"""Who holds the services whose holders notifications mails, per company: the read-model that the
catalog's Subscription* events and identity's user events keep (``keep``), and the lookup the
mails of new updates, documents and content make (``holders``).

A holder is (user, company of the subscription's scope, service). Only the services in ``WATCHED``
(and every "Functional preference: …") are kept: the others never cause a mail to their holders.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portalkit import entitlements
from portalkit.events import Event

from .compose import language_of
from .models import ServiceHolder

WATCHED = frozenset({entitlements.NEW_UPDATES_NOTIFICATION, entitlements.NEW_FAQ_NOTIFICATION,
                     *entitlements.NEWS_NOTIFICATIONS.values(), *entitlements.DOCUMENT_VIEWING.values()})
STARTS = ("catalog.SubscriptionAccepted",)
STOPS = ("catalog.SubscriptionCancelled", "catalog.SubscriptionExpired")
PERSON_CHANGES = ("identity.UserUpdated", "identity.UserEmailChanged", "identity.UserActivated")
# The events the read-model follows (beside the mails they may cause).
KEPT = (*STARTS, *STOPS, *PERSON_CHANGES, "identity.UserDeleted")


def watched(service_code: str | None) -> bool:
    return bool(service_code) and (service_code in WATCHED
                                   or service_code.startswith(entitlements.FUNCTIONAL_PREFERENCE_PREFIX))


def keep(session: Session, event: Event) -> None:
    """Apply ``event`` to the read-model of who holds which watched service."""
    key, data = event.routing_key, event.data
    if key in STARTS + STOPS:
        if not watched(data.get("service_code")):
            return
        identity = (data["user_id"], data["scope_company_id"], data["service_code"])
        holder = session.get(ServiceHolder, identity)
        if key in STOPS:
            if holder is not None:
                session.delete(holder)
            return
        if holder is None:
            holder = ServiceHolder(user_id=identity[0], company_id=identity[1], service_code=identity[2])
            session.add(holder)
        _copy_person(holder, data)
    elif key == "identity.UserDeleted":
        session.execute(delete(ServiceHolder).where(ServiceHolder.user_id == data["user_id"]))
    elif key in PERSON_CHANGES:
        for holder in session.scalars(select(ServiceHolder).where(ServiceHolder.user_id == data["user_id"])):
            _copy_person(holder, data)
    session.flush()


def _copy_person(holder: ServiceHolder, data: dict) -> None:
    holder.email = data.get("email")
    holder.first_name = (data.get("first_name") or "")[:100]
    holder.last_name = (data.get("last_name") or "")[:100]
    holder.language = language_of(data.get("language"))


def holders(session: Session, service_codes: Iterable[str], company_ids: Iterable[str] | None = None,
            ) -> Iterator[ServiceHolder]:
    """The holders of any of ``service_codes`` (in ``company_ids`` when given) who have an address,
    each person once (the first of their rows, by company)."""
    query = select(ServiceHolder).where(ServiceHolder.service_code.in_(list(service_codes)),
                                        ServiceHolder.email.is_not(None))
    if company_ids is not None:
        query = query.where(ServiceHolder.company_id.in_(list(company_ids)))
    told = set()
    for holder in session.scalars(query.order_by(ServiceHolder.user_id, ServiceHolder.company_id)):
        if holder.user_id not in told:
            told.add(holder.user_id)
            yield holder


def person(holder: ServiceHolder) -> dict:
    """What ``compose.mail_to`` needs about a holder."""
    return {"email": holder.email, "first_name": holder.first_name, "last_name": holder.last_name,
            "language": holder.language}
