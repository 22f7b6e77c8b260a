"""The shapes of the fiscal profile's and the deadlines' routes (and their OpenAPI document)."""
from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from .obligations import CODES
from .schemas import Paging


class FiscalProfileInput(Schema):
    class Meta:
        unknown = RAISE

    closing = fields.String(required=True, metadata={"description": "the financial year's closing date, MM-DD (12-31)"})
    obligations = fields.List(fields.String(validate=validate.OneOf(CODES)), required=True,
                              validate=validate.Length(max=len(CODES)),
                              metadata={"description": f"the obligations it files, among {', '.join(CODES)}"})

    @validates("closing")
    def _a_day_of_the_year(self, value: str, **_):
        parts = value.split("-")
        try:
            if len(value) != 5 or len(parts) != 2 or not all(part.isdigit() for part in parts):
                raise ValueError
            date(2024, int(parts[0]), int(parts[1]))  # a leap year: 02-29 is a closing (the 28th in common years)
        except ValueError:
            raise ValidationError("A closing date is MM-DD, a day of the year (e.g. 12-31).") from None


class FiscalProfile(Schema):
    id = fields.String()
    name = fields.String()
    siren = fields.String(allow_none=True)
    closing = fields.String()
    obligations = fields.List(fields.String())


class DeadlineQuery(Paging):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "the periods ending that year; by default the next deadline of each"})


class DeadlineItem(Schema):
    entity_id = fields.String()
    entity_name = fields.String()
    siren = fields.String(allow_none=True)
    obligation = fields.String(metadata={"description": ", ".join(CODES)})
    obligation_name = fields.String(metadata={"description": "in the caller's language"})
    period_end = fields.Date()
    due_on = fields.Date()
    filed = fields.Boolean(metadata={"description": "a deposit of that obligation and closing date not refused"})
    deposit_id = fields.String(allow_none=True)
    days_left = fields.Integer(metadata={"description": "negative once the due date has passed"})


class DeadlineList(Schema):
    items = fields.List(fields.Nested(DeadlineItem))
    total = fields.Integer()
