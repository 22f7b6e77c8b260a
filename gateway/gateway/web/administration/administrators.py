"""The Administrators page, for every user: who administers the company, with their contact details,
and, for a supervised associate, who supervises it and from which company."""
from __future__ import annotations

from flask import abort, render_template

from ..common import calls, rights, space_blueprint, visitor

bp = space_blueprint("administrators", __name__)

PATH = "/administrators"


@bp.app_context_processor
def _management_words() -> dict:
    # The left bar (common/_admin_nav.html) shows "Third-party associates" to supervisors only.
    return {"management_is_supervisor": lambda: rights.is_supervisor(visitor.current_user())}


@bp.route(PATH)
@visitor.signed_in_page
def index():
    """List the company's administrators, then the supervisors of the companies above it."""
    status, answer = calls.identity("GET", "/identity/administrators")
    if status != 200 or not isinstance(answer, dict):
        abort(503)
    items = [item for item in answer.get("items") or [] if isinstance(item, dict)]
    return render_template(
        "administration/administrators.html",
        administrators=[item for item in items if item.get("role") == "administrator"],
        supervisors=[item for item in items if item.get("role") == "supervisor"],
        with_nav=rights.is_administrator(visitor.current_user()))
