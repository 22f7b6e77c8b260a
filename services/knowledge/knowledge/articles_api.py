"""Routes of the articles: the operators' writing (``/operator/articles…``) and the readers'
search, reading, attachments and "Was this helpful?" (``/knowledge/…``)."""
from __future__ import annotations

from flask import request

from portalkit import file_answers, uploads
from portalkit.errors import PortalError
from portalkit.filestore import default_store
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import article_reading, articles, attachments, search
from .article_reading import reader_only
from .article_schemas import (ArticleFields, ArticleIn, ArticleSchema, AttachmentSchema, AttachmentUploadDoc,
                              FacetsSchema, FeedbackIn, FeedbackSchema, OperatorArticlePage, OperatorArticleQuery,
                              OperatorArticleSchema, PreviewSchema, ReadQuery, SearchPage, SearchQuery)

readers = Blueprint("articles", __name__, url_prefix="/knowledge", description="The knowledge base's articles")
operators = Blueprint("operator-articles", __name__, url_prefix="/operator",
                      description="Operators' writing of articles")


# --- readers ---

@readers.route("/search", methods=["GET"])
@reader_only
@readers.arguments(SearchQuery, location="query")
@readers.response(200, SearchPage)
def search_articles(query):
    """Articles matching every word of ``q`` ("phrases", ``prefix*``), best first, the reader's
    language first; each with its extract (matches in ``<mark>``). An empty ``q`` lists the newest."""
    language = query["language"] or caller().language
    results = search.search(db_session(), query["q"], search.Filters(query["brand"], query["domain"]), language,
                            query["page"], query["per_page"])
    return {"items": [{"id": hit.article_id, "title": hit.title, "snippet": str(hit.snippet), "brand": hit.brand,
                       "domain": hit.domain, "language": hit.language, "published_on": hit.published_on}
                      for hit in results.hits], "total": results.total, "total_capped": results.capped}


@readers.route("/facets", methods=["GET"])
@reader_only
@readers.response(200, FacetsSchema)
def facets():
    """The brands and functional domains of the published articles, to filter the search by."""
    return article_reading.facets(db_session())


@readers.route("/articles/<article_id>", methods=["GET"])
@readers.refuses(404)
@reader_only
@readers.arguments(ReadQuery, location="query")
@readers.response(200, ArticleSchema)
def read(query, article_id):
    """A published article (404 for a draft or a retired one), in the reader's language when it is
    written in it."""
    identity = caller()
    return article_reading.read(db_session(), article_id, query["language"] or identity.language, identity.user_id)


@readers.route("/articles/<article_id>/attachments/<attachment_id>", methods=["GET"])
@readers.refuses(404, 416)
@reader_only
@readers.response(200, description="The file, streamed, as an attachment (`Content-Disposition`).")
def attachment_file(article_id, attachment_id):
    """Download one of a published article's attachments."""
    found = article_reading.attachment(db_session(), article_id, attachment_id)
    answer = file_answers.decide(found.size, found.sha256)
    return file_answers.send(default_store(), found.file_key, found.size, found.sha256, found.file_name, answer,
                             content_type=found.content_type)


@readers.route("/articles/<article_id>/feedback", methods=["PUT"])
@readers.refuses(400, 404)
@reader_only
@readers.arguments(FeedbackIn)
@readers.response(200, FeedbackSchema)
def answer_helpful(data, article_id):
    """"Was this helpful?": the caller's yes or no (one per reader, changeable)."""
    return {"helpful": article_reading.answer_helpful(db_session(), article_id, caller().user_id, data["helpful"])}


# --- operators ---

def operator_view(session, article) -> dict:
    version = articles.latest(session, article)
    versions = articles.versions_of(session, article)
    return {"id": article.id, "status": article.status, "latest_version": article.latest_version,
            "published_version": article.published_version,
            "unpublished_changes": article.published_version != article.latest_version,
            **articles.version_fields(version), "published_on": article.published_on,
            "created_at": article.created_at, "updated_at": article.updated_at, "retired_at": article.retired_at,
            "attachments": [article_reading.attachment_view(article.id, a)
                            for a in article_reading.attachments_of(session, article.id)],
            "versions": [{"number": v.number, "created_at": v.created_at, "created_by": v.created_by}
                         for v in versions],
            "helpful": articles.helpful_counts(session, [article.id])[article.id]}


@operators.route("/articles", methods=["GET"])
@operator_only
@operators.arguments(OperatorArticleQuery, location="query")
@operators.response(200, OperatorArticlePage)
def list_articles(query):
    """Every article, newest change first, by ``status``, ``brand``, ``domain`` and words of its title (``q``)."""
    session = db_session()
    rows, total = articles.list_for_operators(session, query)
    counts = articles.helpful_counts(session, [article.id for article in rows])
    return {"items": [{"id": a.id, "status": a.status, "title_en": a.title_en, "title_fr": a.title_fr,
                       "brand": a.brand, "domain": a.domain, "latest_version": a.latest_version,
                       "published_version": a.published_version, "published_on": a.published_on,
                       "updated_at": a.updated_at, "helpful": counts[a.id]} for a in rows], "total": total}


@operators.route("/articles", methods=["POST"])
@operators.refuses(400)
@operator_only
@operators.arguments(ArticleIn)
@operators.response(201, OperatorArticleSchema)
def create(data):
    """Write an article (Markdown bodies, English and/or French): a draft, version 1."""
    session = db_session()
    return operator_view(session, articles.create(session, data, caller().user_id))


@operators.route("/articles/preview", methods=["POST"])
@operators.refuses(400)
@operator_only
@operators.arguments(ArticleFields)
@operators.response(200, PreviewSchema)
def preview(data):
    """Render what readers would see of these fields; nothing is stored."""
    return articles.preview(data)


@operators.route("/articles/<article_id>", methods=["GET"])
@operators.refuses(404)
@operator_only
@operators.response(200, OperatorArticleSchema)
def show(article_id):
    """An article's latest version, its versions, status, attachments and "Was this helpful?" counts."""
    session = db_session()
    return operator_view(session, articles.find(session, article_id))


@operators.route("/articles/<article_id>", methods=["PATCH"])
@operators.refuses(400, 404)
@operator_only
@operators.arguments(ArticleFields)
@operators.response(200, OperatorArticleSchema)
def edit(data, article_id):
    """Change an article: a new version (readers keep the published one until it is published)."""
    session = db_session()
    return operator_view(session, articles.edit(session, article_id, data, caller().user_id))


@operators.route("/articles/<article_id>/publish", methods=["POST"])
@operators.refuses(404, 409)
@operator_only
@operators.response(200, OperatorArticleSchema)
def publish(article_id):
    """Publish the latest version: readers see and search it at once; ``ArticlePublished``."""
    session = db_session()
    return operator_view(session, articles.publish(session, article_id, caller().user_id))


@operators.route("/articles/<article_id>/retire", methods=["POST"])
@operators.refuses(404)
@operator_only
@operators.response(200, OperatorArticleSchema)
def retire(article_id):
    """Withdraw an article from readers and from the search."""
    session = db_session()
    return operator_view(session, articles.retire(session, article_id))


@operators.route("/articles/<article_id>/attachments", methods=["POST"])
@operators.refuses(400, 404, 413, 415)
@operator_only
@uploads.streamed_body
@operators.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": AttachmentUploadDoc}}})
@operators.response(201, AttachmentSchema)
def attach(*_args, article_id):
    """Attach a PDF or a UTF-8 text file (multipart ``file``), its type checked by its content; its
    text is searched with the body's, at a lower weight. Over
    ``PORTAL_KNOWLEDGE_ATTACHMENT_MAX_BYTES``: 413, nothing stored."""
    session = db_session()
    article = articles.find(session, article_id)
    store = default_store()
    upload = uploads.receive(store, attachments.AttachmentSettings.load().max_bytes, prefix="articles")
    try:
        if upload.stored is None:
            raise PortalError(400, "invalid_input", "Some fields are invalid.", {"file": ["Send the file."]})
        content_type, text = attachments.examine(store, upload.stored)
        added = articles.add_attachment(session, article, upload.stored, upload.file_name or "attachment",
                                        content_type, text)
    except BaseException:
        session.rollback()
        if upload.stored is not None:
            store.delete(upload.stored.key)
        raise
    return article_reading.attachment_view(article.id, added)


@operators.route("/articles/<article_id>/attachments/<attachment_id>", methods=["DELETE"])
@operators.refuses(404)
@operator_only
@operators.response(204)
def detach(article_id, attachment_id):
    """Remove an attachment (its file too)."""
    removed = articles.remove_attachment(db_session(), article_id, attachment_id)
    default_store().delete(removed.file_key)
    return None
