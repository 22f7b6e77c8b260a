"""Mails of new content: what ``ArticlePublished`` and ``NewsPublished`` record, and how a delivery
or a daily digest is worded.

The handler only records the publication (one row, one transaction: the bus is never held by a
large target); ``fanout`` then expands it into one delivery per holder, ``content_sender`` sends
them, ``digests`` gathers those of the users who chose one mail a day.

Who is told (``fanout.target``): the holders of the item's notification service — "Notification
on new FAQ published" for articles, the one of ``entitlements.NEWS_NOTIFICATIONS[kind]`` for news
— who are in its target: generic (no product, no domain) reaches every holder; targeted at
products, the holders in the companies holding one of them; targeted at domains, the holders who
also hold "Functional preference: <domain>" for the same company; both given, either reaches.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit import entitlements
from portalkit.events import Event

from .compose import Mail, link
from .models import ContentPublication

log = logging.getLogger(__name__)

HEADINGS = {
    "en": {"faq": "New FAQ", "general": "General information", "legal": "New legal text",
           "product": "Product information", "event": "New event", "partner": "Partner information",
           "help": "Portal help"},
    "fr": {"faq": "Nouvelle FAQ", "general": "Information générale", "legal": "Nouveau texte légal",
           "product": "Information produit", "event": "Nouvel événement", "partner": "Information partenaire",
           "help": "Aide du portail"},
}
# The service's title as the catalog's seed (catalog/data/catalog.csv) words it, for the mail's "why you receive this".
SERVICE_TITLES = {
    entitlements.NEW_FAQ_NOTIFICATION: {"en": "Notification on new FAQ published",
                                        "fr": "Notification de la publication d’une nouvelle FAQ"},
    "notification-on-new-general-information-published": {
        "en": "Notification on new General information published",
        "fr": "Notification de la publication de nouvelles informations générales"},
    "notification-on-new-product-information-published": {
        "en": "Notification on new Product information published",
        "fr": "Notification de la publication de nouvelles informations produit"},
    "notification-on-new-events-published": {"en": "Notification on new Events published",
                                             "fr": "Notification de la publication de nouveaux événements"},
    "notification-of-new-partner-information": {"en": "Notification of new partner information",
                                                "fr": "Notification des nouvelles informations partenaires"},
    "notification-on-new-portal-help-published": {"en": "Notification on new portal help published",
                                                  "fr": "Notification de la publication d’une nouvelle aide du portail"},
}
LANGUAGE_NAMES = {"en": {"en": "English", "fr": "French"}, "fr": {"en": "anglais", "fr": "français"}}


def record_article(session: Session, event: Event) -> ContentPublication | None:
    """Record an article's first publication (a new version of it mails no one)."""
    data = event.data
    if not data.get("first", True):
        return None
    return _record(session, event, "article", data["article_id"], "faq", entitlements.NEW_FAQ_NOTIFICATION,
                   data.get("product_codes") or [], [])


def record_news(session: Session, event: Event) -> ContentPublication | None:
    data = event.data
    return _record(session, event, "news", data["news_id"], data["kind"],
                   entitlements.NEWS_NOTIFICATIONS[data["kind"]], data.get("product_codes") or [],
                   data.get("domains") or [])


def _record(session: Session, event: Event, item_type: str, item_id: str, kind: str, service_code: str,
            product_codes: list, domains: list) -> ContentPublication | None:
    existing = session.scalar(select(ContentPublication).where(ContentPublication.item_type == item_type,
                                                               ContentPublication.item_id == item_id))
    if existing is not None:
        # Each item mails its holders once, even when it is published again under a new event.
        log.info("%s %s was recorded already (event %s)", item_type, item_id, existing.event_id)
        return None
    data = event.data
    publication = ContentPublication(
        item_type=item_type, item_id=item_id, kind=kind, service_code=service_code,
        title_en=(data.get("title_en") or "")[:300], title_fr=(data.get("title_fr") or "")[:300],
        product_codes=sorted(set(product_codes)), domains=sorted(set(domains)),
        published_on=data.get("published_on"), event_id=event.id, correlation_id=event.correlation_id,
        expanded=False, cursor_user_id="", cursor_company_id="", recipients=0)
    session.add(publication)
    session.flush()
    return publication


def on_article_published(session: Session, event: Event) -> None:
    record_article(session, event)


def on_news_published(session: Session, event: Event) -> None:
    record_news(session, event)


HANDLERS = {"knowledge.ArticlePublished": on_article_published,
            "knowledge.NewsPublished": on_news_published}


def item_link(base_url: str, publication: ContentPublication) -> str:
    page = "article" if publication.item_type == "article" else "news_item"
    return link(base_url, page, publication.item_id)


def worded(publication: ContentPublication, language: str, base_url: str) -> dict:
    """The item as a mail in ``language`` names it: its heading, its title (the other language's
    when it has none in this one, ``only_in`` then saying which) and its link."""
    titles = {"en": publication.title_en, "fr": publication.title_fr}
    title, only_in = titles.get(language) or "", None
    if not title:
        other = "fr" if language == "en" else "en"
        title = titles[other]
        only_in = LANGUAGE_NAMES[language][other] if title else None
    return {"heading": HEADINGS[language].get(publication.kind, HEADINGS[language]["general"]),
            "title": title or publication.item_id, "only_in": only_in,
            "link": item_link(base_url, publication)}


def delivery_mail(delivery, publication: ContentPublication, base_url: str) -> Mail:
    """The one mail telling ``delivery``'s holder of ``publication``."""
    language = delivery.language if delivery.language in HEADINGS else "en"
    titles = SERVICE_TITLES.get(publication.service_code, {})
    return Mail(kind="content_published", to=delivery.email, name=delivery.name, language=language,
                context={"first_name": delivery.first_name, **worded(publication, language, base_url),
                         "service_title": titles.get(language, publication.service_code),
                         "settings_link": link(base_url, "notification_settings")})


def digest_mail(digest, publications: list[ContentPublication], base_url: str) -> Mail:
    """The daily digest of ``digest``'s user: every item of the day, oldest first."""
    language = digest.language if digest.language in HEADINGS else "en"
    return Mail(kind="content_digest", to=digest.email, name=digest.name, language=language,
                context={"first_name": digest.first_name,
                         "items": [worded(publication, language, base_url) for publication in publications],
                         "settings_link": link(base_url, "notification_settings")})
