"""What notifications does with each event it listens to: ``HANDLERS``, for the worker.

A handler composes the event's mails, and the ``Postman`` sends and records each one in the
handler's transaction. A failed send raises, so the bus retries the event, then dead-letters it.
"""
from __future__ import annotations

import functools
from typing import Callable

from sqlalchemy.orm import Session

from portalkit.consumer import Handler
from portalkit.events import Event
from portalkit.settings import Settings

from portalkit.product_directory import ProductDirectory

from . import (access_mails, compose, content_mails, declarant_mails, declaration_mails, document_mails, holders,
               models, planning_mails, serialization_mails, support_mails, update_mails)
from .delivery import Postman
from .rendering import MailWriter
from .sending import SmtpSender
from .settings import MailSettings

Composer = Callable[[Event, str], list[compose.Mail]]

COMPOSERS: dict[str, Composer] = {
    "identity.UserCreated": compose.activation,
    "identity.PasswordResetRequested": compose.password_reset,
    "identity.EmailChangeRequested": compose.email_change_confirmation,
    "identity.UserEmailChanged": compose.email_changed,
    "identity.UserLocked": compose.account_locked,
    "identity.UserDeleted": compose.account_deleted,
    "identity.UsersImported": compose.import_report,
    "catalog.SubscriptionRequested": compose.subscription_requested,
    "catalog.SubscriptionAccepted": compose.subscription_decided("subscription_accepted"),
    "catalog.SubscriptionRefused": compose.subscription_decided("subscription_refused"),
    "catalog.SubscriptionCancelled": compose.subscription_decided("subscription_cancelled"),
    "catalog.SubscriptionExpired": compose.subscription_decided("subscription_expired"),
    "catalog.SubscriptionExpiring": compose.subscription_expiring,
    "identity.AccessRequested": access_mails.access_requested,
    "identity.AccessRequestedForExistingAccount": access_mails.existing_account,
    "identity.AccessRequestDecided": access_mails.access_decided,
    "identity.DeclarantIssued": declarant_mails.issued,
    "identity.DeclarantPasswordResetRequested": declarant_mails.password_reset,
    "identity.DeclarantRevoked": declarant_mails.revoked,
    "assets.IdentifierChangeRequested": serialization_mails.change_requested,
    "assets.IdentifierChangeDecided": serialization_mails.change_decided,
    "assets.InterventionPlanned": planning_mails.planned,
    "assets.InterventionChanged": planning_mails.changed,
    "assets.InterventionCancelled": planning_mails.cancelled,
    "support.SupportRequestOpened": support_mails.opened,
    "support.SupportRequestUpdated": support_mails.updated,
    "support.SupportRequestResolved": support_mails.resolved,
}


# Composers that read notifications' own read-model (``holders``).
SESSION_COMPOSERS: dict[str, Callable[[Session, Event, str], list[compose.Mail]]] = {
    "assets.UpdateReleased": update_mails.update_released,
    "assets.DocumentPublished": document_mails.documents_published,
    "declarations.DeclarationDeposited": declarant_mails.deposited,
    "declarations.DeclarationTransmitted": declaration_mails.transmitted,
    "declarations.DeclarationAcknowledged": declaration_mails.acknowledged,
    "declarations.DeclarationDue": declaration_mails.due,
}
# Events that only change notifications' own tables, no mail at once: assets' products and
# holdings (the target of content), and the publications the fan-out job expands (content_mails).
PRODUCTS = ProductDirectory(models.Product, models.Holding)
RECORDERS: dict[str, Handler] = {**PRODUCTS.handlers(), **content_mails.HANDLERS}
HANDLED = (*COMPOSERS, *SESSION_COMPOSERS, *(key for key in holders.KEPT if key not in COMPOSERS),
           *(key for key in declarant_mails.KEPT if key not in COMPOSERS), *RECORDERS)


def mail_event(session: Session, event: Event, postman: Postman, base_url: str) -> None:
    """Keep the read-model the event changes, then send every mail it causes."""
    if event.routing_key in RECORDERS:
        RECORDERS[event.routing_key](session, event)
        return
    if event.routing_key in holders.KEPT:
        holders.keep(session, event)
    if event.routing_key in declarant_mails.KEPT:
        declarant_mails.keep(session, event)
    if event.routing_key in SESSION_COMPOSERS:
        mails = SESSION_COMPOSERS[event.routing_key](session, event, base_url)
    elif event.routing_key in COMPOSERS:
        mails = COMPOSERS[event.routing_key](event, base_url)
    else:
        return
    for mail in compose.addressed(mails, event):
        postman.deliver(session, event, mail)


def handlers_for(postman: Postman, base_url: str) -> dict[str, Handler]:
    """The bus handlers, ``handler(session, event)``, sending through ``postman``."""
    return {key: functools.partial(mail_event, postman=postman, base_url=base_url)
            for key in HANDLED}


@functools.cache
def _configured() -> tuple[Postman, str]:
    # Read on first use, not at import, so that the worker's environment decides.
    settings = MailSettings.load(Settings.load("notifications"))
    return (Postman(SmtpSender(settings), MailWriter(settings.time_zone), settings.mail_from),
            settings.base_url)


def _from_environment(session: Session, event: Event) -> None:
    postman, base_url = _configured()
    mail_event(session, event, postman, base_url)


HANDLERS: dict[str, Handler] = {key: _from_environment for key in HANDLED}
