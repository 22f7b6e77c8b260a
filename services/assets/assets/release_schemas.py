"""The shapes of the releases' routes (downloads and the operators' publishing)."""
from marshmallow import Schema, fields, validate

from .schemas import Strict

PRINTABLE = validate.Regexp(r"^[!-~][ -~]*\Z", error="Printable characters only, not starting with a space.")


class ReleaseFieldsIn(Strict):
    """The multipart form's fields beside ``file``."""
    product_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    version = fields.String(required=True, validate=[validate.Length(min=1, max=64), PRINTABLE])
    channel = fields.String(load_default="stable", validate=validate.OneOf(("stable", "prerelease")))
    released_on = fields.Date(required=True)
    notes_en = fields.String(load_default="", validate=validate.Length(max=20_000))
    notes_fr = fields.String(load_default="", validate=validate.Length(max=20_000))


class ReleaseUploadDoc(Schema):
    """The OpenAPI description of the upload form (read as a stream, not by webargs)."""
    product_id = fields.String(required=True)
    version = fields.String(required=True)
    channel = fields.String(metadata={"enum": ["stable", "prerelease"]})
    released_on = fields.Date(required=True)
    notes_en = fields.String()
    notes_fr = fields.String()
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ReleaseQuery(Schema):
    product = fields.String(validate=validate.Length(min=1, max=32), load_default=None)
    channel = fields.String(validate=validate.OneOf(("stable", "prerelease")), load_default=None)
    waiting = fields.Boolean(load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class OperatorReleaseQuery(Schema):
    product = fields.String(validate=validate.Length(min=1, max=32), load_default=None)
    channel = fields.String(validate=validate.OneOf(("stable", "prerelease")), load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class ReleaseProduct(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()


class ReleaseSchema(Schema):
    id = fields.String()
    product = fields.Nested(ReleaseProduct)
    version = fields.String()
    channel = fields.String()
    released_on = fields.Date()
    size = fields.Integer()
    sha256 = fields.String()
    notes = fields.String()
    file_name = fields.String()
    file_url = fields.String()
    waiting = fields.Boolean()


class ReleasePage(Schema):
    items = fields.List(fields.Nested(ReleaseSchema))
    total = fields.Integer()
    waiting_total = fields.Integer()
    products = fields.List(fields.Nested(ReleaseProduct), metadata={
        "description": "the products of every release the caller may download (whatever the filters)"})


class OperatorReleaseSchema(Schema):
    id = fields.String()
    product = fields.Nested(ReleaseProduct)
    version = fields.String()
    channel = fields.String()
    released_on = fields.Date()
    size = fields.Integer()
    sha256 = fields.String()
    notes_en = fields.String()
    notes_fr = fields.String()
    file_name = fields.String()
    created_at = fields.AwareDateTime()
    retired_at = fields.AwareDateTime(allow_none=True)


class ListedRelease(OperatorReleaseSchema):
    downloads = fields.Integer(metadata={"description": "Users who downloaded it"})
    download_times = fields.Integer(metadata={"description": "Downloads in all (a resumed one counts once)"})


class OperatorReleasePage(Schema):
    items = fields.List(fields.Nested(ListedRelease))
    total = fields.Integer()
