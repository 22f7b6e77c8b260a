"""The operators' identifier changes (``/operator/identifier-changes``): the serialization forms
companies filed, pending first; approving one revokes the holdings' codes and issues new ones on
the new identifier, refusing leaves them; either way assets mails the requester."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import space_blueprint
from ..common.pager import page_number, pager
from .access import call, operator_page, read

bp = space_blueprint("backoffice_identifier_changes", __name__)

PATH = "/operator/identifier-changes"
PER_PAGE = 10
STATUSES = {"pending": lazy_gettext("Waiting for a decision"), "approved": lazy_gettext("Approved"),
            "refused": lazy_gettext("Refused")}
DONE = {"approved": lazy_gettext("The change is approved: the old codes are revoked, the new ones issued, "
                                 "and the requester is told by e-mail."),
        "refused": lazy_gettext("The change is refused: the requester is told by e-mail.")}


@bp.route(PATH, methods=["GET"])
@operator_page
def changes(error: str | None = None, status_code: int = 200):
    """The identifier changes of one status (waiting ones by default), ten a page."""
    status = request.args.get("status") if request.args.get("status") in STATUSES else "pending"
    page = page_number(request.args.get("page"))
    body = read("assets", PATH, {"status": status, "page": page, "per_page": PER_PAGE})
    done = request.args.get("done", "")
    message = ("error", error) if error else ("success", str(DONE[done])) if done in DONE else None
    return render_template("backoffice/identifier_changes.html", changes=body.get("items") or [],
                           statuses=STATUSES, status=status, message=message, here=PATH,
                           pager=pager(PATH, {"status": status}, page, body.get("total") or 0, PER_PAGE)), status_code


@bp.route(PATH + "/<change_id>/<decision>", methods=["POST"])
@operator_page
def decide(change_id, decision):
    """Approve or refuse one change (the reason, if any, goes to the requester)."""
    if decision not in ("approve", "refuse"):
        abort(404)
    reason = request.form.get("reason", "").strip()[:2000]
    status, answer = call("assets", "POST", f"{PATH}/{quote(change_id, safe='')}/{decision}",
                          json={"reason": reason} if reason else {})
    if status == 200:
        return redirect(f"{PATH}?done={'approved' if decision == 'approve' else 'refused'}")
    if status == 409:
        return changes(gettext("This change has been decided already."), 409)
    if status == 400:
        return changes(gettext("The decision could not be read: check the form."), 400)
    abort(404 if status == 404 else 403 if status == 403 else 503)
