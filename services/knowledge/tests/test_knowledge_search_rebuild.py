"""``search.rebuild``, the bulk path of a load, on both engines: every batch indexed and committed
(on several connections at once on PostgreSQL), what was indexed before replaced, and the same
entries as ``index_many`` writes in one transaction."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import text

from article_rows import add_published
from knowledge import search


def _articles(database, count: int) -> dict[str, list[search.Entry]]:
    with database.transaction() as session:
        add_published(session, [f"r{number:03d}" for number in range(count)])
    return {f"r{number:03d}": [
        search.Entry("fr", f"Déclaration n° {number}", "tva", f"Envoyer la déclaration mensuelle {number}.", "",
                     "Etafi", "Tax", date(2026, 1, 1)),
        search.Entry("en", f"Return no. {number}", "vat", f"Send the monthly return {number}.", "",
                     "Etafi", "Tax", date(2026, 1, 1))] for number in range(count)}


def _entries(database) -> list[tuple]:
    with database.read_sessions() as session:
        return [tuple(row) for row in session.execute(text(
            "SELECT article_id, language, title, keywords, body FROM article_search ORDER BY article_id, language"))]


def test_every_batch_is_indexed_and_committed(engine_database):
    articles = _articles(engine_database, 30)
    ids = list(articles)
    search.rebuild(engine_database, ({i: articles[i] for i in ids[at:at + 4]} for at in range(0, len(ids), 4)))
    assert len(_entries(engine_database)) == 60
    with engine_database.read_sessions() as session:
        found = search.search(session, "déclarat*", search.Filters(), "fr", per_page=50)
        assert found.total == 30 and {hit.language for hit in found.hits} == {"fr"}
        assert [hit.article_id for hit in search.search(session, "monthly return 17", search.Filters(), "en").hits] \
            == ["r017"]


def test_a_rebuild_replaces_what_was_indexed_as_index_many_does(engine_database):
    articles = _articles(engine_database, 10)
    with engine_database.transaction() as session:
        search.index_many(session, articles)
    once = _entries(engine_database)
    changed = {article_id: [replace(entry, keywords="changé") for entry in entries]
               for article_id, entries in articles.items()}
    search.rebuild(engine_database, [dict(list(changed.items())[:5]), dict(list(changed.items())[5:])])
    assert [row[:3] + ("changé",) + row[4:] for row in once] == _entries(engine_database)
    search.rebuild(engine_database, [articles])
    assert _entries(engine_database) == once
