"""Path converters of the services' routes.

``<other_than("counts", "activation-mails"):user_id>`` is an identifier that is not one of the
named sibling paths: without it ``/users/counts`` also matches ``/users/<user_id>``, so that its
``Allow`` header and its 405 name the user's methods (DELETE, PATCH) beside its own GET.
"""
from __future__ import annotations

import re

from werkzeug.routing import BaseConverter


class OtherThanConverter(BaseConverter):
    """One path segment, any text but the given words."""

    def __init__(self, url_map, *words: str):
        super().__init__(url_map)
        self.words = words
        self.regex = "(?!(?:" + "|".join(re.escape(word) for word in words) + r")$)[^/]+"


def other_than_schema(_converter: OtherThanConverter) -> dict:
    """The converter's OpenAPI schema: an identifier. The words it is not are documented as the
    paths they are, so the document need not repeat them (a client never sends them as an id)."""
    return {"type": "string", "minLength": 1}


def register_converters(app, api) -> None:
    app.url_map.converters["other_than"] = OtherThanConverter
    api.register_converter(OtherThanConverter, other_than_schema)
