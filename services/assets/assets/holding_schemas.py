"""The shapes of the operators' holding routes (and their OpenAPI document)."""
from marshmallow import Schema, fields, validate

from .machine_ids import MachineId
from .schemas import Strict

MAX_QUANTITY = 1_000_000


def _quantity(**kwargs):
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_QUANTITY), **kwargs)


class HoldingEdit(Strict):
    """What an operator may change in a holding: how many, and the machine (null: none known)."""
    quantity = _quantity()
    machine_id = MachineId(allow_none=True)


class HoldingIn(Strict):
    company_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    product_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    quantity = _quantity(required=True)
    machine_id = MachineId(allow_none=True, load_default=None)


class HoldingQuery(Schema):
    company_id = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    product_id = fields.String(validate=validate.Length(min=1, max=32), load_default=None)
    removed = fields.Boolean(load_default=False, metadata={"description": "list the removed holdings too"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class HoldingProduct(Schema):
    id = fields.String()
    code = fields.String()
    name_en = fields.String()
    name_fr = fields.String()
    kind = fields.String()


class HoldingSchema(Schema):
    id = fields.String()
    company_id = fields.String()
    product_id = fields.String()
    product = fields.Nested(HoldingProduct)
    quantity = fields.Integer()
    machine_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    removed_at = fields.AwareDateTime(allow_none=True)


class HoldingPage(Schema):
    items = fields.List(fields.Nested(HoldingSchema))
    total = fields.Integer()
