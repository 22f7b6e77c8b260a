"""The shapes of the articles' routes: the operators' writing, the readers' search and reading."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from portalkit.fields import Language, SingleLine

LANGUAGES = ("en", "fr")
MAX_BODY = 200_000


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _title():
    return SingleLine(validate=validate.Length(max=300))


def _label():
    return SingleLine(validate=validate.Length(min=1, max=100))


class ArticleFields(Strict):
    """What an operator writes; a PATCH sends only what changes (a new version of the rest)."""
    title_en = _title()
    body_en = fields.String(validate=validate.Length(max=MAX_BODY), metadata={"description": "Markdown"})
    title_fr = _title()
    body_fr = fields.String(validate=validate.Length(max=MAX_BODY), metadata={"description": "Markdown"})
    brand = _label()
    domain = _label()
    products = fields.List(SingleLine(validate=validate.Length(min=1, max=64)), validate=validate.Length(max=50),
                           metadata={"description": "product codes (assets' products)"})
    keywords = fields.List(SingleLine(validate=validate.Length(min=1, max=60)), validate=validate.Length(max=30))


class ArticleIn(ArticleFields):
    """A new article (its first version, a draft)."""
    brand = SingleLine(required=True, validate=validate.Length(min=1, max=100))
    domain = SingleLine(required=True, validate=validate.Length(min=1, max=100))


def check_languages(version: dict) -> None:
    """At least one language written; a language written has both its title and its body."""
    problems = {}
    written = []
    for language in LANGUAGES:
        title, body = (version.get(f"title_{language}") or "").strip(), (version.get(f"body_{language}") or "").strip()
        if title and body:
            written.append(language)
        elif title:
            problems[f"body_{language}"] = ["Write the body of this language's title."]
        elif body:
            problems[f"title_{language}"] = ["Give this language's body a title."]
    if not written and not problems:
        problems["title_en"] = ["Write the article in English, in French, or in both."]
    if problems:
        raise ValidationError(problems)


class OperatorArticleQuery(Schema):
    status = fields.String(validate=validate.OneOf(("draft", "published", "retired")), load_default=None)
    brand = SingleLine(validate=validate.Length(min=1, max=100), load_default=None)
    domain = SingleLine(validate=validate.Length(min=1, max=100), load_default=None)
    q = SingleLine(validate=validate.Length(max=200), load_default=None)
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class SearchQuery(Schema):
    q = SingleLine(validate=validate.Length(max=500), load_default="")
    brand = SingleLine(validate=validate.Length(max=100), load_default=None)
    domain = SingleLine(validate=validate.Length(max=100), load_default=None)
    language = Language(blank_is_absent=True, load_default=None,
                        metadata={"description": "the reader's language (default: the caller's)"})
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=10)


class ReadQuery(Schema):
    language = Language(blank_is_absent=True, load_default=None,
                        metadata={"description": "the version to read (default: the caller's "
                                                 "language, else the one written)"})


class FeedbackIn(Strict):
    helpful = fields.Boolean(required=True, truthy={True}, falsy={False})


class FeedbackSchema(Schema):
    helpful = fields.Boolean(allow_none=True)


class HitSchema(Schema):
    id = fields.String()
    title = fields.String()
    snippet = fields.String(metadata={"description": "HTML: the text escaped, the matches in <mark>"})
    brand = fields.String()
    domain = fields.String()
    language = fields.String()
    published_on = fields.Date(allow_none=True)


class SearchPage(Schema):
    items = fields.List(fields.Nested(HitSchema))
    total = fields.Integer(metadata={"description": "the articles matching; on PostgreSQL, past 500 matches "
                                                    "in a language, counted at most to 1,000 past the page's "
                                                    "first (then ``total_capped``)"})
    total_capped = fields.Boolean(metadata={"description": "there are more articles than ``total`` says"})


class FacetsSchema(Schema):
    brands = fields.List(fields.String())
    domains = fields.List(fields.String())


class AttachmentSchema(Schema):
    id = fields.String()
    file_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.String()


class ProductSchema(Schema):
    code = fields.String()
    name = fields.String()


class ArticleSchema(Schema):
    """An article as readers see it (its published version)."""
    id = fields.String()
    language = fields.String()
    languages = fields.List(fields.String())
    title = fields.String()
    body_html = fields.String()
    brand = fields.String()
    domain = fields.String()
    products = fields.List(fields.Nested(ProductSchema))
    keywords = fields.List(fields.String())
    published_on = fields.Date(allow_none=True)
    version = fields.Integer()
    attachments = fields.List(fields.Nested(AttachmentSchema))
    helpful = fields.Boolean(allow_none=True, metadata={"description": "the caller's answer, null if none"})


class VersionSchema(Schema):
    number = fields.Integer()
    created_at = fields.AwareDateTime()
    created_by = fields.String(allow_none=True)


class CountsSchema(Schema):
    yes = fields.Integer()
    no = fields.Integer()


class OperatorArticleSchema(Schema):
    """An article as operators see it: its latest version, its status and its readers' answers."""
    id = fields.String()
    status = fields.String(metadata={"enum": ["draft", "published", "retired"]})
    latest_version = fields.Integer()
    published_version = fields.Integer(allow_none=True)
    unpublished_changes = fields.Boolean()
    title_en = fields.String()
    body_en = fields.String()
    title_fr = fields.String()
    body_fr = fields.String()
    brand = fields.String()
    domain = fields.String()
    products = fields.List(fields.String())
    keywords = fields.List(fields.String())
    published_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    retired_at = fields.AwareDateTime(allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentSchema))
    versions = fields.List(fields.Nested(VersionSchema))
    helpful = fields.Nested(CountsSchema)


class OperatorArticleLine(Schema):
    id = fields.String()
    status = fields.String()
    title_en = fields.String()
    title_fr = fields.String()
    brand = fields.String()
    domain = fields.String()
    latest_version = fields.Integer()
    published_version = fields.Integer(allow_none=True)
    published_on = fields.Date(allow_none=True)
    updated_at = fields.AwareDateTime()
    helpful = fields.Nested(CountsSchema)


class OperatorArticlePage(Schema):
    items = fields.List(fields.Nested(OperatorArticleLine))
    total = fields.Integer()


class PreviewSchema(Schema):
    title_en = fields.String()
    body_html_en = fields.String()
    title_fr = fields.String()
    body_html_fr = fields.String()


class AttachmentUploadDoc(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
