"""The shapes declarations' routes read and answer (and its OpenAPI document shows)."""
from marshmallow import RAISE, Schema, fields, validate

STATUSES = ("accepted",)


class Paging(Schema):
    class Meta:
        unknown = RAISE

    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class DepositQuery(Paging):
    entity = fields.String(load_default=None, validate=validate.Length(min=1, max=64),
                           metadata={"description": "one of the declarant's entities (its id)"})
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class DepositUploadDoc(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class DepositSummary(Schema):
    id = fields.String()
    entity_id = fields.String()
    siren = fields.String()
    declarant_id = fields.String()
    file_name = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    kind = fields.String(metadata={"description": "the message's type (INFENT)"})
    campaign = fields.Integer()
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    regimes = fields.List(fields.String())
    currency = fields.String()
    tax_reference = fields.String()
    corrective = fields.Boolean(metadata={"description": "replaces an accepted filing of the same kind and closing date"})
    status = fields.String()
    deposited_at = fields.DateTime()


class Step(Schema):
    step = fields.String(metadata={"description": "received, syntax, envelope, message, declarant, identification, campaign, accepted"})
    at = fields.DateTime()
    error = fields.Boolean()
    final = fields.Boolean()


class DepositDetail(DepositSummary):
    timeline = fields.List(fields.Nested(Step))
    receipt = fields.String()


class DepositPage(Schema):
    items = fields.List(fields.Nested(DepositSummary))
    total = fields.Integer()


class Receipt(Schema):
    receipt = fields.String(metadata={"description": "<payload>.<signature>, both base64url: Ed25519 over the payload's bytes"})
    claims = fields.Dict(metadata={"description": "deposit_id, siren, sha256, deposited_at, key_id"})


class PublicKey(Schema):
    key_id = fields.String()
    algorithm = fields.String()
    public_key = fields.String(metadata={"description": "the raw 32-byte Ed25519 public key, base64url"})


class PublicKeys(Schema):
    keys = fields.List(fields.Nested(PublicKey))
