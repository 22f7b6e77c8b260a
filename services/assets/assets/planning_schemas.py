"""The shapes of the planning's routes: what operators send to plan, move, edit and cancel a
service, and what its recipient and the order's contact read."""
from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from portalkit.fields import SingleLine
from portalkit.events import INTERVENTION_KINDS

from .schemas import Strict

# Years 1000–8999: a month of any of them has its next month within what datetime holds.
MONTH = re.compile(r"^(1\d{3}|[2-8]\d{3})-(0[1-9]|1[0-2])$")
TEXT = {"subject": 200, "place": 300, "access_code": 100, "consultant": 200, "order_number": 64}


def _text(name: str, **options):
    return SingleLine(validate=validate.Length(max=TEXT[name]), **options)


def _url(**options):
    return fields.Url(schemes={"http", "https"}, validate=validate.Length(max=500), **options)


class InterventionIn(Strict):
    company_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    recipient_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    contact_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    kind = fields.String(required=True, validate=validate.OneOf(INTERVENTION_KINDS))
    starts_at = fields.DateTime(required=True, metadata={
        "description": "ISO 8601; without an offset, a time in the company's time zone"})
    ends_at = fields.DateTime(required=True)
    subject = _text("subject", load_default="")
    place = _text("place", load_default=None, allow_none=True)
    meeting_url = _url(load_default=None, allow_none=True)
    access_code = _text("access_code", load_default=None, allow_none=True)
    consultant = _text("consultant", load_default=None, allow_none=True)
    order_number = _text("order_number", load_default=None, allow_none=True)

    @validates_schema
    def _where(self, data, **_kwargs):
        if not data.get("place") and not data.get("meeting_url"):
            raise ValidationError("Give the place, or the web meeting's link.", "place")


class InterventionChange(Strict):
    """What an operator moves or edits (any of these; the rest stays)."""
    recipient_id = fields.String(validate=validate.Length(min=1, max=64))
    contact_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=64))
    kind = fields.String(validate=validate.OneOf(INTERVENTION_KINDS))
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    subject = _text("subject")
    place = _text("place", allow_none=True)
    meeting_url = _url(allow_none=True)
    access_code = _text("access_code", allow_none=True)
    consultant = _text("consultant", allow_none=True)
    order_number = _text("order_number", allow_none=True)


class CancellationIn(Strict):
    reason = SingleLine(validate=validate.Length(max=500), load_default=None, allow_none=True)


class MonthQuery(Schema):
    month = fields.String(load_default=None, validate=validate.Regexp(MONTH, error="Give the month as YYYY-MM."),
                          metadata={"description": "YYYY-MM, in the company's time zone; default: this month"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=200)


class OperatorQuery(Schema):
    company_id = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    kind = fields.String(validate=validate.OneOf(INTERVENTION_KINDS), load_default=None)
    status = fields.String(validate=validate.OneOf(("planned", "cancelled")), load_default=None)
    from_ = fields.Date(data_key="from", load_default=None, metadata={"description": "first day (UTC)"})
    to = fields.Date(load_default=None, metadata={"description": "last day (UTC)"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class Person(Schema):
    user_id = fields.String()
    name = fields.String()


class InterventionSchema(Schema):
    id = fields.String()
    company = fields.Dict(metadata={"description": "{id, name}"})
    kind = fields.String(metadata={"enum": list(INTERVENTION_KINDS)})
    subject = fields.String()
    starts_at = fields.String(metadata={"description": "ISO 8601 with the offset of ``time_zone``"})
    ends_at = fields.String()
    time_zone = fields.String(metadata={"description": "the company's, an IANA name"})
    place = fields.String(allow_none=True)
    meeting_url = fields.String(allow_none=True)
    access_code = fields.String(allow_none=True)
    consultant = fields.String(allow_none=True)
    order_number = fields.String(allow_none=True)
    recipient = fields.Nested(Person)
    contact = fields.Nested(Person, allow_none=True)
    status = fields.String(metadata={"enum": ["planned", "cancelled"]})
    cancellation_reason = fields.String(allow_none=True)
    role = fields.String(metadata={"enum": ["recipient", "contact"],
                                   "description": "the caller's part in it (absent for operators)"})
    ics_url = fields.String()


class InterventionPage(Schema):
    items = fields.List(fields.Nested(InterventionSchema))
    total = fields.Integer()


class MonthPage(InterventionPage):
    month = fields.String()
    time_zone = fields.String()
    starts_at = fields.String(metadata={"description": "the month's first instant, in ``time_zone``"})
    ends_at = fields.String()
