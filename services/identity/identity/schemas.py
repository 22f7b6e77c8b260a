"""The shapes of identity's account routes (sign-in, activation, recovery, one's profile)."""
from marshmallow import RAISE, Schema, fields, validate

from portalkit.fields import Language, SingleLine

TITLES = ("M", "MME", "MLE")


class Strict(Schema):
    class Meta:
        unknown = RAISE


def text(max_length: int, min_length: int = 0, **kwargs):
    """A single-line text field (names, phones, labels, identifiers): no control character."""
    return SingleLine(validate=validate.Length(min=min_length, max=max_length), **kwargs)


def email_field(**kwargs):
    return fields.Email(validate=validate.Length(max=254), **kwargs)


def title_field(**kwargs):
    return fields.String(validate=validate.OneOf(TITLES), allow_none=True, **kwargs)


def language_field(**kwargs):
    return Language(**kwargs)


def level_field(**kwargs):
    return fields.Integer(strict=True, validate=validate.Range(1, 3), **kwargs)


class PageQuery(Schema):
    page = fields.Integer(strict=False, validate=validate.Range(min=1, max=1_000_000), load_default=1)
    per_page = fields.Integer(strict=False, validate=validate.Range(min=1, max=200), load_default=50)


class CompanySchema(Schema):
    id = fields.String(dump_only=True)
    number = fields.String()
    name = fields.String()
    postcode = fields.String()
    city = fields.String()
    parent_id = fields.String(allow_none=True)
    siren = fields.String(allow_none=True, metadata={"description": "the nine digits of a French company"})


class GroupRef(Schema):
    id = fields.String()
    name = fields.String()


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
    status = fields.String(metadata={"description": "active, not_activated or no_email"})
    locked = fields.Boolean()
    locked_until = fields.AwareDateTime(allow_none=True)
    operator = fields.Boolean(attribute="is_operator")
    company = fields.Nested(CompanySchema, allow_none=True)
    created_at = fields.AwareDateTime()
    activated_at = fields.AwareDateTime(allow_none=True)
    last_sign_in_at = fields.AwareDateTime(allow_none=True)
    password_changed_at = fields.AwareDateTime(allow_none=True)
    groups = fields.List(fields.Nested(GroupRef), metadata={"description": "only in a single user's answer"})


class AdministratorIn(Strict):
    email = email_field(required=True)
    title = title_field()
    last_name = text(100, load_default="")
    first_name = text(100, load_default="")
    language = language_field(load_default="en")
    security_level = level_field(load_default=2)


class CompanyIn(Strict):
    number = text(40, 1, required=True)
    name = text(200, 1, required=True)
    postcode = text(20, load_default="")
    city = text(100, load_default="")
    parent_id = text(32, allow_none=True)
    siren = text(20, allow_none=True, metadata={
        "description": "nine digits, the last the Luhn key (400 invalid_siren otherwise; 409 siren_taken)"})
    administrator = fields.Nested(AdministratorIn, required=True)


class CompanyPatch(Strict):
    name = text(200, 1)
    postcode = text(20)
    city = text(100)
    siren = text(20, allow_none=True, metadata={
        "description": "nine digits, the last the Luhn key, or null to clear it (400 invalid_siren; 409 siren_taken)"})


class CompanyCreated(Schema):
    company = fields.Nested(CompanySchema)
    administrator = fields.Nested(UserSchema)


class AssociateIn(Strict):
    company_id = text(32, 1, required=True)


class ActivationIn(Strict):
    title = title_field()
    first_name = text(100, 1, required=True)
    last_name = text(100, 1, required=True)
    # Left out, they keep what the administrator or the import entered (the page sends them all).
    language = language_field()
    function = text(100)
    office_phone = text(40)
    mobile_phone = text(40)
    # No length cap here: the rules answer "max_length_128" by name, never by truncating.
    password = fields.String(required=True, validate=validate.Length(max=4096))


class CredentialsIn(Strict):
    email = text(254, 1, required=True)
    password = fields.String(required=True, validate=validate.Length(max=1024))


class SignInOut(Schema):
    user = fields.Nested(UserSchema)
    password_expired = fields.Boolean()


class ResetProfile(Schema):
    id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    language = fields.String()
    security_level = fields.Integer()


class PasswordRulesOut(Schema):
    security_level = fields.Integer()
    rules = fields.List(fields.String(), metadata={"description": "rule codes, as fields.password names them"})


class ForgottenIn(Strict):
    email = text(254, required=True)


class ResetIn(Strict):
    token = text(200, 1, required=True)
    password = fields.String(required=True, validate=validate.Length(max=4096))


class ProfileIn(Strict):
    title = title_field()
    first_name = text(100, 1)
    last_name = text(100, 1)
    language = language_field()
    function = text(100)
    office_phone = text(40)
    mobile_phone = text(40)


class PasswordChangeIn(Strict):
    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, validate=validate.Length(max=4096))


class EmailChangeIn(Strict):
    new_email = email_field(required=True)


class SignInAuditSchema(Schema):
    occurred_at = fields.AwareDateTime()
    succeeded = fields.Boolean()
    reason = fields.String(metadata={"description": "bad_password, lockout (the failure that locked), locked"})
    ip_address = fields.String()
    user_agent = fields.String()


class SignInAuditPage(Schema):
    items = fields.List(fields.Nested(SignInAuditSchema))
    total = fields.Integer()


class ContactSchema(Schema):
    id = fields.String()
    display_name = fields.String()
    title = fields.String(allow_none=True)
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String(allow_none=True)
    function = fields.String()
    office_phone = fields.String()
    mobile_phone = fields.String()
    company = fields.Nested(CompanySchema, allow_none=True)


class CompanyRef(Schema):
    id = fields.String()
    number = fields.String()
    name = fields.String()


class AdministratorSchema(Schema):
    role = fields.String(metadata={"description": "administrator, or supervisor (of a company above)"})
    user = fields.Nested(ContactSchema)
    supervises = fields.Nested(CompanyRef, allow_none=True, metadata={
        "description": "a supervisor's: the company whose subtree (the caller's company in it) they supervise; "
                       "null for an administrator"})


class AdministratorList(Schema):
    items = fields.List(fields.Nested(AdministratorSchema))
    total = fields.Integer()
