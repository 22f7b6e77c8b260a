"""The ``articles`` rows of the search tests, which write the entries themselves: published, at
version 1, with nothing else (the search reads none of their columns)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text


def add_published(session, article_ids: Iterable[str]) -> None:
    session.execute(text("INSERT INTO articles (id, status, latest_version, published_version, title_en, "
                         "title_fr, brand, domain) VALUES (:id, 'published', 1, 1, '', '', 'Etafi', 'Tax')"),
                    [{"id": article_id} for article_id in article_ids])
