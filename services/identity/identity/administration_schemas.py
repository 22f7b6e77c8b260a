"""The shapes of the company administrator's routes: users, groups, imports, the trail."""
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from .schemas import (CompanySchema, PageQuery, Strict, UserSchema, email_field, language_field, level_field,
                      text, title_field)

STATUSES = ("active", "not_activated", "no_email")


class CompanyQuery(Schema):
    company = text(32, load_default=None)


class UserQuery(PageQuery):
    q = text(200, load_default=None)
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    function = text(100, load_default=None)
    group = text(32, load_default=None)
    company = text(32, load_default=None)
    administrators = fields.Boolean(load_default=False, metadata={
        "description": "true: only the users holding an administration or supervision right now"})
    companies = fields.List(text(32, 1), validate=validate.Length(max=500), load_default=None, metadata={
        "description": "repeated (?companies=a&companies=b): the users of these administered companies "
                       "(the third-party associates screen); any other answers 404"})


class UserPage(Schema):
    items = fields.List(fields.Nested(UserSchema))
    total = fields.Integer()


class UserIn(Strict):
    email = email_field(required=True)
    title = title_field()
    last_name = text(100, load_default="")
    first_name = text(100, load_default="")
    language = language_field(load_default="en")
    function = text(100, load_default="")
    office_phone = text(40, load_default="")
    mobile_phone = text(40, load_default="")
    security_level = level_field(load_default=2)
    company_id = text(32, load_default=None)


class UserPatchIn(Strict):
    email = email_field()
    title = title_field()
    last_name = text(100)
    first_name = text(100)
    language = language_field()
    function = text(100)
    office_phone = text(40)
    mobile_phone = text(40)
    security_level = level_field()


class UserIdsIn(Strict):
    user_ids = fields.List(text(32, 1), required=True, validate=validate.Length(min=1, max=1000))


class ActivationMailsOut(Schema):
    sent = fields.List(fields.String())
    skipped = fields.List(fields.Dict(), metadata={"description": "[{user_id, reason}]: already_active, no_email"})


class UserCounts(Schema):
    active = fields.Integer()
    not_activated = fields.Integer()
    no_email = fields.Integer()
    new_since_last_sign_in = fields.Integer()
    groups = fields.Integer()


class FunctionList(Schema):
    items = fields.List(fields.String())
    total = fields.Integer()


class CompanyChoice(Schema):
    company = fields.Nested(CompanySchema)
    relation = fields.String(metadata={"description": "own (administration) or associate (supervision)"})


class CompanyChoices(Schema):
    items = fields.List(fields.Nested(CompanyChoice))
    total = fields.Integer()


class CompanyPageQuery(PageQuery):
    company = text(32, load_default=None)


class GroupIn(Strict):
    name = text(100, 1, required=True)
    company_id = text(32, load_default=None)


class GroupRenameIn(Strict):
    name = text(100, 1, required=True)


class GroupSchema(Schema):
    id = fields.String()
    company_id = fields.String()
    name = fields.String()
    member_count = fields.Integer()


class GroupPage(Schema):
    items = fields.List(fields.Nested(GroupSchema))
    total = fields.Integer()


class ImportForm(Schema):
    dry_run = fields.Boolean(load_default=False)
    company_id = text(32, load_default=None)


class ImportFile(Schema):
    file = Upload(required=True)


class Rejection(Schema):
    line = fields.Integer()
    reason = fields.String(metadata={"description": "a stable code: bad_email, duplicate_in_file, user_exists, ..."})
    message = fields.String()


class PreviewLine(Schema):
    line = fields.Integer()
    email = fields.String()
    title = fields.String()
    last_name = fields.String()
    first_name = fields.String()
    phone = fields.String()
    mobile = fields.String()
    language = fields.String(metadata={"description": "en or fr"})
    security_level = fields.Integer()


class ImportReport(Schema):
    id = fields.String()
    status = fields.String(metadata={"description": "preview (a kept dry run), expired (a preview forgotten), "
                                                    "queued, running, done or failed"})
    company_id = fields.String()
    file_name = fields.String()
    total = fields.Integer()
    processed = fields.Integer()
    created = fields.Integer()
    accepted = fields.Integer(metadata={"description": "dry run only: how many lines would be created"})
    rejected = fields.List(fields.Nested(Rejection))
    preview = fields.List(fields.Nested(PreviewLine),
                          metadata={"description": "dry run only: the lines that would be created, as read"})
    created_at = fields.AwareDateTime()
    started_at = fields.AwareDateTime(allow_none=True)
    finished_at = fields.AwareDateTime(allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "a preview's end: POST /identity/imports/<id>/start until then"})


class ImportPage(Schema):
    items = fields.List(fields.Nested(ImportReport))
    total = fields.Integer()


class TrailQuery(PageQuery):
    company = text(32, load_default=None)
    action = text(40, load_default=None)
    target_id = text(64, load_default=None)


class TrailEntry(Schema):
    id = fields.String()
    occurred_at = fields.AwareDateTime()
    company_id = fields.String()
    actor_id = fields.String()
    actor_name = fields.String()
    action = fields.String()
    target_id = fields.String()
    target_label = fields.String()
    details = fields.Dict()


class TrailPage(Schema):
    items = fields.List(fields.Nested(TrailEntry))
    total = fields.Integer()
