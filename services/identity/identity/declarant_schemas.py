"""The shapes of the declarant accounts' routes and of the declarative sign-in."""
from marshmallow import Schema, fields, validate

from .declarant_models import ROLES, STATUSES
from .schemas import PageQuery, Strict, email_field, language_field, text

LOGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"


class DeclarantIn(Strict):
    login = fields.String(required=True, validate=[validate.Length(min=3, max=64), validate.Regexp(LOGIN_PATTERN)],
                          metadata={"description": "the account's own login (not the e-mail): 3 to 64 letters, "
                                                   "digits, `.`, `-`, `_`, kept in lower case (409 login_taken)"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    company_id = text(32, metadata={"description": "the declaring company (a SIREN set); an administrator's "
                                                   "own company when left out"})
    email = email_field(required=True, metadata={"description": "where the password link is mailed"})
    first_name = text(100, load_default="")
    last_name = text(100, load_default="")
    language = language_field(load_default="en")
    user_id = text(32, allow_none=True, metadata={
        "description": "a portal user of the company to tie, holding the role's Etafi service (409 service_not_held)"})


class DeclarantQuery(PageQuery):
    company_id = text(32, load_default=None)
    q = text(200, load_default=None, metadata={"description": "words of the login, name or e-mail"})
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    role = fields.String(validate=validate.OneOf(ROLES), load_default=None)


class EntitySchema(Schema):
    id = fields.String()
    name = fields.String()
    siren = fields.String()


class DeclarantSchema(Schema):
    id = fields.String()
    login = fields.String()
    role = fields.String(metadata={"description": "declarant or supervisor"})
    status = fields.String(metadata={"description": "active, locked or revoked"})
    company = fields.Nested(EntitySchema)
    user_id = fields.String(allow_none=True)
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    display_name = fields.String()
    language = fields.String()
    password_set = fields.Method("_password_set")
    created_at = fields.AwareDateTime()
    last_sign_in_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)

    def _password_set(self, declarant) -> bool:
        return declarant.password_hash is not None


class DeclarantPage(Schema):
    items = fields.List(fields.Nested(DeclarantSchema))
    total = fields.Integer()


class DeclarativeCredentialsIn(Strict):
    login = text(64, 1, required=True)
    password = fields.String(required=True, validate=validate.Length(max=1024))


class SignedInDeclarant(DeclarantSchema):
    entities = fields.List(fields.Nested(EntitySchema), metadata={
        "description": "the declaring entities the session works on (a supervisor's: the group's), the first 100 by name; declarations derives the scope itself"})


class DeclarativeSignInOut(Schema):
    declarant = fields.Nested(SignedInDeclarant)


class PasswordLinkProfile(Schema):
    login = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    language = fields.String()
    security_level = fields.Integer()


class PasswordIn(Strict):
    password = fields.String(required=True, validate=validate.Length(max=4096))


class ForgottenLoginIn(Strict):
    login = text(64, required=True)
