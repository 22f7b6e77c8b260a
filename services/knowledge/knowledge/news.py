"""The news: operators publish items (at once) and retire them; a reader lists the items that reach
them, newest first, with what is new since their last visit of the news.

Who an item reaches: everyone when it names no target (generic); else the users of a company holding
one of its products (the product directory's holdings, not removed), **or** the users holding
"Functional preference: <domain>" for one of its domains in their company — either target reaches.
A retired item reaches nobody. "New" is an item published after the reader's last visit mark
(``NewsVisit``), which ``mark_visit`` moves; a reader who never visited has every item new.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import FUNCTIONAL_PREFERENCE_PREFIX, functional_preference
from portalkit.errors import PortalError, not_found
from portalkit.markdown import to_plain_text
from portalkit.signed_identity import Identity

from .events import outbox
from .models import Holding, NewsDomain, NewsItem, NewsProduct, NewsVisit, Product

EXCERPT = 240  # characters of a body's plain text a list shows (its column holds 300)


# --- who reads what --------------------------------------------------------------------------------------
def reader_products(session: Session, identity: Identity) -> list[str]:
    """The codes of the products the reader's company holds (none for a user of no company)."""
    if identity.company_id is None:
        return []
    return list(session.scalars(
        select(Product.code).where(Product.id.in_(
            select(Holding.product_id).where(Holding.company_id == identity.company_id,
                                             Holding.removed.is_(False))))))


def reader_preferences(identity: Identity) -> list[str]:
    """The "Functional preference: …" service codes the reader holds for their own company."""
    if identity.company_id is None:
        return []
    suffix = "@" + identity.company_id
    return sorted(entitlement[:-len(suffix)] for entitlement in identity.entitlements
                  if entitlement.startswith(FUNCTIONAL_PREFERENCE_PREFIX) and entitlement.endswith(suffix))


def reader_lines(session: Session, identity: Identity) -> list[tuple[str, list[Product], int]]:
    """The product lines (brands) the reader's company holds, each with its products and its number of
    live holdings, by brand then code."""
    if identity.company_id is None:
        return []
    lines: dict[str, tuple[list[Product], list[int]]] = {}
    for product, holdings in session.execute(
            select(Product, func.count(Holding.id)).join(Holding, Holding.product_id == Product.id)
            .where(Holding.company_id == identity.company_id, Holding.removed.is_(False),
                   Product.retired.is_(False), Product.brand != "")
            .group_by(Product.id).order_by(Product.brand, Product.code)):
        products, count = lines.setdefault(product.brand, ([], [0]))
        products.append(product)
        count[0] += holdings
    return [(brand, products, count[0]) for brand, (products, count) in lines.items()]


def main_line(lines: list[tuple[str, list[Product], int]]) -> str | None:
    """The company's main line, the one a user lands in: the line of the most live holdings (holdings,
    not quantities — a hundred seats of one product are one product used), ties to the first brand by
    name; None for a company holding no line."""
    return min(lines, key=lambda line: (-line[2], line[0]))[0] if lines else None


def _targets(products: list[str], preferences: list[str]):
    """The ids of the targeted items naming one of ``products`` or ``preferences`` (None: neither)."""
    parts = []
    if products:
        parts.append(select(NewsProduct.news_id).where(NewsProduct.product_code.in_(products)))
    if preferences:
        parts.append(select(NewsDomain.news_id).where(NewsDomain.preference.in_(preferences)))
    # UNION ALL: an IN list needs no duplicates removed (a UNION's would be one more hash of every id).
    return None if not parts else parts[0] if len(parts) == 1 else union_all(*parts)


def _reaches(products: list[str], preferences: list[str]):
    """The SQL condition of an item reaching a reader with these products and preferences (an ``IN``
    subquery, which both engines read once per statement, not once per item as ``EXISTS`` would be)."""
    targets = _targets(products, preferences)
    return and_(NewsItem.retired_at.is_(None),
                NewsItem.targeted.is_(False) if targets is None
                else or_(NewsItem.targeted.is_(False), NewsItem.id.in_(targets)))


NEW_CAP = 99  # "new since your last visit" counts up to this ("99+" beyond): a badge, not a statistic
TOTAL_AHEAD = 1_000  # the total counts at most this many items past the page's first (the pager's reach)


def _inline(number: int):
    """A LIMIT or OFFSET written into the SQL, not bound: a prepared statement's generic plan (psycopg
    prepares a statement run five times) otherwise guesses it and may sort the whole table instead of
    walking the index."""
    return bindparam("n", number, literal_execute=True, unique=True)


def _capped_count(conditions: list, limit: int):
    """The number of reaching items under ``conditions``, counted at most to ``limit``: a walk of the
    published order that stops there (``ix_news_items_published`` covers it), not a count of every
    item reaching the reader — which, at 100,000 items, is a scan of the table."""
    walk = (select(NewsItem.id).where(*conditions)
            .order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(_inline(limit)).subquery())
    return select(func.count()).select_from(walk)


def total_reach(query: dict) -> int:
    """How far the total of a list's page counts: ``TOTAL_AHEAD`` items past its first (a whole page at least)."""
    return (query["page"] - 1) * query["per_page"] + max(TOTAL_AHEAD, query["per_page"])


def reader_statements(products: list[str], preferences: list[str], visited: datetime | None, query: dict) -> dict:
    """A reader's list in three statements, each an ordered index walk with a LIMIT: ``page`` (its
    items), ``total`` (counted to ``TOTAL_AHEAD`` past the page's first item) and ``new`` (the items of
    every kind published after ``visited``, counted to ``NEW_CAP`` + 1)."""
    narrowing = []
    if query.get("kind"):
        narrowing.append(NewsItem.kind == query["kind"])
    if query.get("brand"):
        narrowing.append(NewsItem.id.in_(select(NewsProduct.news_id).join(
            Product, Product.code == NewsProduct.product_code).where(Product.brand == query["brand"])))
    reaches = _reaches(products, preferences)
    offset = (query["page"] - 1) * query["per_page"]
    return {
        "page": select(NewsItem).where(reaches, *narrowing)
        .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())
        .offset(_inline(offset)).limit(_inline(query["per_page"])),
        "total": _capped_count([reaches, *narrowing], total_reach(query) + 1),
        "new": _capped_count([reaches, *([NewsItem.published_at > visited] if visited is not None else [])],
                             NEW_CAP + 1)}


def last_visit(session: Session, user_id: str | None) -> datetime | None:
    if user_id is None:
        return None
    return session.scalar(select(NewsVisit.visited_at).where(NewsVisit.user_id == user_id))


def list_for_reader(session: Session, identity: Identity, query: dict) -> dict:
    """The page of items reaching the reader (``kind`` narrows, ``brand`` keeps the items targeted at a
    product of that brand: a product line's space), newest first, each with ``new``.

    ``total`` is exact up to ``TOTAL_AHEAD`` items past the page's first, else capped there
    (``total_capped``); ``new_since_last_visit`` counts the new ones of every kind, up to ``NEW_CAP``
    (``new_since_last_visit_capped`` when there are more); ``as_of`` is when it was read (what a visit
    mark up to this answer names)."""
    as_of = utcnow()
    visited = last_visit(session, identity.user_id)
    statements = reader_statements(reader_products(session, identity), reader_preferences(identity), visited, query)
    reach = total_reach(query)
    total, new_total = session.scalar(statements["total"]), session.scalar(statements["new"])
    items = session.scalars(statements["page"]).all()
    return {"items": [(item, visited is None or item.published_at > visited) for item in items],
            "total": min(total, reach), "total_capped": total > reach,
            "new_since_last_visit": min(new_total, NEW_CAP), "new_since_last_visit_capped": new_total > NEW_CAP,
            "last_visit_at": visited, "as_of": as_of}


def find_for_reader(session: Session, identity: Identity, news_id: str) -> tuple[NewsItem, bool]:
    """One item reaching the reader, and whether it is new for them (404 if it does not reach them)."""
    reaches = _reaches(reader_products(session, identity), reader_preferences(identity))
    item = session.scalar(select(NewsItem).where(NewsItem.id == news_id, reaches)) if len(news_id) <= 32 else None
    if item is None:
        raise not_found("news item")
    visited = last_visit(session, identity.user_id)
    return item, visited is None or item.published_at > visited


def mark_visit(session: Session, user_id: str, seen_until: datetime | None = None) -> datetime:
    """Record the reader's visit: the items published up to ``seen_until`` (at most now; now when
    absent) are no longer new. The mark never moves back (an older page sent late changes nothing)."""
    now = utcnow()
    until = min(seen_until, now) if seen_until is not None else now
    for _attempt in range(2):
        visit = session.get(NewsVisit, user_id)
        if visit is None:
            session.add(NewsVisit(user_id=user_id, visited_at=until))
            visited = until
        else:
            visit.visited_at = visited = max(visit.visited_at, until)
        try:
            session.commit()
            return visited
        except IntegrityError:  # the reader's first visit, marked at the same moment by another page
            session.rollback()
    raise PortalError(409, "conflict", "The visit could not be marked: try again.")


# --- operators -------------------------------------------------------------------------------------------
def find(session: Session, news_id: str) -> NewsItem:
    item = session.get(NewsItem, news_id) if len(news_id) <= 32 else None
    if item is None:
        raise not_found("news item")
    return item


def list_for_operators(session: Session, query: dict) -> tuple[list[NewsItem], int]:
    """Every item, newest first; ``kind`` narrows, ``retired`` true/false keeps retired or live ones."""
    conditions = []
    if query.get("kind"):
        conditions.append(NewsItem.kind == query["kind"])
    if query.get("retired") is True:
        conditions.append(NewsItem.retired_at.is_not(None))
    elif query.get("retired") is False:
        conditions.append(NewsItem.retired_at.is_(None))
    total = session.scalar(select(func.count()).select_from(NewsItem).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    items = session.scalars(select(NewsItem).where(*conditions)
                            .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return list(items), total


def publish(session: Session, data: dict, operator_id: str) -> NewsItem:
    """Publish an item at once and tell it (``NewsPublished``); its products must be known products."""
    codes = sorted(set(data.get("products") or ()))
    known = set(session.scalars(select(Product.code).where(Product.code.in_(codes)))) if codes else set()
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise PortalError(400, "unknown_products", "Some products are not known.",
                          {"products": [f"Unknown product code: {code}" for code in unknown]})
    domains = {}
    for domain in data.get("domains") or ():
        domains.setdefault(functional_preference(domain), domain)
    if "" in {code[len(FUNCTIONAL_PREFERENCE_PREFIX):] for code in domains}:
        raise PortalError(400, "invalid_input", "A domain needs letters or digits.",
                          {"domains": ["A domain needs letters or digits."]})
    item = NewsItem(kind=data["kind"], title_en=data.get("title_en") or "", body_en=data.get("body_en") or "",
                    title_fr=data.get("title_fr") or "", body_fr=data.get("body_fr") or "",
                    excerpt_en=to_plain_text(data.get("body_en"), EXCERPT),
                    excerpt_fr=to_plain_text(data.get("body_fr"), EXCERPT),
                    targeted=bool(codes or domains), published_at=utcnow(), published_by=operator_id,
                    products=[NewsProduct(product_code=code) for code in codes],
                    domains=[NewsDomain(preference=code, domain=domain) for code, domain in sorted(domains.items())])
    session.add(item)
    session.flush()
    outbox.add(session, "NewsPublished", {
        "news_id": item.id, "kind": item.kind, "title_en": item.title_en, "title_fr": item.title_fr,
        "product_codes": codes, "domains": [domain for _, domain in sorted(domains.items())],
        "published_on": item.published_at.date().isoformat()})
    session.commit()
    return item


def retire(session: Session, news_id: str, operator_id: str) -> NewsItem:
    """Retire an item: it reaches nobody from now on (409 ``news_retired`` when it is already)."""
    item = find(session, news_id)
    if item.retired_at is not None:
        raise PortalError(409, "news_retired", "This news item is retired already.")
    item.retired_at, item.retired_by = utcnow(), operator_id
    session.commit()
    return item
