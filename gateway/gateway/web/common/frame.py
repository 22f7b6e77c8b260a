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


# Which catalog services (by code) open which space. A space appears if any one of them is held.
SPACES = (
    Space("administration", lazy_gettext("ADMINISTRATION"), "/administration",
          frozenset({"user-management-administration", "user-management-supervision-administration"})),
    Space("support", lazy_gettext("SUPPORT"), "/support",
          frozenset({"request-service", "request-service-administration", "request-service-supervision",
                     "view-faqs", "download-updates"})),
    Space("community", lazy_gettext("COMMUNITY"), "/community", frozenset({"community-area"})),
    Space("knowledge", lazy_gettext("KNOWLEDGE BASE"), "/knowledge", frozenset({"view-faqs"})),
)


def open_spaces(entitlements) -> list[Space]:
    """The spaces the entitlements (``<service_code>@<company_id>``) open, in the header's order."""
    held = {entitlement.rsplit("@", 1)[0] for entitlement in entitlements or ()}
    return [space for space in SPACES if space.services & held]


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.context_processor(_frame_context)
    app.add_template_filter(when, "when")
    app.after_request(_page_headers)


def when(value) -> str:
    """An ISO date-time from a service, in the page's language (as is if it cannot be read)."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return format_datetime(moment, "short")


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
    return {
        "portal_user": user,
        "spaces": [space for space in open_spaces(user.entitlements) if page_exists(space.path)]
        if user is not None else [],
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
