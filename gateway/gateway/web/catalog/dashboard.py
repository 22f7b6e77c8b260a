"""The catalog's blocks of the profile page (``templates/catalog/_dashboard.html``): one's subscriptions,
the last services granted, the catalog's counts and newest services, and the administrators' counts."""
from __future__ import annotations

from flask import g

from ..common import calls
from .calls import catalog

SIGN_INS_READ = 10


def last_connection() -> str | None:
    """When the visitor signed in before this session (the second successful sign-in of their trail)."""
    audits = calls.optional("/identity/me/audits", {"page": 1, "per_page": SIGN_INS_READ})
    sign_ins = [audit.get("occurred_at") for audit in (audits or {}).get("items") or []
                if isinstance(audit, dict) and audit.get("succeeded") and audit.get("occurred_at")]
    return sign_ins[1] if len(sign_ins) > 1 else None


def blocks() -> dict | None:
    """The catalog's answer for the blocks, or None when it cannot be had (the blocks say so); once per page."""
    if "catalog_dashboard" not in g:
        since = last_connection()
        status, body = catalog("GET", "/catalog/dashboard", query={"since": since})
        g.catalog_dashboard = body if status == 200 and isinstance(body, dict) else None
    return g.catalog_dashboard
