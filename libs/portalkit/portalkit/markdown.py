"""Markdown written by operators (articles, news) turned into HTML safe to show any reader.

CommonMark with tables and strikethrough (markdown-it-py), raw HTML in the source escaped, then the
result cleaned by nh3 (Ammonia) to an allow-list of tags, attributes and URL schemes: no script, no
event handler, no ``javascript:`` link reaches a page, whatever an operator (or a stolen operator
session) wrote. Links open with ``rel="noopener noreferrer nofollow"``.
"""
from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])

TAGS = frozenset({"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code",
                  "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
                  "td"})
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
              "th": {"style"}, "td": {"style"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def to_safe_html(source: str | None) -> str:
    """The sanitised HTML of a Markdown text ("" for none)."""
    if not source:
        return ""
    return nh3.clean(_PARSER.render(source), tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow",
                     filter_style_properties={"text-align"})


def to_plain_text(source: str | None, limit: int | None = None) -> str:
    """The text of a Markdown source without its markup, spaces folded (an excerpt when ``limit``)."""
    text = _SPACE.sub(" ", _TAG.sub(" ", to_safe_html(source))).strip()
    text = html.unescape(text)
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return text
