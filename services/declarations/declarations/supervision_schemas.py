"""The shapes of the supervisor's routes (the table, its criteria, the ZIP's criteria)."""
from marshmallow import Schema, fields, validate

from .obligations import CODES
from .schemas import Explanation, Paging
from .supervision import FLAGS, STATES


class SupervisionQuery(Paging):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "the periods ending that year (default: last year)"})
    obligation = fields.String(load_default=None, validate=validate.OneOf(CODES))
    state = fields.String(load_default=None, validate=validate.OneOf(STATES + FLAGS),
                          metadata={"description": "a state, or late / stuck"})
    entity = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                           metadata={"description": "an entity's id or SIREN, or a part of its name"})


class EvidenceQuery(Schema):
    year = SupervisionQuery._declared_fields["year"]
    obligation = SupervisionQuery._declared_fields["obligation"]
    entity = SupervisionQuery._declared_fields["entity"]


class SupervisedRow(Schema):
    entity_id = fields.String()
    entity_name = fields.String()
    siren = fields.String(allow_none=True)
    obligation = fields.String()
    obligation_name = fields.String(metadata={"description": "in the caller's language"})
    period_end = fields.Date()
    due_on = fields.Date()
    state = fields.String(metadata={"description": " | ".join(STATES)})
    late = fields.Boolean(metadata={"description": "due date passed and not accepted"})
    stuck = fields.Boolean(metadata={"description": "transmitted over PORTAL_DECLARATIONS_STUCK_HOURS ago, no final answer"})
    deposit_id = fields.String(allow_none=True, metadata={"description": "the latest deposit"})
    codes = fields.List(fields.Nested(Explanation), metadata={"description": "its reject codes, explained"})


class SupervisionSummary(Schema):
    expected = fields.Integer()
    deposited = fields.Integer()
    accepted = fields.Integer()
    partly_rejected = fields.Integer()
    rejected = fields.Integer()
    refused_by_partner = fields.Integer()
    late = fields.Integer()
    stuck = fields.Integer()


class SupervisionPage(Schema):
    year = fields.Integer()
    items = fields.List(fields.Nested(SupervisedRow))
    total = fields.Integer()
    summary = fields.Nested(SupervisionSummary, metadata={"description": "counts over the criteria but the state"})
