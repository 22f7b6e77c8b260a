"""The shapes catalog's routes read and answer (and its OpenAPI document shows)."""
from marshmallow import RAISE, Schema, fields, validate

from .families import FAMILIES
from .models import STATUSES


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _id(**kwargs):
    return fields.String(validate=validate.Length(min=1, max=64), **kwargs)


def _words():
    return fields.String(validate=validate.Length(max=200), load_default=None)


class PageQuery(Schema):
    page = fields.Integer(strict=False, validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(strict=False, validate=validate.Range(min=1, max=200), load_default=50)


class OfferQuery(PageQuery):
    family = fields.String(validate=validate.OneOf(FAMILIES), load_default=None)
    title = _words()
    q = _words()
    user_id = _id(load_default=None)


class CompanyCatalogQuery(OfferQuery):
    company = _id(load_default=None)


class ServiceSchema(Schema):
    """A service of the catalog, its texts in the caller's language, the company's choices applied."""
    id = fields.String()
    code = fields.String()
    entitlement_code = fields.String()
    family = fields.String()
    family_title = fields.String()
    title = fields.String()
    description = fields.String()
    needs_validation = fields.Boolean()
    auto_subscribe = fields.Boolean()
    customised = fields.Boolean()
    min_security_level = fields.Integer()
    needs_contract = fields.Boolean()
    supervised_company_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()


class ServicePage(Schema):
    items = fields.List(fields.Nested(ServiceSchema))
    total = fields.Integer()


class HeldSubscription(Schema):
    id = fields.String()
    status = fields.String()
    expires_on = fields.Date(allow_none=True)


class CompanyService(ServiceSchema):
    company_id = fields.String()
    holders = fields.Integer()
    subscription = fields.Nested(HeldSubscription, allow_none=True)


class CompanyServicePage(Schema):
    items = fields.List(fields.Nested(CompanyService))
    total = fields.Integer()


class NotificationSchema(ServiceSchema):
    subscription = fields.Nested(HeldSubscription, allow_none=True, metadata={
        "description": "one's live subscription (accepted, or pending validation); null: switched off"})


class NotificationList(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()


class SubscriptionQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    family = fields.String(validate=validate.OneOf(FAMILIES), load_default=None)
    q = _words()
    user_id = _id(load_default=None)


class SubscriptionSchema(Schema):
    id = fields.String()
    user_id = fields.String()
    service_id = fields.String()
    service_code = fields.String()
    service_title = fields.String()
    family = fields.String()
    family_title = fields.String()
    status = fields.String()
    company_id = fields.String()
    scope_company_id = fields.String()
    requested_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    renewal_requested_at = fields.AwareDateTime(allow_none=True)
    # Accepted for a user who has not activated their account yet: in force from their activation.
    awaiting_activation = fields.Boolean()


class SubscriptionPage(Schema):
    items = fields.List(fields.Nested(SubscriptionSchema))
    total = fields.Integer()


class SubscriptionIn(Strict):
    service_id = _id(required=True)
    user_id = _id(load_default=None)
    expires_on = fields.Date(load_default=None)


class SubscriptionState(Schema):
    id = fields.String()
    status = fields.String()
    expires_on = fields.Date(allow_none=True)
    renewal_requested_at = fields.AwareDateTime(allow_none=True)
    # Accepted for a user who has not activated their account yet: in force from their activation.
    awaiting_activation = fields.Boolean()


class RequestQuery(PageQuery):
    company = _id(load_default=None)


class RequestSchema(Schema):
    """A request waiting for an administrator: a subscription, or a renewal of one."""
    id = fields.String()
    kind = fields.String(metadata={"enum": ["subscription", "renewal"]})
    company_id = fields.String()
    company_name = fields.String()
    user_id = fields.String()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    service_id = fields.String()
    service_title = fields.String()
    family = fields.String()
    scope_company_id = fields.String()
    requested_at = fields.AwareDateTime()
    expires_on = fields.Date(allow_none=True)


class RequestPage(Schema):
    items = fields.List(fields.Nested(RequestSchema))
    total = fields.Integer()


class AcceptIn(Strict):
    expires_on = fields.Date(load_default=None)


class RefuseIn(Strict):
    reason = fields.String(validate=validate.Length(max=500), load_default=None)


class CompanySettingIn(Strict):
    company_id = _id(load_default=None)
    auto_subscribe = fields.Boolean(required=True)
    needs_validation = fields.Boolean(required=True)


class CompanySettingQuery(Schema):
    company_id = _id(load_default=None)


class CompanySettingSchema(Schema):
    service_id = fields.String()
    company_id = fields.String()
    auto_subscribe = fields.Boolean()
    needs_validation = fields.Boolean()
    customised = fields.Boolean()
