"""The shapes of the operators' product routes (and their OpenAPI document)."""
from marshmallow import Schema, fields, validate

from portalkit.fields import SingleLine

from .schemas import Strict

KINDS = ("software", "hardware")


def _name(**kwargs):
    return SingleLine(validate=validate.Length(min=1, max=200), **kwargs)


def _label(**kwargs):
    return SingleLine(validate=validate.Length(max=100), **kwargs)


class ProductEdit(Strict):
    """What an operator may change in a product (every field optional; the code is fixed)."""
    name_en = _name()
    name_fr = _name()
    kind = fields.String(validate=validate.OneOf(KINDS))
    brand = _label()
    domain = _label()
    serializable = fields.Boolean()
    major_version = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 1_000_000))


class ProductIn(ProductEdit):
    """A new product: its ``code`` (unique, fixed) and the rest of its description."""
    code = SingleLine(required=True, validate=validate.Length(min=1, max=64))
    name_en = _name(required=True)
    name_fr = _name(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    brand = _label(load_default="")
    domain = _label(load_default="")
    serializable = fields.Boolean(load_default=False)
    major_version = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 1_000_000),
                                   load_default=None)


class ProductQuery(Schema):
    q = fields.String(validate=validate.Length(max=200), load_default=None,
                      metadata={"description": "words each found in the code, a name, the brand or the domain"})
    kind = fields.String(validate=validate.OneOf(KINDS), load_default=None)
    retired = fields.Boolean(load_default=False, metadata={"description": "list the retired products too"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class ProductSchema(Schema):
    id = fields.String()
    code = fields.String()
    name_en = fields.String()
    name_fr = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    brand = fields.String()
    domain = fields.String()
    serializable = fields.Boolean()
    major_version = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    retired_at = fields.AwareDateTime(allow_none=True)


class ProductPage(Schema):
    items = fields.List(fields.Nested(ProductSchema))
    total = fields.Integer()
