"""The fan-out job: expands each recorded publication into one delivery per holder in its target,
in batches, so that a publication reaching 100,000 holders never holds the bus or one transaction.

Each batch is one transaction: the next ``batch`` holder rows after the publication's cursor
(keyset order ``user_id, company_id``), inserted as deliveries with ``ON CONFLICT DO NOTHING`` on
the unique (publication, user) — so a person holding the service for two companies, or a batch
redone after a crash, is told once — and the cursor moved past them. The publication row is
locked for the batch (``FOR UPDATE SKIP LOCKED`` on PostgreSQL): two workers never expand it at
once. A run stops after ``budget`` seconds so that the worker's other jobs get their turn.
"""
from __future__ import annotations

import logging
import time

from sqlalchemy import and_, exists, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from portalkit import entitlements
from portalkit.db import Database, utcnow

from .compose import full_name
from .models import ContentDelivery, ContentPublication, Holding, MailPreference, Product, ServiceHolder

log = logging.getLogger(__name__)
IMMEDIATE, DAILY_DIGEST = "immediate", "daily_digest"


def target(publication: ContentPublication):
    """The SQL condition on ``ServiceHolder`` rows of the publication's target (None: everyone)."""
    conditions = []
    if publication.product_codes:
        conditions.append(ServiceHolder.company_id.in_(
            select(Holding.company_id).join(Product, Product.id == Holding.product_id)
            .where(Product.code.in_(publication.product_codes), Holding.removed.is_(False))))
    if publication.domains:
        preference = aliased(ServiceHolder)
        conditions.append(exists().where(
            preference.user_id == ServiceHolder.user_id, preference.company_id == ServiceHolder.company_id,
            preference.service_code.in_([entitlements.functional_preference(d) for d in publication.domains])))
    return or_(*conditions) if conditions else None


def _next_holders(session: Session, publication: ContentPublication, batch: int) -> list:
    query = (select(ServiceHolder.user_id, ServiceHolder.company_id, ServiceHolder.email,
                    ServiceHolder.first_name, ServiceHolder.last_name, ServiceHolder.language,
                    func.coalesce(MailPreference.content_mails, IMMEDIATE))
             .outerjoin(MailPreference, MailPreference.user_id == ServiceHolder.user_id)
             .where(ServiceHolder.service_code == publication.service_code, ServiceHolder.email.is_not(None),
                    tuple_(ServiceHolder.user_id, ServiceHolder.company_id)
                    > tuple_(publication.cursor_user_id, publication.cursor_company_id))
             .order_by(ServiceHolder.user_id, ServiceHolder.company_id).limit(batch))
    condition = target(publication)
    if condition is not None:
        query = query.where(condition)
    return list(session.execute(query))


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


# One statement per engine, built once: each batch passes its rows as parameters (SQLAlchemy's
# "insertmanyvalues" sends them as multi-row INSERTs), so the statement is compiled once and cached
# instead of a new 1,000-row VALUES clause compiled for every batch.
_DELIVERIES = {name: insert(ContentDelivery).on_conflict_do_nothing(index_elements=["publication_id", "user_id"])
               for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))}


def _insert_deliveries(session: Session, values: list[dict]) -> None:
    session.execute(_DELIVERIES["postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"], values)


def expand_batch(session: Session, publication: ContentPublication, batch: int) -> int:
    """Expand the next ``batch`` holders of ``publication``; the number of rows read."""
    rows = _next_holders(session, publication, batch)
    now = utcnow()
    values, seen = [], set()
    for user_id, _company, email, first_name, last_name, language, mode in rows:
        if user_id in seen:
            continue
        seen.add(user_id)
        values.append({"publication_id": publication.id, "user_id": user_id, "email": email,
                       "name": full_name({"first_name": first_name, "last_name": last_name})[:200],
                       "first_name": first_name or "", "language": language or "en",
                       "mode": mode if mode in (IMMEDIATE, DAILY_DIGEST) else IMMEDIATE,
                       "state": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now})
    if values:
        _insert_deliveries(session, values)
    if rows:
        publication.cursor_user_id, publication.cursor_company_id = rows[-1][0], rows[-1][1]
    if len(rows) < batch:
        publication.expanded = True
        publication.expanded_at = now
        publication.recipients = session.scalar(
            select(func.count()).select_from(ContentDelivery).where(ContentDelivery.publication_id == publication.id))
        log.info("%s %s expanded: %d recipients", publication.item_type, publication.item_id,
                 publication.recipients)
    session.flush()
    return len(rows)


def _next_publication(session: Session) -> ContentPublication | None:
    query = (select(ContentPublication).where(ContentPublication.expanded.is_(False))
             .order_by(ContentPublication.recorded_at, ContentPublication.id).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


def expand_pending(database: Database, batch: int = 1000, budget: float = 2.0,
                   clock=time.monotonic) -> int:
    """Expand the recorded publications, batch by batch, for at most ``budget`` seconds; the number
    of holder rows read."""
    deadline, read = clock() + budget, 0
    while clock() < deadline:
        with database.transaction() as session:
            publication = _next_publication(session)
            if publication is None:
                return read
            read += expand_batch(session, publication, batch)
    return read


def set_mode_of_pending(session: Session, user_id: str, mode: str) -> None:
    """A user's new preference applies to their deliveries not yet sent nor gathered in a digest."""
    session.execute(update(ContentDelivery)
                    .where(and_(ContentDelivery.user_id == user_id, ContentDelivery.state == "pending",
                                ContentDelivery.mode != mode))
                    .values(mode=mode))
