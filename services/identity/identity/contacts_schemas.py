"""The shapes of the contacts and access-request routes."""
from marshmallow import Schema, fields, validate

from .models import CONTACT_ROLES
from .schemas import CompanySchema, PageQuery, Strict, email_field, language_field, level_field, text

ROLE_DESCRIPTION = "main_contact (one per company), accounting, payroll, it, signatory"


class ContactQuery(PageQuery):
    q = text(200, load_default=None)
    role = fields.String(validate=validate.OneOf(CONTACT_ROLES), load_default=None)
    company = text(32, load_default=None)


class OperatorContactQuery(PageQuery):
    q = text(200, load_default=None)
    role = fields.String(validate=validate.OneOf(CONTACT_ROLES), load_default=None)


class ContactUser(Schema):
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
    status = fields.String(metadata={"description": "active, not_activated or no_email"})


class Interest(Schema):
    subscription_id = fields.String(metadata={"description": "the catalog subscription (DELETE it to unset)"})
    service_id = fields.String()
    service_code = fields.String()
    service_title = fields.String(metadata={"description": "as catalog told it, in the holder's language"})


class CompanyContact(Schema):
    user = fields.Nested(ContactUser)
    company_id = fields.String()
    roles = fields.List(fields.String(), metadata={"description": ROLE_DESCRIPTION})
    interests = fields.List(fields.Nested(Interest), metadata={
        "description": "the user's accepted subscriptions to the Functional preference and Receive services"})


class ContactPage(Schema):
    items = fields.List(fields.Nested(CompanyContact))
    total = fields.Integer()


class OperatorContactPage(ContactPage):
    company = fields.Nested(CompanySchema)


class RolesIn(Strict):
    roles = fields.List(fields.String(validate=validate.OneOf(CONTACT_ROLES)), required=True,
                        validate=validate.Length(max=len(CONTACT_ROLES)), metadata={"description": ROLE_DESCRIPTION})


class AccessRequestIn(Strict):
    first_name = text(100, 1, required=True)
    last_name = text(100, 1, required=True)
    email = email_field(required=True)
    company = text(200, 1, required=True, metadata={"description": "the company's number or name"})
    phone = text(40, load_default="")
    message = fields.String(validate=validate.Length(max=2000), load_default="")
    language = language_field(load_default=None, metadata={"description": "of the mails to the requester; "
                                                                           "default: the page's"})


class AccessRequestQuery(PageQuery):
    pass


class OperatorAccessRequestQuery(PageQuery):
    routed_to = fields.String(validate=validate.OneOf(("administrators", "operators")), load_default=None,
                              metadata={"description": "operators: the requests no company administrator got"})


class AccessRequestSchema(Schema):
    id = fields.String()
    created_at = fields.AwareDateTime()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    phone = fields.String()
    company_text = fields.String(metadata={"description": "the company as the requester named it"})
    company = fields.Nested(CompanySchema, allow_none=True, metadata={"description": "the company found, if any"})
    message = fields.String()
    language = fields.String()
    routed_to = fields.String(metadata={"description": "administrators (of the company) or operators"})
    status = fields.String(metadata={"description": "pending, accepted, refused, superseded"})
    decided_at = fields.AwareDateTime(allow_none=True)
    reason = fields.String()
    user_id = fields.String(allow_none=True, metadata={"description": "the account created, once accepted"})


class AccessRequestPage(Schema):
    items = fields.List(fields.Nested(AccessRequestSchema))
    total = fields.Integer()


class AcceptIn(Strict):
    security_level = level_field(load_default=2)


class OperatorAcceptIn(AcceptIn):
    company_id = text(32, 1, load_default=None, metadata={
        "description": "the company to create the account in; required (or company_number) when the "
                       "request names none found"})
    company_number = text(40, 1, load_default=None, metadata={"description": "the company, by its number"})


class RefuseIn(Strict):
    reason = fields.String(validate=validate.Length(max=1000), load_default=None, allow_none=True)
