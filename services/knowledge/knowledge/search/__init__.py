"""The knowledge base's full-text search, one small interface over the database's own engine:
SQLite FTS5 in the embedded default, PostgreSQL ``tsvector`` + GIN in production, with the same
behaviour (every word must match, "phrases", ``prefix*``, title above keywords above body above
attachments, brand and domain filters, the reader's language first, then the other).

``index`` replaces an article's entries (one per language it is written in), ``unindex`` removes
them, ``search`` answers a page of ranked hits with their extracts. Nothing here commits — but
``rebuild``, the bulk path of a load, which commits each batch itself.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from . import postgres_engine, snippets, sqlite_engine
from .query import Query, parse

__all__ = ["Entry", "Filters", "Hit", "Results", "index", "index_many", "rebuild", "settle", "unindex", "prune", "search", "parse"]


@dataclass(frozen=True)
class Entry:
    """What is searched of one language of an article (plain texts: no markup)."""

    language: str
    title: str
    keywords: str
    body: str
    attachments: str
    brand: str
    domain: str
    published_on: date | None


@dataclass(frozen=True)
class Filters:
    brand: str | None = None
    domain: str | None = None


@dataclass(frozen=True)
class Hit:
    article_id: str
    language: str
    title: str
    snippet: Markup
    brand: str
    domain: str
    published_on: date | None
    score: float


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    capped: bool = False  # there are more matches than ``total`` (counted up to a bound)


def _engine(session: Session):
    return postgres_engine if session.get_bind().dialect.name == "postgresql" else sqlite_engine


def index(session: Session, article_id: str, entries: list[Entry]) -> None:
    """Make ``entries`` what is searched of the article (replacing what was)."""
    index_many(session, {article_id: entries})


def index_many(session: Session, articles: dict[str, list[Entry]]) -> None:
    """``index`` for many articles at once: a few statements for all of them, in the caller's
    transaction (one session, nothing committed). A load of many goes faster through ``rebuild``."""
    engine = _engine(session)
    engine.unindex(session, list(articles))
    engine.insert(session, [(article_id, entry) for article_id, entries in articles.items() for entry in entries])


# Connections a PostgreSQL rebuild indexes on at once: the parsing is the server's work, one core a
# statement. Measured at 100,000 articles (load 1.1-1.6): 68-76 s on two, 123 s through index_many;
# three no faster than two at 20,000 (12.4 / 13.3 s against 12.0 / 12.7). SQLite has one writer: one.
REBUILD_WORKERS = 2


Batch = dict[str, list[Entry]] | Callable[[Session], dict[str, list[Entry]]]


def rebuild(database, batches: Iterable[Batch], workers: int = REBUILD_WORKERS) -> None:
    """The bulk path of a load or a reindex: ``index_many`` for each batch, each in a transaction of
    its own, committed when it is done, on up to ``workers`` connections at once (PostgreSQL; one on
    SQLite). Not atomic: readers see the batches done so far, and a failure leaves those committed
    before it indexed (run it again: ``index_many`` replaces what was). The articles must be
    committed already. Use ``index_many`` where the indexing belongs to a change's transaction.

    A batch is the entries of its articles, or a function answering them from the batch's session:
    what it reads there is read in the transaction that indexes it (``knowledge.reindex``)."""
    def index_batch(batch: Batch) -> None:
        with database.transaction() as session:
            index_many(session, batch(session) if callable(batch) else batch)

    if not database.is_postgresql or workers <= 1:
        for batch in batches:
            index_batch(batch)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="knowledge-rebuild") as pool:
        pending = []
        for batch in batches:
            pending.append(pool.submit(index_batch, batch))
            if len(pending) >= 2 * workers:  # a few batches ahead at most (memory)
                pending.pop(0).result()
        for future in pending:
            future.result()


def settle(database) -> None:
    """After a bulk load (``rebuild``), what the engine needs to answer at its best: SQLite's FTS5
    tables merged into one segment each (``optimize``: a query reads one b-tree a term, not a load's
    hundreds of segments), PostgreSQL's statistics and visibility map (``VACUUM ANALYZE``, which
    autovacuum would run later). Readers keep searching meanwhile."""
    from sqlalchemy import text
    if database.is_postgresql:
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE article_search"))
        return
    with database.transaction() as session:
        sqlite_engine.optimize(session)


def unindex(session: Session, article_id: str) -> None:
    _engine(session).unindex(session, [article_id])


def prune(session: Session, kept) -> int:
    """Remove the entries of every article not among ``kept`` (a SELECT of article ids); answer how
    many articles lost theirs."""
    from ..models import ArticleSearchEntry as Row
    stale = list(session.scalars(select(Row.article_id).distinct().where(Row.article_id.not_in(kept))))
    if stale:
        _engine(session).unindex(session, stale)
    return len(stale)


def search(session: Session, query: str | Query | None, filters: Filters, language: str,
           page: int = 1, per_page: int = 10) -> Results:
    """A page of the articles matching ``query``, best first, the reader's ``language`` first.

    Each article is one hit, in the reader's language when that version matches. An empty query
    lists the published articles newest first (the filters apply); a query of nothing searchable
    (signs only) finds nothing.
    """
    from ..models import ArticleSearchEntry as Row
    if not isinstance(query, Query):
        blank = not (query or "").strip()
        query = parse(query)
        if query.empty and not blank:
            return Results([], 0)
    offset = (max(page, 1) - 1) * per_page
    capped = False
    if query.empty:
        rows, total = _newest(session, Row, filters, language, offset, per_page)
    else:
        found, total, capped = _engine(session).search(session, query, filters, language, offset, per_page)
        by_id = {row.id: row for row in session.scalars(select(Row).where(Row.id.in_([i for i, _ in found])))}
        rows = [(by_id[i], score) for i, score in found if i in by_id]
    hits = [Hit(row.article_id, row.language, row.title,
                snippets.snippet([row.body, row.attachments], query, row.language),
                row.brand, row.domain, row.published_on, score) for row, score in rows]
    return Results(hits, total, capped)


def _newest(session, Row, filters: Filters, language: str, offset: int, limit: int):
    conditions = []
    if filters.brand:
        conditions.append(Row.brand == filters.brand)
    if filters.domain:
        conditions.append(Row.domain == filters.domain)
    # One row per article: the reader's language where it is written, else the other.
    mine = select(Row.id).where(Row.language == language, *conditions)
    others = select(Row.id).where(Row.language != language, *conditions,
                                  ~Row.article_id.in_(select(Row.article_id).where(Row.language == language)))
    chosen = mine.union_all(others).subquery()
    total = session.scalar(select(func.count()).select_from(chosen)) or 0
    rows = session.scalars(select(Row).where(Row.id.in_(select(chosen.c.id)))
                           .order_by(Row.published_on.desc(), Row.article_id).offset(offset).limit(limit))
    return [(row, 0.0) for row in rows], total


def delete_rows(session: Session, article_ids: list[str]) -> list[int]:
    """Remove the articles' rows; answer their ids (an engine removes what it keeps beside them)."""
    from ..models import ArticleSearchEntry as Row
    ids = []
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        found = list(session.scalars(select(Row.id).where(Row.article_id.in_(chunk))))
        if found:
            session.execute(delete(Row).where(Row.id.in_(found)))
        ids += found
    return ids


def row_values(article_id: str, entry: Entry) -> dict:
    return {"article_id": article_id, "language": entry.language, "title": entry.title, "keywords": entry.keywords,
            "body": entry.body, "attachments": entry.attachments, "brand": entry.brand, "domain": entry.domain,
            "published_on": entry.published_on}
