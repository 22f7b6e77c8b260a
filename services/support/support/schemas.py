"""The shapes support's routes read and answer (and its OpenAPI document shows).

Bodies are strict: a field the route does not take — an operator's ``assignee_id``, ``internal`` or
a clock field sent by a client — is refused with 400 naming it, never silently dropped.
"""
from marshmallow import RAISE, Schema, fields, pre_load, validate

from portalkit.fields import SingleLine

from .access import SCOPES
from .clock import CLOCK_STATES
from .models import SEVERITIES, STATUSES

ID = validate.Length(min=1, max=64)
# Free text may hold any character but NUL, which no database stores (portalkit.request_input).
TEXT = {"pattern": r"^[^\u0000]*$"}


class Strict(Schema):
    class Meta:
        unknown = RAISE


class RequestIn(Strict):
    subject = SingleLine(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, validate=validate.Length(min=1, max=20_000), metadata=TEXT)
    product = SingleLine(load_default=None, allow_none=True, validate=ID,
                            metadata={"description": "a product the company holds (`GET /api/support/products`)"})
    severity = fields.String(load_default="minor", validate=validate.OneOf(SEVERITIES))
    contact_phone = SingleLine(load_default="", validate=validate.Length(max=40))
    followers = fields.List(SingleLine(validate=ID), load_default=list, validate=validate.Length(max=50),
                            metadata={"description": "user ids of colleagues of the same company"})

    @pre_load
    def _form_lists(self, data, **_kwargs):
        # A multipart form sends the followers as repeated fields or one comma-separated value.
        if isinstance(data, dict) and isinstance(data.get("followers"), str):
            data = {**data, "followers": [part.strip() for part in data["followers"].split(",") if part.strip()]}
        return data


class RequestUploadDoc(Schema):
    """The multipart form of a new request (read as a stream, not by webargs, then loaded by
    ``RequestIn``: its fields are documented with the same rules)."""
    subject = RequestIn._declared_fields["subject"]
    description = RequestIn._declared_fields["description"]
    product = SingleLine(validate=ID, metadata=RequestIn._declared_fields["product"].metadata)
    severity = RequestIn._declared_fields["severity"]
    contact_phone = RequestIn._declared_fields["contact_phone"]
    followers = fields.String(metadata={"description": "comma-separated user ids (or the field repeated)"})
    attachments = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}))


class CommentIn(Strict):
    body = fields.String(required=True, validate=validate.Length(min=1, max=20_000), metadata=TEXT)


class CommentUploadDoc(Schema):
    body = CommentIn._declared_fields["body"]
    attachments = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}))


class FollowersIn(Strict):
    user_ids = fields.List(SingleLine(validate=ID), required=True, validate=validate.Length(min=1, max=50),
                           metadata={"description": "colleagues of the requester's company to add"})


class AnswerIn(Strict):
    body = fields.String(required=True, validate=validate.Length(min=1, max=20_000), metadata=TEXT)
    internal = fields.Boolean(load_default=False, metadata={"description": "a note between operators only"})


class AnswerUploadDoc(Schema):
    body = fields.String(required=True)
    internal = fields.Boolean()
    attachments = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}))


class StatusIn(Strict):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class AssignIn(Strict):
    assignee_id = SingleLine(required=True, allow_none=True, validate=ID,
                                metadata={"description": "an operator's user id; null: unassigned"})


class DeflectionIn(Strict):
    subject = SingleLine(required=True, validate=validate.Length(min=1, max=200))
    article_id = SingleLine(load_default=None, allow_none=True, validate=ID)


class Paging(Schema):
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class RequestQuery(Paging):
    scope = fields.String(load_default="own", validate=validate.OneOf(SCOPES))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    q = SingleLine(load_default=None, validate=validate.Length(min=1, max=100),
                   metadata={"description": "a word of the subject, or the number"})
    product = SingleLine(load_default=None, validate=ID, metadata={"description": "a product's id"})
    company = SingleLine(load_default=None, validate=ID,
                         metadata={"description": "one company of the scope (a supervisor's associate, say)"})


class ColleagueQuery(Paging):
    q = SingleLine(load_default=None, validate=validate.Length(min=1, max=100),
                   metadata={"description": "a part of the colleague's name or address"})


class QueueQuery(Paging):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    severity = fields.String(load_default=None, validate=validate.OneOf(SEVERITIES))
    product_id = SingleLine(load_default=None, validate=ID)
    company_id = SingleLine(load_default=None, validate=ID)
    assignee = SingleLine(load_default=None, validate=ID,
                             metadata={"description": "an operator's id, `me`, or `none` (unassigned)"})
    clock = fields.String(load_default=None, validate=validate.OneOf((*CLOCK_STATES, "paused")))
    q = SingleLine(load_default=None, validate=validate.Length(min=1, max=100))


class StatsQuery(Schema):
    weeks = fields.Integer(load_default=12, validate=validate.Range(min=1, max=104),
                           metadata={"description": "how many weeks, the current one last"})


class DeflectionQuery(Paging):
    company_id = SingleLine(load_default=None, validate=ID)


# --- answers ---------------------------------------------------------------------------------
class Named(Schema):
    id = fields.String()
    name = fields.String()


class Person(Schema):
    user_id = fields.String(allow_none=True)
    name = fields.String()
    kind = fields.String(metadata={"enum": ["client", "operator", "system"]})


class Colleague(Schema):
    user_id = fields.String()
    name = fields.String()


class ColleaguePage(Schema):
    items = fields.List(fields.Nested(Colleague))
    total = fields.Integer()


class AttachmentSchema(Schema):
    id = fields.String()
    file_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.String()
    created_at = fields.AwareDateTime()


class ClockSchema(Schema):
    state = fields.String(allow_none=True, metadata={"enum": [*CLOCK_STATES, "paused", None]})
    running = fields.String(allow_none=True, metadata={"enum": ["first_response", "resolution", None]})
    paused = fields.Boolean()
    first_response_due = fields.AwareDateTime()
    first_response_at = fields.AwareDateTime(allow_none=True)
    resolution_due = fields.AwareDateTime(allow_none=True)
    answer_expected_by = fields.AwareDateTime(allow_none=True)


class CommentSchema(Schema):
    id = fields.String()
    author = fields.Nested(Person)
    body = fields.String(metadata={"description": "text as written (markup is not interpreted)"})
    internal = fields.Boolean()
    created_at = fields.AwareDateTime()
    attachments = fields.List(fields.Nested(AttachmentSchema))


class MoveSchema(Schema):
    at = fields.AwareDateTime()
    actor = fields.Nested(Person)
    from_status = fields.String(allow_none=True)
    to_status = fields.String()


class RequestSummary(Schema):
    id = fields.String()
    number = fields.String()
    subject = fields.String()
    status = fields.String()
    severity = fields.String()
    product = fields.Nested(Named, allow_none=True)
    company = fields.Nested(Named)
    requester = fields.Nested(Person)
    assignee_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    clock = fields.Nested(ClockSchema)


class RequestDetail(RequestSummary):
    description = fields.String()
    contact_phone = fields.String()
    followers = fields.List(fields.Nested(Person))
    attachments = fields.List(fields.Nested(AttachmentSchema))
    thread = fields.List(fields.Nested(CommentSchema))
    history = fields.List(fields.Nested(MoveSchema))
    allowed_moves = fields.List(fields.String(), metadata={"description": "statuses the caller may move it to"})


class RequestCreated(Schema):
    id = fields.String()
    number = fields.String()
    status = fields.String()
    clock = fields.Nested(ClockSchema)
    attachments = fields.List(fields.Nested(AttachmentSchema))


class RequestPage(Schema):
    items = fields.List(fields.Nested(RequestSummary))
    total = fields.Integer()


class QueuePage(RequestPage):
    total = fields.Integer(metadata={"description": "the matching requests, counted up to `QUEUE_COUNT_CAP`"})
    total_capped = fields.Boolean(metadata={"description": "more requests match than `total` says"})


class HistoryPage(Schema):
    items = fields.List(fields.Nested(MoveSchema))
    total = fields.Integer()


class SupportSummarySchema(Schema):
    in_progress = fields.Integer(metadata={"description": "the caller's own requests not resolved nor closed"})
    new_contents = fields.Integer(metadata={"description": "answers on them since the caller last read each"})


class ProductChoice(Named):
    code = fields.String(metadata={"description": "the product's code (a page preselects it by code)"})


class ProductPage(Schema):
    items = fields.List(fields.Nested(ProductChoice))
    total = fields.Integer()


class DeflectionSchema(Schema):
    id = fields.String()
    company_id = fields.String()
    article_id = fields.String(allow_none=True)
    subject = fields.String()
    created_at = fields.AwareDateTime()


class DeflectionPage(Schema):
    items = fields.List(fields.Nested(DeflectionSchema))
    total = fields.Integer()
    by_article = fields.Dict(keys=fields.String(), values=fields.Integer(),
                             metadata={"description": "deflections per article id (`none`: no article named)"})


class WeekCounts(Schema):
    week = fields.Date(metadata={"description": "the week's Monday (weeks run Monday to Sunday, UTC)"})
    opened = fields.Integer(metadata={"description": "requests opened that week"})
    resolved = fields.Integer(metadata={"description": "moves to resolved that week"})


class StatsPage(Schema):
    weeks = fields.List(fields.Nested(WeekCounts), metadata={"description": "oldest first"})
