"""The support space's words (statuses, severities, scopes) and its calls to support."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort
from flask_babel import lazy_gettext

from ..common import calls

# Context-distinct msgids: "New" and the like already mean other things in other catalogs.
STATUSES = {"new": lazy_gettext("New request"), "in_progress": lazy_gettext("Request in progress"),
            "waiting_for_customer": lazy_gettext("Waiting for your answer"),
            "resolved": lazy_gettext("Request resolved"), "closed": lazy_gettext("Request closed"),
            "reopened": lazy_gettext("Request reopened")}
SEVERITIES = {"blocking": lazy_gettext("Blocking"), "major": lazy_gettext("Major"),
              "minor": lazy_gettext("Minor"), "question": lazy_gettext("Question")}
# The buttons of a request's page, by the status the service allows moving to.
DECISIONS = {"resolved": ("resolve", lazy_gettext("Mark as resolved")),
             "closed": ("close", lazy_gettext("Close the request")),
             "reopened": ("reopen", lazy_gettext("Reopen the request"))}

REQUEST_SERVICE = "request-service"
ADMINISTRATION = "request-service-administration"
SUPERVISION = "request-service-supervision"


def held(user) -> set[str]:
    """The catalog services the visitor holds (by code)."""
    return {entitlement.rsplit("@", 1)[0] for entitlement in getattr(user, "entitlements", None) or ()}


def request_path(request_id: str) -> str:
    return f"/support/requests/{quote(request_id, safe='')}"


def read(path: str, query: dict | None = None) -> dict:
    """A read the page cannot do without: 403/404 → those pages, any other failure → 503."""
    status, body = calls.call("support", "GET", path, query=query)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def product_items() -> list[dict]:
    """The company's products a request may name, ``{id, code, name}`` (none when they cannot be had)."""
    status, body = calls.call("support", "GET", "/support/products")
    items = (body or {}).get("items") if status == 200 and isinstance(body, dict) else None
    return [item for item in items or [] if isinstance(item, dict) and item.get("id")]


def products() -> list[tuple[str, str]]:
    """The company's products as a select's choices."""
    return [(item["id"], item.get("name") or item["id"]) for item in product_items()]
