"""The shapes of the operators' back-office routes: companies and their tree, users, the trail,
the operators themselves."""
from marshmallow import Schema, fields, validate

from .administration_schemas import STATUSES, TrailEntry, UserPage
from .schemas import CompanySchema, PageQuery, Strict, email_field, text

__all__ = ["UserPage"]


class CompanySearchQuery(PageQuery):
    q = text(200, load_default=None, metadata={"description": "words found in the number, name, postcode or city"})


class CompanyPage(Schema):
    items = fields.List(fields.Nested(CompanySchema))
    total = fields.Integer()


class AssociateNode(Schema):
    company = fields.Nested(CompanySchema)
    depth = fields.Integer(metadata={"description": "1 for a direct associate, 2 for its associates, …"})


class CompanyDetail(Schema):
    company = fields.Nested(CompanySchema)
    parent = fields.Nested(CompanySchema, allow_none=True,
                           metadata={"description": "the company it is an associate of"})
    associates = fields.List(fields.Nested(AssociateNode),
                             metadata={"description": "every associate below it, depth first, by name"})
    user_count = fields.Integer()


class CompanyUserQuery(PageQuery):
    q = text(200, load_default=None, metadata={"description": "words of the name or e-mail address"})
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    function = text(100, load_default=None)


class CompanyTrailQuery(PageQuery):
    action = text(40, load_default=None)


class CompanyTrailPage(Schema):
    items = fields.List(fields.Nested(TrailEntry))
    total = fields.Integer()


class OperatorIn(Strict):
    email = email_field(required=True)
    first_name = text(100, load_default="")
    last_name = text(100, load_default="")
    password = fields.String(required=True, validate=validate.Length(max=4096),
                             metadata={"description": "the strong level's rules (400 password_rules names those broken)"})


class OperatorSchema(Schema):
    id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    display_name = fields.String()
    status = fields.Method("_status", metadata={"description": "active or disabled"})
    disabled_at = fields.AwareDateTime(allow_none=True)
    last_sign_in_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()

    def _status(self, operator) -> str:
        return "disabled" if operator.disabled_at is not None else "active"


class OperatorPage(Schema):
    items = fields.List(fields.Nested(OperatorSchema))
    total = fields.Integer()
