"""The release calendar: per product and version, the forecast date and, once out, the actual one
(the manual's Etafi calendar). Operators keep it; a release published for a line's version fills
its actual date (``releases.publish``). Clients see the lines of the products their company may
download, as JSON and as an iCalendar feed.
"""
from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar, Event
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found

from .coverage import product_on_contract
from .models import CalendarLine, Product
from .releases import invalid

PRODUCT_ID = "-//Client portal//Release calendar//EN"


def record(session: Session, data: dict) -> tuple[CalendarLine, Product]:
    product = session.get(Product, data["product_id"])
    if product is None:
        raise invalid("product_id", "No such product.")
    if session.scalar(select(CalendarLine.id).where(CalendarLine.product_id == product.id,
                                                    CalendarLine.version == data["version"])):
        raise PortalError(409, "calendar_line_exists", "This product's version is in the calendar already.",
                          {"version": ["Already in the calendar: change that line instead."]})
    line = CalendarLine(product_id=product.id, version=data["version"], forecast_on=data["forecast_on"],
                        released_on=data.get("released_on"))
    session.add(line)
    session.commit()
    return line, product


def change(session: Session, line_id: str, data: dict) -> tuple[CalendarLine, Product]:
    line = session.get(CalendarLine, line_id)
    if line is None:
        raise not_found("calendar line")
    for name in ("forecast_on", "released_on"):
        if name in data:
            setattr(line, name, data[name])
    if line.forecast_on is None:
        raise invalid("forecast_on", "A line needs its forecast date.")
    session.commit()
    return line, session.get(Product, line.product_id)


def delete(session: Session, line_id: str) -> None:
    line = session.get(CalendarLine, line_id)
    if line is None:
        raise not_found("calendar line")
    session.delete(line)
    session.commit()


def lines(session: Session, query: dict, companies: set[str] | None) -> tuple[list[tuple[CalendarLine, Product]], int]:
    """The calendar's lines, soonest first; ``companies`` (None: every line, for operators) keeps
    those of the products one of them holds under contract."""
    conditions = []
    if query.get("product"):
        conditions.append(CalendarLine.product_id == query["product"])
    if companies is not None:
        if not companies:
            return [], 0
        conditions.append(or_(*(product_on_contract(company, CalendarLine.product_id) for company in sorted(companies))))
    total = session.scalar(select(func.count()).select_from(CalendarLine).where(*conditions))
    page, per_page = query.get("page", 1), query.get("per_page", 200)
    day = func.coalesce(CalendarLine.released_on, CalendarLine.forecast_on)
    rows = session.execute(select(CalendarLine, Product).join(Product, Product.id == CalendarLine.product_id)
                           .where(*conditions).order_by(day, Product.code, CalendarLine.version)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [tuple(row) for row in rows], total


def shown(line: CalendarLine, product: Product, language: str) -> dict:
    name = (product.name_fr if language == "fr" else product.name_en) or product.name_en
    return {"id": line.id, "product": {"id": product.id, "code": product.code, "name": name},
            "version": line.version, "forecast_on": line.forecast_on, "released_on": line.released_on,
            "status": "released" if line.released_on else "forecast"}


WORDS = {"en": ("forecast", "released"), "fr": ("prévision", "diffusée")}


def ical(rows: list[tuple[CalendarLine, Product]], language: str, base_url: str) -> bytes:
    """An iCalendar (RFC 5545) feed: one all-day event per line, on its actual date once out."""
    forecast, released = WORDS.get(language, WORDS["en"])
    feed = Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", "Release calendar" if language != "fr" else "Calendrier de diffusion")
    stamp = datetime.now(timezone.utc)
    for line, product in rows:
        item = shown(line, product, language)
        event = Event()
        event.add("uid", f"{line.id}@release-calendar")
        event.add("dtstamp", stamp)
        event.add("dtstart", line.released_on or line.forecast_on)
        event.add("summary", f"{item['product']['name']} {line.version} ({released if line.released_on else forecast})")
        event.add("description", f"{product.code} {line.version}")
        event.add("url", f"{base_url}/downloads")
        event.add("last-modified", line.updated_at)
        feed.add_component(event)
    return feed.to_ical()
