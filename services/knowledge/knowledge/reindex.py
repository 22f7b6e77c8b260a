"""Rebuild the knowledge base's search index from the published articles:
``python -m knowledge.reindex [--batch 1000]`` (after ``portal-migrate knowledge``).

For when the index no longer follows the articles: a database restored without it, a change of
how text becomes terms. Every published article's published version (with its attachments' text)
is indexed again through ``search.rebuild``, a batch of articles a transaction that reads them
under a share lock (a publication meanwhile waits for the batch, or the batch reads it: none is
overwritten by an older version); then the entries of articles no longer published are removed,
and the index settled (``search.settle``: SQLite's FTS5 segments merged, PostgreSQL vacuumed).
Readers keep searching meanwhile, and see each batch once it is committed. Running it again is
harmless: it replaces what is there.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import inspect, select, tuple_
from sqlalchemy.orm import Session

from portalkit.db import Database
from portalkit.settings import Settings

from . import search
from .articles import version_entries
from .models import Article, ArticleAttachment, ArticleVersion

BATCH = 1000  # articles a transaction (two entries each, one statement for all of them)


def _published(session: Session, ids: list[str]) -> dict[str, list[search.Entry]]:
    """The entries of those of ``ids`` still published, read under a share lock."""
    articles = list(session.scalars(select(Article).where(Article.id.in_(ids), Article.status == "published",
                                                          Article.published_version.is_not(None))
                                    .order_by(Article.id).with_for_update(read=True)))
    versions = {version.article_id: version for version in session.scalars(select(ArticleVersion).where(
        tuple_(ArticleVersion.article_id, ArticleVersion.number).in_(
            [(article.id, article.published_version) for article in articles])))} if articles else {}
    attachments = defaultdict(list)
    for article_id, text in session.execute(select(ArticleAttachment.article_id, ArticleAttachment.text).where(
            ArticleAttachment.article_id.in_(versions)).order_by(ArticleAttachment.created_at)):
        attachments[article_id].append(text)
    return {article.id: version_entries(article, versions[article.id], " ".join(attachments[article.id]))
            for article in articles}


def _batches(database: Database, size: int) -> Iterator:
    """The published articles' ids in id order, ``size`` a batch, each read when it is indexed."""
    after = ""
    while True:
        with database.read_sessions() as session:
            ids = list(session.scalars(select(Article.id).where(Article.status == "published", Article.id > after)
                                       .order_by(Article.id).limit(size)))
        if not ids:
            return
        after = ids[-1]
        yield lambda session, ids=ids: _published(session, ids)


def reindex(database: Database, size: int = BATCH) -> tuple[int, int]:
    """(articles indexed, articles whose stale entries were removed)."""
    counted = []

    def counting(batch):
        def read(session):
            entries = batch(session)
            counted.append(len(entries))
            return entries
        return read

    search.rebuild(database, (counting(batch) for batch in _batches(database, size)))
    with database.transaction() as session:
        pruned = search.prune(session, select(Article.id).where(Article.status == "published"))
    search.settle(database)
    return sum(counted), pruned


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=BATCH, help=f"articles a transaction (default {BATCH})")
    args = parser.parse_args(argv)
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    database = Database(Settings.load("knowledge").database_url)
    if not inspect(database.engine).has_table(Article.__tablename__):
        sys.exit("knowledge: the database is not migrated yet; run `portal-migrate knowledge` first")
    started = time.perf_counter()
    indexed, pruned = reindex(database, args.batch)
    print(f"knowledge: {indexed} published articles indexed, {pruned} unpublished articles' entries removed "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
