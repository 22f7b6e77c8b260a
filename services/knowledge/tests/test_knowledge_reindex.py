"""``python -m knowledge.reindex`` on both engines: an index that no longer follows the articles
(entries lost, entries of an article retired since) is made again what publishing writes — the
published version, not a later draft, with its attachments' text — over several batches."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from knowledge import articles, reindex, search
from knowledge.models import ArticleAttachment

FIELDS = {"brand": "Etafi", "domain": "Tax", "products": [], "keywords": ["liasse"]}


def _written(database, number: int, **fields) -> str:
    with database.sessions() as session:
        return articles.create(session, {**FIELDS, "title_fr": f"Déclaration n° {number}",
                                         "body_fr": f"Envoyer la déclaration **mensuelle** {number}.",
                                         "title_en": f"Return no. {number}", "body_en": f"Send the monthly return {number}.",
                                         **fields}, "op").id


def _published(database, number: int) -> str:
    article_id = _written(database, number)
    with database.sessions() as session:
        articles.publish(session, article_id, "op")
    return article_id


def _entries(database) -> list[tuple]:
    with database.read_sessions() as session:
        return [tuple(row) for row in session.execute(text(
            "SELECT article_id, language, title, keywords, body, attachments FROM article_search "
            "ORDER BY article_id, language"))]


def _found(database, query: str) -> list[str]:
    with database.read_sessions() as session:
        return [hit.article_id for hit in search.search(session, query, search.Filters(), "fr", per_page=50).hits]


def test_the_index_is_made_again_from_the_published_articles(engine_database):
    database = engine_database
    shown = [_published(database, number) for number in range(5)]
    with database.sessions() as session:
        session.add(ArticleAttachment(article_id=shown[0], file_key="k", file_name="guide.txt",
                                      content_type="text/plain", size=10, sha256="0" * 64, text="annexe kilométrique"))
        session.commit()
        articles.reindex(session, articles.find(session, shown[0]))
        session.commit()
        # A later version not published yet: readers keep searching the published one.
        articles.edit(session, shown[1], {"body_fr": "Un brouillon sur la trésorerie."}, "op")
        retired = shown.pop()
        articles.retire(session, retired)
    _written(database, 9)  # a draft: never indexed
    expected = _entries(database)
    with database.transaction() as session:
        search.unindex(session, shown[0])  # lost
        search.unindex(session, shown[1])
        search.index(session, retired, [search.Entry("fr", "Périmé", "", "une déclaration périmée", "", "Etafi",
                                                      "Tax", None)])  # left behind by a bug or a restore
    assert _entries(database) != expected

    assert reindex.reindex(database, size=2) == (4, 1)

    assert _entries(database) == expected
    assert _found(database, "kilometrique") == [shown[0]]
    assert _found(database, "tresorerie") == []
    assert sorted(_found(database, "declarations mensuelles")) == sorted(shown)
    assert reindex.reindex(database) == (4, 0)  # again: nothing changes
    assert _entries(database) == expected


def test_the_command_refuses_a_database_not_migrated(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_KNOWLEDGE_DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    with pytest.raises(SystemExit, match="portal-migrate knowledge"):
        reindex.main([])


def test_the_command_reports_what_it_did(database, capsys):
    _published(database, 1)
    reindex.main(["--batch", "1"])
    assert "1 published articles indexed, 0 unpublished articles' entries removed" in capsys.readouterr().out
