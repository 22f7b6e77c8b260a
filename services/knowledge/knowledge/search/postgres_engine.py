"""The PostgreSQL engine: ``article_search.document``, a ``tsvector`` column the database computes
from the entry's texts (``portal_document``: elisions dropped, then the ``portal_en`` or ``portal_fr``
configuration, unaccent + Snowball without stop words; weights A title, B keywords, C body, D
attachments), under a GIN index; ranked by ``ts_rank`` (migration 0004_articles)."""
from __future__ import annotations

from sqlalchemy import insert as insert_into, text
from sqlalchemy.orm import Session

from . import analysis
from .query import Query

CONFIGURATIONS = {"en": "portal_en", "fr": "portal_fr"}
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A


def insert(session: Session, items) -> None:
    """The entries' rows; the database computes their ``document`` (a generated column)."""
    from . import row_values
    from ..models import ArticleSearchEntry as Row
    if items:
        session.execute(insert_into(Row), [row_values(article_id, entry) for article_id, entry in items])


def unindex(session: Session, article_ids: list[str]) -> None:
    from . import delete_rows
    delete_rows(session, article_ids)


def tsquery_text(query: Query) -> str:
    """The ``to_tsquery`` text: each written word quoted (letters and digits only, the configuration
    folds and stems it), phrases with ``<->``, prefixes with ``:*``, all joined by ``&``."""
    parts = []
    for item in query.terms:
        words = [word for word in item.words if word]
        if not words:
            continue
        if item.prefix:
            parts.append(f"'{words[0]}':*")
        elif len(words) == 1:
            parts.append(f"'{words[0]}'")
        else:
            parts.append("(" + " <-> ".join(f"'{word}'" for word in words) + ")")
    return " & ".join(parts)


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """The reader's language first: its matches ranked (``ts_rank`` only for them), then the other
    language's matches of the articles not found in the reader's."""
    expression = tsquery_text(query)
    if not expression:
        return [], 0
    reader = language if language in CONFIGURATIONS else "en"
    other = "fr" if reader == "en" else "en"
    params = {"q": expression}
    conditions = ""
    if filters.brand:
        conditions += " AND s.brand = :brand"
        params["brand"] = filters.brand
    if filters.domain:
        conditions += " AND s.domain = :domain"
        params["domain"] = filters.domain
    matches = {
        reader: (f"FROM article_search s, to_tsquery('{CONFIGURATIONS[reader]}', :q) q "
                 f"WHERE s.language = '{reader}' AND s.document @@ q{conditions}"),
        other: (f"FROM article_search s, to_tsquery('{CONFIGURATIONS[other]}', :q) q "
                f"WHERE s.language = '{other}' AND s.document @@ q{conditions} AND s.article_id NOT IN "
                f"(SELECT r.article_id FROM article_search r WHERE r.language = '{reader}' "
                f"AND r.document @@ to_tsquery('{CONFIGURATIONS[reader]}', :q))"),
    }
    counts = {lang: session.execute(text(f"SELECT count(*) {matches[lang]}"), params).scalar() or 0
              for lang in (reader, other)}
    found = []
    skip = offset
    for lang in (reader, other):
        wanted = limit - len(found)
        if wanted <= 0:
            break
        if skip >= counts[lang]:
            skip -= counts[lang]
            continue
        rows = session.execute(text(
            f"SELECT s.id, ts_rank('{WEIGHTS}', s.document, q) AS score {matches[lang]} "
            "ORDER BY score DESC, s.id LIMIT :limit OFFSET :offset"),
            {**params, "limit": wanted, "offset": skip}).all()
        skip = 0
        found += [(row.id, float(row.score)) for row in rows]
    return found, counts[reader] + counts[other]
