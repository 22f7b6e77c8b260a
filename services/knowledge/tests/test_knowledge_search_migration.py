"""Migration 0009_search_prefix_words on a database holding articles, on both engines: the entries
indexed before it are found afterwards — by their words, and by prefixes longer than their stems,
which the migration's rebuild of the index brings — and its downgrade gives back the index before."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portalkit.db import Database
from portalkit.migrations import config_for

from knowledge import search
from knowledge.search import analysis

from conftest import POSTGRES, _server

BEFORE = "0008_search_keywords_tier"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """An empty database of one engine, then the other."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'knowledge.db'}"
        return
    request.getfixturevalue("postgres_template")  # a server, or the suite's own skip or failure
    name = f"knowledge_migration_{uuid.uuid4().hex[:12]}"
    with _server().connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    with _server().connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def _index_as_before(database: Database) -> None:
    """One French entry written as the code before 0009 wrote it (its generated columns, or its
    four FTS5 columns of stems)."""
    entry = {"article_id": "dec", "language": "fr", "title": "Les déclarations de TVA", "keywords": "",
             "body": "Envoyer la déclaration mensuelle avant le 15.", "attachments": "", "brand": "Etafi",
             "domain": "Tax", "published_on": date(2026, 11, 1)}
    with database.transaction() as session:
        session.execute(text("INSERT INTO articles (id, status, latest_version, published_version, title_en, "
                             "title_fr, brand, domain) VALUES ('dec', 'published', 1, 1, '', :title, 'Etafi', "
                             "'Tax')"), {"title": entry["title"]})
        session.execute(text("INSERT INTO article_search (id, article_id, language, title, keywords, body, "
                             "attachments, brand, domain, published_on) VALUES (3, :article_id, :language, "
                             ":title, :keywords, :body, :attachments, :brand, :domain, :published_on)"), entry)
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("INSERT INTO article_search_fts (rowid, title, keywords, body, attachments) "
                                 "VALUES (3, :title, :keywords, :body, :attachments)"),
                            {name: analysis.indexed(entry[name], "fr")
                             for name in ("title", "keywords", "body", "attachments")})


def _found(database: Database, query: str) -> list[str]:
    with database.read_sessions() as session:
        return [hit.article_id for hit in search.search(session, query, search.Filters(), "fr").hits]


def test_the_entries_indexed_before_are_found_by_words_and_long_prefixes(url):
    config = config_for("knowledge", url)
    command.upgrade(config, BEFORE)
    database = Database(url)
    try:
        _index_as_before(database)
        command.upgrade(config, "head")
        assert _found(database, "déclarations mensuelles") == ["dec"]
        assert _found(database, "déclarat*") == ["dec"]
        assert _found(database, '"déclaration mensuelle"') == ["dec"]
        command.downgrade(config, BEFORE)
        with database.read_sessions() as session:
            if session.get_bind().dialect.name == "sqlite":
                matched = "SELECT rowid FROM article_search_fts WHERE article_search_fts MATCH 'declar'"
            else:
                matched = "SELECT id FROM article_search WHERE document @@ to_tsquery('portal_fr', 'déclaration')"
            assert session.execute(text(matched)).scalars().all() == [3]
        command.upgrade(config, "head")
        assert _found(database, "déclarat*") == ["dec"]
    finally:
        database.engine.dispose()
