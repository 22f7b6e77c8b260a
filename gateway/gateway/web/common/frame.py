"""The frame of every page: the spaces the user's subscriptions open, the header's data, safe headers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Blueprint, Flask, current_app, request
from flask_babel import format_datetime, lazy_gettext
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from markupsafe import Markup

from . import csrf, i18n, visitor

HERE = Path(__file__).resolve().parent
# The frame's templates (base.html, the pager, forms, error and message pages) and the pages'
# one CSS and script files, served under /static (the address /assets is the IT-assets space's).
bp = Blueprint("frame", __name__, template_folder=str(HERE / "templates"),
               static_folder=str(HERE / "static"), static_url_path="/static")

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Space:
    """A space of the portal, shown in the header when a subscription the user holds opens it."""

    key: str
    label: str
    path: str
    services: frozenset[str]
    # A space of several pages opens a menu of them (its ``path`` is the first, for the link's sake).
    entries: tuple["SpaceEntry", ...] = ()


@dataclass(frozen=True)
class SpaceEntry:
    """A page in a space's menu: shown when it exists and, if it names ``services``, to their holders."""

    label: str
    path: str
    services: frozenset[str] = frozenset()


# Not a catalog service: what every user of a client company holds (their IT assets, say).
COMPANY_USER = "*company-user"

# The services that open the support requests' lists (one scope each).
SUPPORT_REQUESTS = frozenset({"request-service", "request-service-administration", "request-service-supervision"})

# Which catalog services (by code) open which space. A space appears if any one of them is held.
SPACES = (
    Space("solutions", lazy_gettext("SOLUTIONS"), "/assets/inventory", frozenset({COMPANY_USER, "download-updates"}),
          entries=(SpaceEntry(lazy_gettext("Your IT assets"), "/assets/inventory", frozenset({COMPANY_USER})),
                   SpaceEntry(lazy_gettext("Downloads"), "/downloads", frozenset({"download-updates"})))),
    Space("administration", lazy_gettext("ADMINISTRATION"), "/administration",
          frozenset({"user-management-administration", "user-management-supervision-administration"})),
    Space("support", lazy_gettext("SUPPORT"), "/support",
          frozenset({"request-service", "request-service-administration", "request-service-supervision",
                     "view-faqs", "download-updates"}),
          entries=(SpaceEntry(lazy_gettext("Support requests"), "/support", SUPPORT_REQUESTS),
                   SpaceEntry(lazy_gettext("New request"), "/support/requests/new", frozenset({"request-service"})),
                   SpaceEntry(lazy_gettext("Knowledge base"), "/knowledge", frozenset({"view-faqs"})),
                   SpaceEntry(lazy_gettext("Downloads"), "/downloads", frozenset({"download-updates"})))),
    Space("community", lazy_gettext("COMMUNITY"), "/community", frozenset({"community-area"})),
    Space("documents", lazy_gettext("ADMINISTRATIVE DOCUMENTS"), "/documents",
          frozenset({"invoice-viewing-service", "intervention-reports-and-attendance-sheet-viewing-service"})),
    Space("knowledge", lazy_gettext("KNOWLEDGE BASE"), "/knowledge", frozenset({"view-faqs"})),
)


def open_spaces(entitlements, company_user: bool = False) -> list[Space]:
    """The spaces the entitlements (``<service_code>@<company_id>``) open, in the header's order
    (``company_user``: the user belongs to a client company, which opens its own spaces)."""
    held = _held(entitlements, company_user)
    return [space for space in SPACES if space.services & held]


def _held(entitlements, company_user: bool) -> set[str]:
    held = {entitlement.rsplit("@", 1)[0] for entitlement in entitlements or ()}
    return held | {COMPANY_USER} if company_user else held


def space_menus(user, spaces: list[Space]) -> dict[str, list[SpaceEntry]]:
    """The menu of each open space made of several pages: the entries the user may open."""
    held = _held(user.entitlements, bool(getattr(user, "company_id", None)))
    menus = {}
    for space in spaces:
        entries = [entry for entry in space.entries if page_exists(entry.path)
                   and (not entry.services or entry.services & held)]
        if space.entries and entries:
            menus[space.key] = entries
    return menus


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.context_processor(_frame_context)
    app.add_template_filter(when, "when")
    app.add_template_filter(choices, "choices")
    app.after_request(_page_headers)


def when(value) -> str:
    """An ISO date-time from a service, in the page's language (as is if it cannot be read)."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return format_datetime(moment, "short")


def choices(items, value: str, text: str) -> list[tuple]:
    """(value, text) pairs for a select, from the dicts a service answered: ``value`` and ``text``
    name a field each, dotted into nested ones (``companies | choices("company.id", "company.name")``)."""
    def pick(item, path):
        for name in path.split("."):
            item = (item or {}).get(name) if isinstance(item, dict) else getattr(item, name, None)
        return item
    return [(pick(item, value), pick(item, text)) for item in items or ()]


def page_exists(path: str) -> bool:
    """True when this app serves a page at ``path``: menus and tiles link to nothing else."""
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def _frame_context() -> dict:
    user = visitor.current_user()
    here = request.full_path.rstrip("?")
    spaces = [space for space in open_spaces(user.entitlements, bool(getattr(user, "company_id", None)))
              if page_exists(space.path)] if user is not None else []
    return {
        "portal_user": user,
        "spaces": spaces,
        "space_menus": space_menus(user, spaces) if user is not None else {},
        "current_language": i18n.current_language(),
        "languages": i18n.LANGUAGE_NAMES,
        "here": here,
        "page_exists": page_exists,
        "csrf_field": lambda: Markup('<input type="hidden" name="%s" value="%s">') % (csrf.FIELD, csrf.token()),
    }


def _page_headers(response):
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Activation links carry their token in the path: never leak it to another site.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
    return response
