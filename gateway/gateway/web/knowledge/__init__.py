"""The knowledge base: its search (``/knowledge``) and article pages (``/knowledge/articles/<id>``)
for holders of "View FAQs", and the operators' articles (``/operator/articles…``: list, writing
with preview, an article's page with its readers' answers, publishing and retiring)."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import article_forms, operator_pages, pages
    for module in (pages, operator_pages, article_forms):
        app.register_blueprint(module.bp)
