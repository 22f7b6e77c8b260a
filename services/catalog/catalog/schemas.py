"""The shapes catalog's routes read and answer (and its OpenAPI document shows)."""
from marshmallow import RAISE, Schema, fields, validate

from .families import FAMILIES
from .models import STATUSES


class Strict(Schema):
    class Meta:
        unknown = RAISE


class PageQuery(Schema):
    page = fields.Integer(strict=False, validate=validate.Range(min=1), load_default=1)
    per_page = fields.Integer(strict=False, validate=validate.Range(min=1, max=200), load_default=50)


class OfferQuery(PageQuery):
    family = fields.String(validate=validate.OneOf(FAMILIES), load_default=None)
    q = fields.String(validate=validate.Length(max=200), load_default=None)


class ServiceSchema(Schema):
    """A service of the catalog, its texts in the caller's language."""
    id = fields.String()
    code = fields.String()
    family = fields.String()
    family_title = fields.String()
    title = fields.String()
    description = fields.String()
    needs_validation = fields.Boolean()
    auto_subscribe = fields.Boolean()
    min_security_level = fields.Integer()
    needs_contract = fields.Boolean()


class ServicePage(Schema):
    items = fields.List(fields.Nested(ServiceSchema))
    total = fields.Integer()


class SubscriptionQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    family = fields.String(validate=validate.OneOf(FAMILIES), load_default=None)
    q = fields.String(validate=validate.Length(max=200), load_default=None)


class SubscriptionSchema(Schema):
    id = fields.String()
    service_id = fields.String()
    service_code = fields.String()
    service_title = fields.String()
    family = fields.String()
    family_title = fields.String()
    status = fields.String()
    scope_company_id = fields.String()
    requested_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)


class SubscriptionPage(Schema):
    items = fields.List(fields.Nested(SubscriptionSchema))
    total = fields.Integer()


class SubscriptionIn(Strict):
    service_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class SubscriptionCreated(Schema):
    id = fields.String()
    status = fields.String()
