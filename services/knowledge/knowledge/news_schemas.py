"""The shapes of the news routes (and their OpenAPI document)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from portalkit.fields import SingleLine

from .models import NEWS_KINDS

BODY_MAX = 100_000


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _title():
    return SingleLine(validate=validate.Length(max=200), load_default="")


def _body():
    return fields.String(validate=validate.Length(max=BODY_MAX), load_default="",
                         metadata={"description": "Markdown (raw HTML is escaped, the result sanitised)"})


class NewsIn(Strict):
    """A news item, published at once. At least one language: a title and a body in English and/or French."""
    kind = fields.String(required=True, validate=validate.OneOf(NEWS_KINDS))
    title_en = _title()
    body_en = _body()
    title_fr = _title()
    body_fr = _body()
    products = fields.List(SingleLine(validate=validate.Length(min=1, max=64)), validate=validate.Length(max=200),
                           load_default=list, metadata={"description": "product codes: the companies holding one"})
    domains = fields.List(SingleLine(validate=validate.Length(min=1, max=100)), validate=validate.Length(max=50),
                          load_default=list, metadata={
                              "description": "functional domains: the users holding “Functional preference: <domain>”"})

    @validates_schema
    def one_language_at_least(self, data, **_kwargs):
        errors = {}
        for language in ("en", "fr"):
            title, body = (data.get(f"title_{language}") or "").strip(), (data.get(f"body_{language}") or "").strip()
            if body and not title:
                errors[f"title_{language}"] = ["A body needs its title."]
        if not errors and not any((data.get(f"title_{language}") or "").strip() for language in ("en", "fr")):
            errors["title_en"] = ["Give a title in English or in French."]
        if errors:
            raise ValidationError(errors)


class NewsQuery(Schema):
    kind = fields.String(validate=validate.OneOf(NEWS_KINDS), load_default=None)
    brand = SingleLine(validate=validate.Length(min=1, max=100), load_default=None, metadata={
        "description": "only the items targeted at a product of this brand (a product line's space)"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class LineProduct(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()


class ProductLine(Schema):
    brand = fields.String()
    holdings = fields.Integer(metadata={"description": "the company's live holdings of the line's products"})
    products = fields.List(fields.Nested(LineProduct))


class ProductLines(Schema):
    items = fields.List(fields.Nested(ProductLine))
    main = fields.String(allow_none=True, metadata={
        "description": "the brand of the company's main line, where its users land after signing in: the "
                       "most live holdings, ties by brand name (null: the company holds no line)"})


class OperatorNewsQuery(NewsQuery):
    retired = fields.Boolean(load_default=None, metadata={
        "description": "true: the retired items only; false: the live ones only; absent: both"})


class VisitIn(Strict):
    seen_until = fields.AwareDateTime(load_default=None, metadata={
        "description": "the ``as_of`` of the list the reader saw (at most now); absent: now"})


class VisitSchema(Schema):
    last_visit_at = fields.AwareDateTime(allow_none=True)


class NewsItemSchema(Schema):
    """An item as a reader sees it, in their language (the other when it has only that one)."""
    id = fields.String()
    kind = fields.String(metadata={"enum": list(NEWS_KINDS)})
    title = fields.String()
    language = fields.String(metadata={"description": "the language of the title and body shown"})
    excerpt = fields.String(metadata={"description": "the start of the body, as plain text"})
    published_at = fields.AwareDateTime()
    new = fields.Boolean(metadata={"description": "published after the reader's last visit of the news"})
    products = fields.List(fields.String())
    domains = fields.List(fields.String())


class NewsItemDetail(NewsItemSchema):
    body_html = fields.String(metadata={"description": "the body, sanitised HTML"})


class NewsPage(Schema):
    items = fields.List(fields.Nested(NewsItemSchema))
    total = fields.Integer(metadata={"description": "the items reaching the caller under the filters, counted at "
                                                    "most to 1,000 past the page's first (then ``total_capped``)"})
    total_capped = fields.Boolean(metadata={"description": "there are more items than ``total`` says"})
    new_since_last_visit = fields.Integer(metadata={
        "description": "items of every kind published after the last visit, capped at 99 "
                       "(then ``new_since_last_visit_capped``: show it as 99+)"})
    new_since_last_visit_capped = fields.Boolean(metadata={"description": "more than 99 items are new"})
    last_visit_at = fields.AwareDateTime(allow_none=True)
    as_of = fields.AwareDateTime(metadata={"description": "when the list was read: send it back as ``seen_until``"})


class OperatorNewsSchema(Schema):
    id = fields.String()
    kind = fields.String(metadata={"enum": list(NEWS_KINDS)})
    title_en = fields.String()
    body_en = fields.String()
    title_fr = fields.String()
    body_fr = fields.String()
    products = fields.List(fields.String())
    domains = fields.List(fields.String())
    published_at = fields.AwareDateTime()
    published_by = fields.String()
    retired_at = fields.AwareDateTime(allow_none=True)


class OperatorNewsPage(Schema):
    items = fields.List(fields.Nested(OperatorNewsSchema))
    total = fields.Integer()


class PreviewIn(Strict):
    body = fields.String(required=True, validate=validate.Length(max=BODY_MAX))


class PreviewSchema(Schema):
    body_html = fields.String()
