"""The planning of services: operators plan on-site services and trainings for a company's user
(the recipient, with the order's contact), move, edit and cancel them, each change told
(``InterventionPlanned`` / ``InterventionChanged`` / ``InterventionCancelled``: the two are mailed).

A service is seen by its recipient and the order's contact only — not by their colleagues, not by
the company's administrators: for anyone else it does not exist (404). Times are stored in UTC and
shown in the company's time zone (``time_zone``, kept on the service when it is planned: the
company's own if its read-model has one, else ``PORTAL_ASSETS_DEFAULT_TIME_ZONE``).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from .events import outbox
from .models import Company, Intervention, Member
from .releases import invalid

MAX_SPAN = timedelta(days=31)
EDITABLE = ("kind", "subject", "place", "meeting_url", "access_code", "consultant", "order_number")


def company_time_zone(session: Session, company_id: str | None, default: str) -> str:
    company = session.get(Company, company_id) if company_id else None
    return getattr(company, "time_zone", None) or default


def _utc(value: datetime, zone: str, field: str) -> datetime:
    """An aware time as is; a time without offset is the company's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    try:
        moment = value.astimezone(ZoneInfo("UTC"))
    except (OverflowError, ValueError):
        raise invalid(field, "Not a time the portal can keep.") from None
    if not 2000 <= moment.year <= 2999:
        raise invalid(field, "Give a time between the years 2000 and 2999.")
    return moment


def _member(session: Session, field: str, user_id: str, company_id: str) -> Member:
    member = session.get(Member, user_id)
    if member is None or member.company_id != company_id:
        raise invalid(field, "No such user in this company.")
    return member


def plan(session: Session, data: dict, operator_id: str | None, default_zone: str) -> Intervention:
    """Record a planned service and tell it; committed."""
    company = session.get(Company, data["company_id"])
    if company is None:
        raise invalid("company_id", "No such company.")
    _member(session, "recipient_id", data["recipient_id"], company.id)
    if data.get("contact_id"):
        _member(session, "contact_id", data["contact_id"], company.id)
    zone = company_time_zone(session, company.id, default_zone)
    starts_at, ends_at = _utc(data["starts_at"], zone, "starts_at"), _utc(data["ends_at"], zone, "ends_at")
    _check_span(starts_at, ends_at)
    intervention = Intervention(company_id=company.id, recipient_id=data["recipient_id"],
                                contact_id=data.get("contact_id"), starts_at=starts_at, ends_at=ends_at,
                                time_zone=zone, created_by=operator_id, status="planned", sequence=0,
                                **{name: data.get(name) for name in EDITABLE})
    intervention.subject = intervention.subject or ""
    session.add(intervention)
    session.flush()
    outbox.add(session, "InterventionPlanned", {**fact(session, intervention), "operator_id": operator_id})
    session.commit()
    return intervention


def change(session: Session, intervention_id: str, data: dict, operator_id: str | None = None) -> Intervention:
    """Move (new times) or edit a planned service; told only when something changed; committed."""
    intervention = find(session, intervention_id)
    if intervention.status == "cancelled":
        raise PortalError(409, "intervention_cancelled", "This service is cancelled: plan a new one.")
    previous = (intervention.starts_at, intervention.ends_at)
    for field in ("recipient_id", "contact_id"):
        if field in data and data[field] is not None:
            _member(session, field, data[field], intervention.company_id)
    for name in ("starts_at", "ends_at"):
        if name in data:
            data[name] = _utc(data[name], intervention.time_zone, name)
    starts_at, ends_at = data.get("starts_at", intervention.starts_at), data.get("ends_at", intervention.ends_at)
    _check_span(starts_at, ends_at)
    where = {"place": data.get("place", intervention.place), "meeting_url": data.get("meeting_url", intervention.meeting_url)}
    if not where["place"] and not where["meeting_url"]:
        raise invalid("place", "Give the place, or the web meeting's link.")
    changed = False
    for name, value in data.items():
        if name == "subject" and value is None:
            value = ""
        if getattr(intervention, name) != value:
            setattr(intervention, name, value)
            changed = True
    if changed:
        intervention.sequence += 1
        session.flush()
        body = {**fact(session, intervention), "operator_id": operator_id}
        if (intervention.starts_at, intervention.ends_at) != previous:
            body.update(previous_starts_at=previous[0].isoformat(), previous_ends_at=previous[1].isoformat())
        outbox.add(session, "InterventionChanged", body)
    session.commit()
    return intervention


def cancel(session: Session, intervention_id: str, reason: str | None, operator_id: str | None = None) -> Intervention:
    """Cancel a planned service (it stays, marked cancelled) and tell it; committed."""
    intervention = find(session, intervention_id)
    if intervention.status == "cancelled":
        raise PortalError(409, "intervention_cancelled", "This service is cancelled already.")
    intervention.status, intervention.cancellation_reason = "cancelled", reason or None
    intervention.sequence += 1
    session.flush()
    outbox.add(session, "InterventionCancelled", {**fact(session, intervention), "reason": reason or None,
                                                  "operator_id": operator_id})
    session.commit()
    return intervention


def _check_span(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise invalid("ends_at", "A service ends after it starts.")
    if ends_at - starts_at > MAX_SPAN:
        raise invalid("ends_at", "A service lasts 31 days at most.")


def find(session: Session, intervention_id: str) -> Intervention:
    intervention = session.get(Intervention, intervention_id)
    if intervention is None:
        raise not_found("planned service")
    return intervention


def _theirs(user_id: str):
    return or_(Intervention.recipient_id == user_id, Intervention.contact_id == user_id)


def visible(session: Session, intervention_id: str, user_id: str | None) -> Intervention:
    """The service if ``user_id`` is its recipient or the order's contact; 404 for anyone else."""
    intervention = session.get(Intervention, intervention_id)
    if intervention is None or not user_id or user_id not in (intervention.recipient_id, intervention.contact_id):
        raise not_found("planned service")
    return intervention


def month_window(month: str | None, zone: str) -> tuple[str, datetime, datetime]:
    """``YYYY-MM`` (default: this month there) as its first instant and the next month's, in ``zone``."""
    tz = ZoneInfo(zone)
    if month is None:
        month = utcnow().astimezone(tz).strftime("%Y-%m")
    year, number = int(month[:4]), int(month[5:7])
    start = datetime(year, number, 1, tzinfo=tz)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return month, start, end


def of_user(session: Session, user_id: str, start: datetime, end: datetime | None,
            page: int = 1, per_page: int = 200) -> tuple[list[Intervention], int]:
    """The user's services overlapping [start, end), soonest first."""
    # A service lasts MAX_SPAN at most: bounding its start too keeps the index scan to the window.
    conditions = [_theirs(user_id), Intervention.ends_at > start, Intervention.starts_at > start - MAX_SPAN]
    if end is not None:
        conditions.append(Intervention.starts_at < end)
    total = session.scalar(select(func.count()).select_from(Intervention).where(*conditions))
    rows = session.scalars(select(Intervention).where(*conditions).order_by(Intervention.starts_at, Intervention.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def operators_list(session: Session, query: dict) -> tuple[list[Intervention], int]:
    """Every service (narrowed by company, kind, status, days), soonest first."""
    conditions = []
    for name in ("company_id", "kind", "status"):
        if query.get(name):
            conditions.append(getattr(Intervention, name) == query[name])
    utc = ZoneInfo("UTC")
    if query.get("from_"):
        conditions.append(Intervention.ends_at > datetime.combine(query["from_"], datetime.min.time(), utc))
    if query.get("to"):
        conditions.append(Intervention.starts_at < datetime.combine(query["to"] + timedelta(days=1),
                                                                    datetime.min.time(), utc))
    total = session.scalar(select(func.count()).select_from(Intervention).where(*conditions))
    page, per_page = query.get("page", 1), query.get("per_page", 50)
    rows = session.scalars(select(Intervention).where(*conditions).order_by(Intervention.starts_at, Intervention.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def people(session: Session, interventions: list[Intervention]) -> tuple[dict, dict]:
    """The members and companies the services name, by id."""
    user_ids = {i.recipient_id for i in interventions} | {i.contact_id for i in interventions if i.contact_id}
    company_ids = {i.company_id for i in interventions}
    members = {m.user_id: m for m in session.scalars(select(Member).where(Member.user_id.in_(user_ids)))} if user_ids else {}
    companies = {c.id: c for c in session.scalars(select(Company).where(Company.id.in_(company_ids)))} if company_ids else {}
    return members, companies


def local(value: datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).isoformat()


def shown(intervention: Intervention, members: dict, companies: dict, user_id: str | None = None) -> dict:
    def person(member_id):
        if member_id is None:
            return None
        member = members.get(member_id)
        return {"user_id": member_id, "name": member.display_name if member else ""}
    company = companies.get(intervention.company_id)
    item = {"id": intervention.id, "company": {"id": intervention.company_id, "name": company.name if company else ""},
            "kind": intervention.kind, "subject": intervention.subject,
            "starts_at": local(intervention.starts_at, intervention.time_zone),
            "ends_at": local(intervention.ends_at, intervention.time_zone), "time_zone": intervention.time_zone,
            "place": intervention.place, "meeting_url": intervention.meeting_url,
            "access_code": intervention.access_code, "consultant": intervention.consultant,
            "order_number": intervention.order_number, "recipient": person(intervention.recipient_id),
            "contact": person(intervention.contact_id), "status": intervention.status,
            "cancellation_reason": intervention.cancellation_reason,
            "ics_url": f"/api/assets/planning/{intervention.id}.ics"}
    if user_id is not None:
        item["role"] = "recipient" if user_id == intervention.recipient_id else "contact"
    return item


def fact(session: Session, intervention: Intervention) -> dict:
    """The event body (contract ``InterventionFact``): the recipient and contact as Recipients."""
    def recipient(user_id):
        member = session.get(Member, user_id) if user_id else None
        if member is None:
            return {"user_id": user_id, "email": None} if user_id else None
        return member.recipient()
    return {"intervention_id": intervention.id, "company_id": intervention.company_id, "kind": intervention.kind,
            "subject": intervention.subject, "starts_at": intervention.starts_at.isoformat(),
            "ends_at": intervention.ends_at.isoformat(), "time_zone": intervention.time_zone,
            "place": intervention.place, "meeting_url": intervention.meeting_url,
            "access_code": intervention.access_code, "consultant": intervention.consultant,
            "order_number": intervention.order_number, "sequence": intervention.sequence,
            "recipient": recipient(intervention.recipient_id), "contact": recipient(intervention.contact_id)}
