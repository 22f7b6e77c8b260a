"""The readers' side of the articles: a published article in the reader's language, its
attachments, "Was this helpful?", and the brands and domains to filter the search by.

Readers hold "View FAQs" (any company's): articles are the vendor's, for every holder alike —
products target the mails and news of an article, not who may read it. Operators read them too.
"""
from __future__ import annotations

import functools

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit import markdown
from portalkit.db import utcnow
from portalkit.entitlements import VIEW_FAQS
from portalkit.errors import forbidden, not_found
from portalkit.openapi import needs_sign_in
from portalkit.web import caller, signed_in

from .articles import find, version_fields
from .models import Article, ArticleAttachment, ArticleFeedback, ArticleSearchEntry, ArticleVersion, Product


def reader_only(view):
    """Holders of "View FAQs" and operators; 403 for everyone else."""
    @functools.wraps(view)
    @signed_in
    def wrapper(*args, **kwargs):
        identity = caller()
        if not identity.operator and not identity.companies_with(VIEW_FAQS):
            raise forbidden("Your subscriptions do not include the FAQs.")
        return view(*args, **kwargs)
    return needs_sign_in(wrapper)


def published(session: Session, article_id: str) -> tuple[Article, ArticleVersion]:
    """A published article and the version readers see; 404 for a draft or a retired one."""
    article = find(session, article_id)
    if article.status != "published" or not article.published_version:
        raise not_found("article")
    return article, session.get(ArticleVersion, (article.id, article.published_version))


def attachment_view(article_id: str, attachment: ArticleAttachment) -> dict:
    return {"id": attachment.id, "file_name": attachment.file_name, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256,
            "url": f"/api/knowledge/articles/{article_id}/attachments/{attachment.id}"}


def attachments_of(session: Session, article_id: str) -> list[ArticleAttachment]:
    return list(session.scalars(select(ArticleAttachment).where(ArticleAttachment.article_id == article_id)
                                .order_by(ArticleAttachment.created_at, ArticleAttachment.id)))


def read(session: Session, article_id: str, language: str, user_id: str | None) -> dict:
    """The published article in ``language`` when written in it, else in the language it has."""
    article, version = published(session, article_id)
    fields = version_fields(version)
    languages = [code for code in ("en", "fr") if fields[f"title_{code}"]]
    shown = language if language in languages else languages[0]
    products = []
    if fields["products"]:
        known = {product.code: product for product in session.scalars(
            select(Product).where(Product.code.in_(fields["products"])))}
        products = [{"code": code, "name": known[code].name(shown) if code in known else code}
                    for code in fields["products"]]
    feedback = session.get(ArticleFeedback, (article.id, user_id)) if user_id else None
    return {"id": article.id, "language": shown, "languages": languages, "title": fields[f"title_{shown}"],
            "body_html": markdown.to_safe_html(fields[f"body_{shown}"]), "brand": fields["brand"],
            "domain": fields["domain"], "products": products, "keywords": fields["keywords"],
            "published_on": article.published_on, "version": version.number,
            "attachments": [attachment_view(article.id, a) for a in attachments_of(session, article.id)],
            "helpful": feedback.helpful if feedback is not None else None}


def attachment(session: Session, article_id: str, attachment_id: str) -> ArticleAttachment:
    article, _version = published(session, article_id)
    found = session.get(ArticleAttachment, attachment_id) if len(attachment_id) <= 32 else None
    if found is None or found.article_id != article.id:
        raise not_found("attachment")
    return found


def answer_helpful(session: Session, article_id: str, user_id: str, helpful: bool) -> bool:
    """Record (or change) the reader's answer; one per reader and article."""
    article, _version = published(session, article_id)
    feedback = session.get(ArticleFeedback, (article.id, user_id))
    if feedback is None:
        session.add(ArticleFeedback(article_id=article.id, user_id=user_id, helpful=helpful, updated_at=utcnow()))
    else:
        feedback.helpful, feedback.updated_at = helpful, utcnow()
    session.commit()
    return helpful


def facets(session: Session) -> dict:
    """The brands and domains of the published articles."""
    brands = session.scalars(select(ArticleSearchEntry.brand).distinct().order_by(ArticleSearchEntry.brand))
    domains = session.scalars(select(ArticleSearchEntry.domain).distinct().order_by(ArticleSearchEntry.domain))
    return {"brands": [b for b in brands if b], "domains": [d for d in domains if d]}
