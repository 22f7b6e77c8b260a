"""The shapes identity's routes read and answer (and its OpenAPI document shows)."""
from marshmallow import RAISE, Schema, fields, validate

TITLES = ("M", "MME", "MLE")
LANGUAGES = ("en", "fr")


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _text(max_length: int, min_length: int = 0, **kwargs):
    return fields.String(validate=validate.Length(min=min_length, max=max_length), **kwargs)


class CompanySchema(Schema):
    id = fields.String(dump_only=True)
    number = fields.String()
    name = fields.String()
    postcode = fields.String()
    city = fields.String()
    parent_id = fields.String(allow_none=True)


class UserSchema(Schema):
    id = fields.String()
    email = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    first_name = fields.String()
    last_name = fields.String()
    display_name = fields.String()
    language = fields.String()
    function = fields.String()
    office_phone = fields.String()
    mobile_phone = fields.String()
    security_level = fields.Integer()
    status = fields.String()
    operator = fields.Boolean(attribute="is_operator")
    company = fields.Nested(CompanySchema, allow_none=True)
    last_sign_in_at = fields.AwareDateTime(allow_none=True)


class AdministratorIn(Strict):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    title = fields.String(validate=validate.OneOf(TITLES), allow_none=True)
    last_name = _text(100, load_default="")
    first_name = _text(100, load_default="")
    language = fields.String(validate=validate.OneOf(LANGUAGES), load_default="en")
    security_level = fields.Integer(strict=True, validate=validate.Range(1, 3), load_default=2)


class CompanyIn(Strict):
    number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postcode = _text(20, load_default="")
    city = _text(100, load_default="")
    parent_id = fields.String(allow_none=True, validate=validate.Length(max=32))
    administrator = fields.Nested(AdministratorIn, required=True)


class CompanyCreated(Schema):
    company = fields.Nested(CompanySchema)
    administrator = fields.Nested(UserSchema)


class AssociateIn(Strict):
    company_id = fields.String(required=True, validate=validate.Length(min=1, max=32))


class ActivationIn(Strict):
    title = fields.String(validate=validate.OneOf(TITLES), allow_none=True)
    first_name = _text(100, 1, required=True)
    last_name = _text(100, 1, required=True)
    language = fields.String(validate=validate.OneOf(LANGUAGES), load_default="en")
    function = _text(100, load_default="")
    office_phone = _text(40, load_default="")
    mobile_phone = _text(40, load_default="")
    # No length cap here: the rules answer "max_length_128" by name, never by truncating.
    password = fields.String(required=True)


class CredentialsIn(Strict):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(max=1024))


class SignInOut(Schema):
    user = fields.Nested(UserSchema)
    password_expired = fields.Boolean()


class UserQuery(Schema):
    q = _text(200, load_default=None)
    status = fields.String(validate=validate.OneOf(("active", "not_activated", "no_email")), load_default=None)
    function = _text(100, load_default=None)
    company = _text(32, load_default=None)
    page = fields.Integer(strict=False, validate=validate.Range(min=1), load_default=1)
    per_page = fields.Integer(strict=False, validate=validate.Range(min=1, max=200), load_default=50)


class UserPage(Schema):
    items = fields.List(fields.Nested(UserSchema))
    total = fields.Integer()
