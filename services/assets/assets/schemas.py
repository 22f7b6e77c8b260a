"""The shapes assets' routes read and answer (and its OpenAPI document shows)."""
from marshmallow import RAISE, Schema, fields, validate


class Strict(Schema):
    class Meta:
        unknown = RAISE


class ContractIn(Strict):
    company_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None)
    holding_ids = fields.List(fields.String(validate=validate.Length(min=1, max=32)),
                              validate=validate.Length(max=10_000), load_default=list, metadata={
                                  "description": "the company's holdings it covers; absent or empty: all of them"})


class ContractEndIn(Strict):
    ends_on = fields.Date(load_default=None, metadata={
        "description": "the last day covered, today or later; absent: the contract ends today"})


class ContractSchema(Schema):
    id = fields.String()
    company_id = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": ["planned", "active", "ended"]})
    holding_ids = fields.List(fields.String(), metadata={"description": "the holdings named; empty: all the company's"})
    created_at = fields.AwareDateTime()


class ContractQuery(Schema):
    company_id = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class ContractPage(Schema):
    items = fields.List(fields.Nested(ContractSchema))
    total = fields.Integer()
