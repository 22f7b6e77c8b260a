"""The shapes declarations' routes read and answer (and its OpenAPI document shows)."""
from marshmallow import RAISE, Schema, fields, validate

# A deposit's states (models.py): queued and sent before the partner's answer, then final or taken.
STATUSES = ("queued", "sent", "taken", "refused_by_partner", "accepted", "partly_rejected", "rejected")
OBLIGATIONS = ("liasse", "cvae", "vat")
SOURCES = ("portal", "partner", "administration")


class Paging(Schema):
    class Meta:
        unknown = RAISE

    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class DepositQuery(Paging):
    entity = fields.String(load_default=None, validate=validate.Length(min=1, max=64),
                           metadata={"description": "one of the declarant's entities (its id)"})
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    obligation = fields.String(load_default=None, validate=validate.OneOf(OBLIGATIONS))
    closing = fields.Date(load_default=None, metadata={"description": "the period's end (YYYY-MM-DD)"})


class DepositUploadDoc(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class Explanation(Schema):
    code = fields.String()
    text = fields.String(metadata={"description": "what the code means, in the caller's language"})
    action = fields.String(metadata={"description": "what to do"})


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
    status = fields.String(metadata={"description": " → ".join(STATUSES[:3]) + "; final: " + ", ".join(STATUSES[3:])})
    obligation = fields.String(metadata={"description": ", ".join(OBLIGATIONS)})
    simulation = fields.Boolean(metadata={"description": "answered by the simulated EDI partner (SIMULATION)"})
    partner_reference = fields.String(allow_none=True)
    deposited_at = fields.DateTime()
    transmitted_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    codes = fields.List(fields.Nested(Explanation), metadata={"description": "the final answer's reject codes, explained"})


class Step(Schema):
    step = fields.String(metadata={"description": "the portal's: received, syntax, envelope, message, declarant, "
                                                  "identification, campaign, queued; the partner's: sent, "
                                                  "partner_unavailable, reports_unavailable, refused_by_partner, syntax_reject, taken; the "
                                                  "administration's: accepted, partly_rejected, rejected"})
    at = fields.DateTime()
    error = fields.Boolean()
    final = fields.Boolean()
    source = fields.String(metadata={"description": ", ".join(SOURCES)})
    code = fields.String(metadata={"description": "its reject code(s), comma-separated"})
    explanation = fields.List(fields.Nested(Explanation), metadata={"description": "each code explained"})
    detail = fields.String()
    simulation = fields.Boolean(metadata={"description": "a step of the simulated EDI partner (SIMULATION)"})


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
