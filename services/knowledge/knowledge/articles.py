"""The operators' side of the articles: write (each edit a new version), preview, publish
(``ArticlePublished``, ``first`` on the first publication only), retire, attach files, list.

Readers only ever see an article's published version, through its search entries (``search``),
which publishing writes and retiring removes in the same transaction.
"""
from __future__ import annotations

import json

from marshmallow import ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from portalkit import markdown

from . import search
from .article_schemas import LANGUAGES, check_languages
from .events import outbox
from .models import Article, ArticleAttachment, ArticleFeedback, ArticleVersion, Product

VERSION_FIELDS = ("title_en", "body_en", "title_fr", "body_fr", "brand", "domain", "products", "keywords")


def invalid(fields: dict) -> PortalError:
    return PortalError(400, "invalid_input", "Some fields are invalid.", fields)


def _checked(session: Session, version: dict) -> dict:
    try:
        check_languages(version)
    except ValidationError as error:
        raise invalid(error.messages) from None
    codes = list(dict.fromkeys(version.get("products") or []))
    if codes:
        known = set(session.scalars(select(Product.code).where(Product.code.in_(codes))))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise invalid({"products": [f"No such product: {', '.join(unknown)}."]})
    version["products"] = codes
    version["keywords"] = list(dict.fromkeys(word.strip() for word in version.get("keywords") or [] if word.strip()))
    for language in LANGUAGES:
        version[f"title_{language}"] = (version.get(f"title_{language}") or "").strip()
        if not version[f"title_{language}"]:
            version[f"body_{language}"] = ""
    return version


def version_fields(version: ArticleVersion) -> dict:
    return {"title_en": version.title_en, "body_en": version.body_en, "title_fr": version.title_fr,
            "body_fr": version.body_fr, "brand": version.brand, "domain": version.domain,
            "products": json.loads(version.products or "[]"), "keywords": json.loads(version.keywords or "[]")}


def _add_version(session: Session, article: Article, number: int, fields: dict, operator_id: str | None) -> None:
    session.add(ArticleVersion(article_id=article.id, number=number, created_by=operator_id,
                               **{**fields, "products": json.dumps(fields["products"]),
                                  "keywords": json.dumps(fields["keywords"], ensure_ascii=False)}))
    article.latest_version = number
    article.title_en, article.title_fr = fields["title_en"], fields["title_fr"]
    article.brand, article.domain = fields["brand"], fields["domain"]
    article.updated_at = utcnow()


def create(session: Session, fields: dict, operator_id: str | None) -> Article:
    """A new article, a draft (version 1)."""
    fields = _checked(session, {name: fields.get(name) for name in VERSION_FIELDS})
    article = Article(status="draft", created_by=operator_id, latest_version=1)
    session.add(article)
    session.flush()
    _add_version(session, article, 1, fields, operator_id)
    session.commit()
    return article


def find(session: Session, article_id: str) -> Article:
    article = session.get(Article, article_id) if len(article_id) <= 32 else None
    if article is None:
        raise not_found("article")
    return article


def latest(session: Session, article: Article) -> ArticleVersion:
    return session.get(ArticleVersion, (article.id, article.latest_version))


def edit(session: Session, article_id: str, changes: dict, operator_id: str | None) -> Article:
    """A new version: the latest one with ``changes``; readers keep the published one until the
    next publication."""
    article = find(session, article_id)
    fields = _checked(session, {**version_fields(latest(session, article)), **changes})
    if fields == version_fields(latest(session, article)):
        return article  # nothing changed: no new version
    _add_version(session, article, article.latest_version + 1, fields, operator_id)
    session.commit()
    return article


def preview(fields: dict) -> dict:
    """What readers would see of these fields, nothing stored."""
    return {"title_en": (fields.get("title_en") or "").strip(), "body_html_en": markdown.to_safe_html(fields.get("body_en")),
            "title_fr": (fields.get("title_fr") or "").strip(), "body_html_fr": markdown.to_safe_html(fields.get("body_fr"))}


def entries(session: Session, article: Article, version: ArticleVersion) -> list[search.Entry]:
    """The search entries of a version: one per language it is written in."""
    attachments = " ".join(session.scalars(select(ArticleAttachment.text).where(
        ArticleAttachment.article_id == article.id).order_by(ArticleAttachment.created_at)))
    return version_entries(article, version, attachments)


def version_entries(article: Article, version: ArticleVersion, attachments: str) -> list[search.Entry]:
    """``entries`` with the text of the article's attachments already read (``reindex``: a batch's at once)."""
    fields = version_fields(version)
    return [search.Entry(language, fields[f"title_{language}"], " ".join(fields["keywords"]),
                         markdown.to_plain_text(fields[f"body_{language}"]), attachments, fields["brand"],
                         fields["domain"], article.published_on)
            for language in LANGUAGES if fields[f"title_{language}"]]


def publish(session: Session, article_id: str, operator_id: str | None) -> Article:
    """Readers see the latest version from now on; ``ArticlePublished`` says so."""
    article = find(session, article_id)
    if article.status == "published" and article.published_version == article.latest_version:
        raise PortalError(409, "already_published", "This version is already published.")
    first = article.first_published_at is None
    now = utcnow()
    article.status, article.published_version, article.retired_at = "published", article.latest_version, None
    article.published_on = now.date()
    article.first_published_at = article.first_published_at or now
    article.updated_at = now
    version = latest(session, article)
    search.index(session, article.id, entries(session, article, version))
    fields = version_fields(version)
    outbox.add(session, "ArticlePublished", {
        "article_id": article.id, "version": version.number, "first": first, "title_en": fields["title_en"],
        "title_fr": fields["title_fr"], "brand": fields["brand"], "domain": fields["domain"],
        "product_codes": fields["products"], "published_on": article.published_on})
    session.commit()
    return article


def retire(session: Session, article_id: str) -> Article:
    """Withdraw an article from readers (and from the search); publishing it again brings it back."""
    article = find(session, article_id)
    if article.status != "retired":
        article.status, article.retired_at, article.updated_at = "retired", utcnow(), utcnow()
        search.unindex(session, article.id)
        session.commit()
    return article


def reindex(session: Session, article: Article) -> None:
    """After an attachment came or went: what readers search follows (published articles only)."""
    if article.status == "published" and article.published_version:
        version = session.get(ArticleVersion, (article.id, article.published_version))
        search.index(session, article.id, entries(session, article, version))


def add_attachment(session: Session, article: Article, stored, file_name: str, content_type: str,
                   text: str) -> ArticleAttachment:
    attachment = ArticleAttachment(article_id=article.id, file_key=stored.key, file_name=file_name[:255],
                                   content_type=content_type, size=stored.size, sha256=stored.sha256, text=text)
    session.add(attachment)
    session.flush()
    article.updated_at = utcnow()
    reindex(session, article)
    session.commit()
    return attachment


def remove_attachment(session: Session, article_id: str, attachment_id: str) -> ArticleAttachment:
    article = find(session, article_id)
    attachment = session.get(ArticleAttachment, attachment_id)
    if attachment is None or attachment.article_id != article.id:
        raise not_found("attachment")
    session.delete(attachment)
    session.flush()
    reindex(session, article)
    session.commit()
    return attachment


def versions_of(session: Session, article: Article) -> list[ArticleVersion]:
    """Every version of the article, newest first."""
    return list(session.scalars(select(ArticleVersion).where(ArticleVersion.article_id == article.id)
                                .order_by(ArticleVersion.number.desc())))


def helpful_counts(session: Session, article_ids: list[str]) -> dict[str, dict]:
    counts = {article_id: {"yes": 0, "no": 0} for article_id in article_ids}
    rows = session.execute(select(ArticleFeedback.article_id, ArticleFeedback.helpful, func.count())
                           .where(ArticleFeedback.article_id.in_(article_ids))
                           .group_by(ArticleFeedback.article_id, ArticleFeedback.helpful))
    for article_id, helpful, count in rows:
        counts[article_id]["yes" if helpful else "no"] = count
    return counts


def list_for_operators(session: Session, query: dict) -> tuple[list[Article], int]:
    conditions = []
    if query.get("status"):
        conditions.append(Article.status == query["status"])
    if query.get("brand"):
        conditions.append(Article.brand == query["brand"])
    if query.get("domain"):
        conditions.append(Article.domain == query["domain"])
    if query.get("q"):
        like = "%" + query["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(Article.title_en.ilike(like, escape="\\"), Article.title_fr.ilike(like, escape="\\")))
    total = session.scalar(select(func.count()).select_from(Article).where(*conditions)) or 0
    rows = list(session.scalars(select(Article).where(*conditions).order_by(Article.updated_at.desc(), Article.id)
                                .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"])))
    return rows, total
