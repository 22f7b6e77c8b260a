"""The shapes of the documents' routes (the companies' lists and files, the operators' uploads)."""
from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from .models import DOCUMENT_KINDS
from .schemas import Strict

PRINTABLE = validate.Regexp(r"^[!-~](?:[ -~]*[!-~])?\Z", error="Printable characters only, no space at either end.")
CURRENCY = validate.Regexp(r"^[A-Z]{3}\Z", error="An ISO 4217 code of three capital letters (EUR, XPF, USD…).")
PRICED = ("invoice", "credit")
MAX_AMOUNT = Decimal("999999999999.99")


def amount_problem(value: Decimal | None) -> str | None:
    """Why ``value`` is no amount of a document (None: it is one): at most two decimals, not negative."""
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        return "A positive amount below a trillion."
    if value.as_tuple().exponent < -2:
        return "At most two decimals."
    return None


class Amount(fields.Decimal):
    """An amount as a string ("1234.50"), never a float."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$", **kwargs.pop("metadata", {})}
        super().__init__(as_string=True, allow_nan=False, metadata=metadata, **kwargs)

    def _validated(self, value):
        value = super()._validated(value)
        problem = amount_problem(value)
        if problem:
            raise ValidationError(problem)
        return value


class DocumentFieldsIn(Strict):
    """The multipart form's fields beside ``file``."""
    company_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    company_number = fields.String(load_default=None, validate=validate.Length(min=1, max=40))
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    number = fields.String(required=True, validate=[validate.Length(min=1, max=64), PRINTABLE])
    issued_on = fields.Date(required=True)
    amount = Amount(load_default=None)
    currency = fields.String(load_default=None, validate=CURRENCY)
    intervention = fields.String(load_default=None, validate=[validate.Length(min=1, max=64), PRINTABLE])

    @validates_schema
    def _priced(self, data, **_kwargs):
        """Invoices and credits have an amount and its currency; reports and sheets neither."""
        if not data.get("company_id") and not data.get("company_number"):
            raise ValidationError({"company_id": ["Name the company (company_id, or company_number)."]})
        if data.get("kind") in PRICED:
            missing = {name: ["Required for an invoice or a credit."] for name in ("amount", "currency")
                       if data.get(name) is None}
            if missing:
                raise ValidationError(missing)
            if data.get("intervention") is not None:
                raise ValidationError({"intervention": ["Only for intervention reports and attendance sheets."]})
        elif data.get("kind"):
            extra = {name: ["Only for invoices and credits."] for name in ("amount", "currency")
                     if data.get(name) is not None}
            if extra:
                raise ValidationError(extra)


class DocumentUploadDoc(Schema):
    """The OpenAPI description of the upload form (read as a stream, not by webargs)."""
    company_id = fields.String(required=True)
    company_number = fields.String(metadata={"description": "instead of company_id: the company's number"})
    kind = fields.String(required=True, metadata={"enum": list(DOCUMENT_KINDS)})
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    amount = fields.String(metadata={"description": "invoices and credits: a decimal with at most two decimals"})
    currency = fields.String(metadata={"description": "invoices and credits: ISO 4217 (EUR, XPF…)"})
    intervention = fields.String(metadata={"description": "reports and sheets: the intervention they belong to"})
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                "description": "the PDF (checked by its content)"})


class DocumentImportDoc(Schema):
    """The OpenAPI description of the bulk upload form."""
    file = fields.Raw(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "a ZIP of PDFs with one CSV index: company number; kind; number; date; amount; currency; "
                       "file name (`;` or `,`, UTF-8 or Windows-1252, header optional)"})


class DocumentQuery(Schema):
    kind = DelimitedList(fields.String(validate=validate.OneOf(DOCUMENT_KINDS)),
                         validate=validate.Length(min=1, max=4),
                         metadata={"description": "one kind or several, comma-separated; "
                                                  "default: every kind the caller may see"})
    company = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    number = fields.String(validate=validate.Length(min=1, max=64), load_default=None,
                           metadata={"description": "the numbers starting so (case ignored)"})
    issued_from = fields.Date(load_default=None)
    issued_to = fields.Date(load_default=None)
    amount_min = Amount(load_default=None)
    amount_max = Amount(load_default=None)
    intervention = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class OperatorDocumentQuery(DocumentQuery):
    company_id = fields.String(validate=validate.Length(min=1, max=64), load_default=None)
    company_number = fields.String(validate=validate.Length(min=1, max=40), load_default=None)


class DocumentCompany(Schema):
    id = fields.String()
    number = fields.String()
    name = fields.String()


class DocumentSchema(Schema):
    id = fields.String()
    company = fields.Nested(DocumentCompany)
    kind = fields.String(metadata={"enum": list(DOCUMENT_KINDS)})
    number = fields.String()
    issued_on = fields.Date()
    amount = fields.Decimal(as_string=True, allow_none=True, metadata={"type": "string"})
    currency = fields.String(allow_none=True)
    intervention = fields.String(allow_none=True)
    file_name = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    file_url = fields.String()
    published_at = fields.AwareDateTime()


class CurrencyTotal(Schema):
    currency = fields.String()
    amount = fields.Decimal(as_string=True, metadata={"type": "string", "description": "invoices less credits"})


class DocumentPage(Schema):
    items = fields.List(fields.Nested(DocumentSchema))
    total = fields.Integer()
    totals = fields.List(fields.Nested(CurrencyTotal), metadata={
        "description": "per currency, the listed invoices less the listed credits (the whole filtered set)"})


class Rejection(Schema):
    line = fields.Integer()
    reason = fields.String()
    message = fields.String()


class DocumentImportSchema(Schema):
    id = fields.String()
    status = fields.String(metadata={"enum": ["queued", "running", "done", "failed"]})
    file_name = fields.String()
    total = fields.Integer()
    created = fields.Integer()
    rejected = fields.List(fields.Nested(Rejection))
    error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)


class DocumentImportPage(Schema):
    items = fields.List(fields.Nested(DocumentImportSchema))
    total = fields.Integer()


class PageQuery(Schema):
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)
