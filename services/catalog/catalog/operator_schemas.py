"""The shapes of the operators' routes and of the dashboard (and their OpenAPI document)."""
from marshmallow import Schema, fields, validate

from .families import FAMILIES
from .schemas import PageQuery, Strict


def _title(**kwargs):
    return fields.String(validate=validate.Length(min=1, max=200), **kwargs)


def _text(**kwargs):
    return fields.String(validate=validate.Length(max=4000), **kwargs)


class ServiceEdit(Strict):
    """What an operator may change in a service (every field optional)."""
    title_en = _title()
    title_fr = fields.String(validate=validate.Length(max=200))
    description_en = _text()
    description_fr = _text()
    family = fields.String(validate=validate.OneOf(FAMILIES))
    needs_validation = fields.Boolean()
    auto_subscribe = fields.Boolean()
    min_security_level = fields.Integer(strict=True, validate=validate.Range(1, 3))
    needs_contract = fields.Boolean()


class ServiceIn(ServiceEdit):
    """A new service; ``scope_company_id`` makes it one company's alone (fixed from then on)."""
    title_en = _title(required=True)
    title_fr = fields.String(validate=validate.Length(max=200), load_default="")
    description_en = _text(load_default="")
    description_fr = _text(load_default="")
    family = fields.String(validate=validate.OneOf(FAMILIES), required=True)
    needs_validation = fields.Boolean(load_default=False)
    auto_subscribe = fields.Boolean(load_default=False)
    min_security_level = fields.Integer(strict=True, validate=validate.Range(1, 3), load_default=1)
    needs_contract = fields.Boolean(load_default=False)
    scope_company_id = fields.String(validate=validate.Length(min=1, max=64), load_default=None)


class OperatorServiceQuery(PageQuery):
    family = fields.String(validate=validate.OneOf(FAMILIES), load_default=None)
    q = fields.String(validate=validate.Length(max=200), load_default=None)
    company = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    retired = fields.Boolean(load_default=False)


class OperatorService(Schema):
    """A service with both languages and every setting, as operators edit it."""
    id = fields.String()
    code = fields.String()
    entitlement_code = fields.String()
    family = fields.String()
    title_en = fields.String()
    title_fr = fields.String()
    description_en = fields.String()
    description_fr = fields.String()
    needs_validation = fields.Boolean()
    auto_subscribe = fields.Boolean()
    min_security_level = fields.Integer()
    needs_contract = fields.Boolean()
    scope_company_id = fields.String(allow_none=True)
    supervised_company_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime(allow_none=True)
    retired_at = fields.AwareDateTime(allow_none=True)


class OperatorServicePage(Schema):
    items = fields.List(fields.Nested(OperatorService))
    total = fields.Integer()


class DashboardQuery(Schema):
    since = fields.AwareDateTime(load_default=None)


class DashboardService(Schema):
    service_id = fields.String()
    subscription_id = fields.String()
    code = fields.String()
    title = fields.String()
    family = fields.String()
    family_title = fields.String()
    decided_at = fields.AwareDateTime(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()


class SubscriptionCounts(Schema):
    accepted = fields.Integer()
    pending = fields.Integer()
    refused = fields.Integer()


class Dashboard(Schema):
    subscriptions = fields.Nested(SubscriptionCounts)
    last_subscribed = fields.List(fields.Nested(DashboardService))
    services_not_subscribed = fields.Integer()
    new_services_since = fields.Integer(allow_none=True)
    latest_services = fields.List(fields.Nested(DashboardService))
    services_without_subscriber = fields.Integer(allow_none=True)
    requests_waiting = fields.Integer(allow_none=True)
