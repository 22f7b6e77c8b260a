"""Articles' Markdown made into the HTML readers see, and into the plain text the search reads.

markdown-it-py (CommonMark, tables, strikethrough) with raw HTML off — an author's ``<script>`` is
shown as text — then nh3 (Ammonia) as the last word: only the tags and attributes below, links to
http, https and mailto only (no ``javascript:``), no event handler, no style.
"""
from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
    .enable(["table", "strikethrough"])

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
              "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def body_html(markdown: str) -> str:
    """The article's body as safe HTML."""
    rendered = _MARKDOWN.render(markdown or "")
    return nh3.clean(rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def plain_text(markdown: str) -> str:
    """The body's words without markup (what the search indexes and its extracts show)."""
    rendered = _MARKDOWN.render(markdown or "")
    # Block ends become spaces, so that two paragraphs never glue their words together.
    spaced = rendered.replace("</", " </").replace("<br", " <br")
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
