"""The shapes of the serialization routes: codes, keys, identifier changes, the revocation list."""
from marshmallow import RAISE, Schema, fields, validate

from portalkit.fields import SingleLine

from .machine_ids import MachineId

MAX_SELECTION = 1000
# Free text may hold any character but NUL, which no database stores (portalkit.request_input).
TEXT_PATTERN = r"^[^\u0000]*$"


def HoldingIds():  # noqa: N802 - a field, named like one
    return fields.List(SingleLine(validate=validate.Length(min=1, max=32)), required=True,
                       validate=validate.Length(min=1, max=MAX_SELECTION))


class Strict(Schema):
    class Meta:
        unknown = RAISE


class SerializationIn(Strict):
    machine_id = MachineId(required=True)
    holding_ids = HoldingIds()


class ProductBrief(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    major_version = fields.Integer(allow_none=True)


class IssuedCodeSchema(Schema):
    holding_id = fields.String()
    product = fields.Nested(ProductBrief)
    machine_id = fields.String()
    code = fields.String()
    code_id = fields.String()
    key_id = fields.String()
    issued_on = fields.Date()


class SerializationAnswer(Schema):
    items = fields.List(fields.Nested(IssuedCodeSchema))


class PublicKeySchema(Schema):
    key_id = fields.String()
    algorithm = fields.String(metadata={"enum": ["Ed25519"]})
    public_key = fields.String(metadata={"description": "the raw 32-byte public key, base64url without padding"})


class PublicKeys(Schema):
    current = fields.String(metadata={"description": "the key_id new codes are signed with"})
    items = fields.List(fields.Nested(PublicKeySchema))


class IdentifierChangeIn(Strict):
    holding_ids = HoldingIds()
    new_machine_id = MachineId(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata={"pattern": TEXT_PATTERN})


class ChangedProduct(Schema):
    code = fields.String()
    name = fields.String(metadata={"description": "in the caller's language"})


class ChangeHoldingSchema(Schema):
    holding_id = fields.String()
    previous_machine_id = fields.String(allow_none=True)
    product = fields.Nested(ChangedProduct)


class ChangeCompany(Schema):
    id = fields.String()
    number = fields.String()
    name = fields.String()


class IdentifierChangeSchema(Schema):
    id = fields.String()
    status = fields.String(metadata={"enum": ["pending", "approved", "refused"]})
    company_id = fields.String()
    company = fields.Nested(ChangeCompany)
    requested_by = fields.String()
    new_machine_id = fields.String()
    reason = fields.String()
    requested_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    holdings = fields.List(fields.Nested(ChangeHoldingSchema))


class IdentifierChangeAccepted(Schema):
    id = fields.String()
    status = fields.String()


class OwnChangeQuery(Schema):
    status = fields.String(validate=validate.OneOf(["pending", "approved", "refused"]), load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class ChangeQuery(OwnChangeQuery):
    company_id = SingleLine(validate=validate.Length(min=1, max=64), load_default=None)


class ChangePage(Schema):
    items = fields.List(fields.Nested(IdentifierChangeSchema))
    total = fields.Integer()


class DecisionIn(Strict):
    reason = fields.String(validate=validate.Length(max=2000), load_default=None, metadata={"pattern": TEXT_PATTERN})


class RevocationQuery(Schema):
    since = fields.AwareDateTime(load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=1_000_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=1000), load_default=200)


class RevocationSchema(Schema):
    code_id = fields.String(attribute="id")
    sha256 = fields.String(metadata={"description": "SHA-256 of the code's text, hex"})
    key_id = fields.String()
    revoked_at = fields.AwareDateTime()


class RevocationPage(Schema):
    items = fields.List(fields.Nested(RevocationSchema))
    total = fields.Integer()
    signed = fields.String(metadata={"description": "<payload>.<signature> as a code: the payload is JSON "
                                                    "{revoked: [code ids of this page], total, page, per_page, key_id}"})
