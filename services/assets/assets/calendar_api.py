"""Routes of the release calendar: the clients' (``/assets/calendar``, JSON and iCalendar) and the
operators' (``/operator/calendar``)."""
from __future__ import annotations

from flask import Response
from marshmallow import Schema, fields, validate

from portalkit.web import Blueprint, caller, db_session, operator_only, requires, settings

from . import calendar
from .release_schemas import PRINTABLE, ReleaseProduct
from .releases import DOWNLOAD_SERVICE
from .schemas import Strict

blp = Blueprint("calendar", __name__, url_prefix="/assets", description="The release calendar")
operators = Blueprint("operator-calendar", __name__, url_prefix="/operator",
                      description="Operators' release calendar")


class CalendarLineIn(Strict):
    product_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    version = fields.String(required=True, validate=[validate.Length(min=1, max=64), PRINTABLE])
    forecast_on = fields.Date(required=True)
    released_on = fields.Date(load_default=None)


class CalendarLineChange(Strict):
    forecast_on = fields.Date()
    released_on = fields.Date(allow_none=True)


class CalendarQuery(Schema):
    product = fields.String(validate=validate.Length(min=1, max=32), load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=200)


class CalendarLineSchema(Schema):
    id = fields.String()
    product = fields.Nested(ReleaseProduct)
    version = fields.String()
    forecast_on = fields.Date()
    released_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": ["forecast", "released"]})


class CalendarPage(Schema):
    items = fields.List(fields.Nested(CalendarLineSchema))
    total = fields.Integer()


def _companies() -> set[str]:
    return caller().companies_with(DOWNLOAD_SERVICE)


@blp.route("/calendar", methods=["GET"])
@requires(DOWNLOAD_SERVICE)
@blp.arguments(CalendarQuery, location="query")
@blp.response(200, CalendarPage)
def client_calendar(query):
    """Forecast and actual release dates per product and version, of the products the caller's
    company may download, soonest first."""
    rows, total = calendar.lines(db_session(), query, _companies())
    language = caller().language
    return {"items": [calendar.shown(line, product, language) for line, product in rows], "total": total}


@blp.route("/calendar.ics", methods=["GET"])
@requires(DOWNLOAD_SERVICE)
@blp.arguments(CalendarQuery, location="query")
@blp.response(200, description="The same lines as an iCalendar (RFC 5545) feed, `text/calendar`.")
def client_feed(query):
    """The release calendar as an iCalendar feed (one all-day event per line)."""
    rows, _total = calendar.lines(db_session(), {**query, "page": 1, "per_page": 10_000}, _companies())
    body = calendar.ical(rows, caller().language, settings().base_url)
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="release-calendar.ics"'})


@operators.route("/calendar", methods=["POST"])
@operators.refuses(400, 409)
@operator_only
@operators.arguments(CalendarLineIn)
@operators.response(201, CalendarLineSchema)
def record(data):
    """Add a calendar line (``released_on`` once the version is out; a published release fills it)."""
    line, product = calendar.record(db_session(), data)
    return calendar.shown(line, product, "en")


@operators.route("/calendar", methods=["GET"])
@operator_only
@operators.arguments(CalendarQuery, location="query")
@operators.response(200, CalendarPage)
def list_lines(query):
    """Every line of the calendar, soonest first."""
    rows, total = calendar.lines(db_session(), query, None)
    return {"items": [calendar.shown(line, product, "en") for line, product in rows], "total": total}


@operators.route("/calendar/<line_id>", methods=["PATCH"])
@operators.refuses(400, 404)
@operator_only
@operators.arguments(CalendarLineChange)
@operators.response(200, CalendarLineSchema)
def change(data, line_id):
    """Move a line's forecast, or give (or take back) its actual date."""
    line, product = calendar.change(db_session(), line_id, data)
    return calendar.shown(line, product, "en")


@operators.route("/calendar/<line_id>", methods=["DELETE"])
@operators.refuses(404)
@operator_only
@operators.response(204)
def remove(line_id):
    """Take a line off the calendar."""
    calendar.delete(db_session(), line_id)
    return ""
