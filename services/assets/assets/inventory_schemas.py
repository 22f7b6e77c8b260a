"""The shapes of "Your IT assets" (``GET /api/assets/inventory``) and its OpenAPI document."""
from marshmallow import Schema, fields, validate

from .machine_ids import MachineId
from .product_schemas import KINDS


class InventoryQuery(Schema):
    kind = fields.String(validate=validate.OneOf(KINDS), load_default=None)
    contract = fields.String(validate=validate.OneOf(("on", "off")), load_default=None, metadata={
        "description": "on: the holdings a contract in force covers; off: the others"})
    machine_id = MachineId(load_default=None, metadata={"description": "the holdings installed on this machine"})
    company = fields.String(validate=validate.Length(min=1, max=64), load_default=None, metadata={
        "description": "one company: the caller's own or a supervised associate (404 for any other); "
                       "absent: all of them"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class InventoryProduct(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String(metadata={"description": "in the caller's language"})
    kind = fields.String(metadata={"enum": list(KINDS)})
    brand = fields.String()
    domain = fields.String()
    major_version = fields.Integer(allow_none=True)


class InventoryCompany(Schema):
    id = fields.String()
    name = fields.String()


class Serialization(Schema):
    code = fields.String()
    issued_on = fields.Date()


class InventoryItem(Schema):
    id = fields.String(metadata={"description": "the holding's id (what a serialization names)"})
    company = fields.Nested(InventoryCompany)
    product = fields.Nested(InventoryProduct)
    quantity = fields.Integer()
    machine_id = fields.String(allow_none=True)
    on_contract = fields.Boolean()
    serializable = fields.Boolean()
    serialization = fields.Nested(Serialization, allow_none=True, metadata={
        "description": "the holding's live code, null when it has none"})


class InventoryPage(Schema):
    items = fields.List(fields.Nested(InventoryItem))
    total = fields.Integer()
