"""The one pager of every list: the page asked for, "Displaying items 1 - 10 of 61", the links either side.

Its template is ``_pager.html``; a list passes its ``Pager`` as ``pager``.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

PER_PAGE = 10
LAST_PAGE_ASKED = 100_000


def page_number(value) -> int:
    """The page a query asks for (1 when absent or not a number)."""
    try:
        return min(max(int(value), 1), LAST_PAGE_ASKED)
    except (TypeError, ValueError):
        return 1


def url_with(path: str, criteria: dict, page: int = 1, **extra) -> str:
    """``path`` with the list's criteria (the empty ones left out) and its page."""
    pairs = {**{name: value for name, value in criteria.items() if value}, **extra}
    if page > 1:
        pairs["page"] = page
    return path + ("?" + urlencode(pairs) if pairs else "")


def last_page_of(total: int, per_page: int = PER_PAGE) -> int:
    return max((total + per_page - 1) // per_page, 1)


@dataclass(frozen=True)
class Pager:
    """Where a list stands: "Displaying items 1 - 10 of 61" and the links either side."""

    page: int
    total: int
    first: int
    last: int
    last_page: int
    previous_url: str | None
    next_url: str | None
    more: bool = False  # ``total`` was capped by the service: there are more items ("of more than …")


def pager(path: str, criteria: dict, page: int, total: int, per_page: int = PER_PAGE, more: bool = False) -> Pager:
    last_page = last_page_of(total, per_page)
    return Pager(page, total, (page - 1) * per_page + 1 if total else 0, min(page * per_page, total), last_page,
                 url_with(path, criteria, page - 1) if page > 1 else None,
                 url_with(path, criteria, page + 1) if page < last_page else None, more)
