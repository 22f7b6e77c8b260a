"""``/support/requests/new``: the form opening a support request (product, subject, description,
severity, contact phone, attachments), the knowledge base's articles suggested for its subject
(``/support/suggestions``, a fragment the page's script asks for while the subject is typed; without
script the "Suggest answers" button shows them), and "This answered my question" (a deflection)."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup

from ..common import calls, i18n, space_blueprint, streamed_forms, visitor
from . import words

bp = space_blueprint("support_new_request", __name__)
PATH = "/support/requests/new"
SUGGESTIONS_SHOWN = 5
FIELDS = ("product", "subject", "description", "severity", "contact_phone")
LIMITS = {"subject": 200, "description": 20_000, "contact_phone": 40}
MESSAGES = {"product": lazy_gettext("Choose one of your company's products."),
            "subject": lazy_gettext("Enter the subject: one line, at most 200 characters."),
            "description": lazy_gettext("Describe the problem: at most 20,000 characters."),
            "severity": lazy_gettext("Choose a severity."),
            "contact_phone": lazy_gettext("At most 40 characters.")}


def needs_request_service() -> None:
    if words.REQUEST_SERVICE not in words.held(visitor.current_user()):
        abort(403)


def suggestions(subject: str) -> list[dict] | None:
    """The articles matching the subject in the visitor's language; None without "View FAQs" (no
    suggestions then) or when knowledge cannot answer."""
    subject = " ".join(subject.split())[:200]
    if not subject or "view-faqs" not in words.held(visitor.current_user()):
        return None
    status, body = calls.call("knowledge", "GET", "/knowledge/search", query={
        "q": subject, "language": i18n.current_language(), "per_page": SUGGESTIONS_SHOWN})
    if status != 200 or not isinstance(body, dict):
        return None
    # knowledge escapes every extract and marks the matches itself: its HTML is shown as is.
    return [{**hit, "snippet": Markup(hit.get("snippet") or "")} for hit in body.get("items") or []
            if isinstance(hit, dict) and hit.get("id")]


def _preselected(items: list[dict], wanted: str) -> str:
    """``?product=`` names a product by its code (a product line's entry) or its id."""
    for item in items:
        if wanted and wanted in (item.get("id"), item.get("code")):
            return item["id"]
    return ""


def render_form(values: dict, errors: dict | None = None, status: int = 200, suggested=None):
    items = words.product_items()
    values = {**values, "product": _preselected(items, values.get("product") or "")}
    return render_template("support/new.html", values=values, errors=errors or {},
                           products=[(item["id"], item.get("name") or item["id"]) for item in items],
                           severities=words.SEVERITIES, suggested=suggested,
                           action=streamed_forms.action("/support/requests")), status


@bp.route(PATH)
@visitor.signed_in_page
def form():
    """The form opening a request; "Suggest answers" (without script) sends its fields here to show
    the articles matching the subject."""
    needs_request_service()
    values = {name: (request.args.get(name) or "")[:LIMITS.get(name, 64)] for name in FIELDS}
    values["severity"] = values["severity"] if values["severity"] in words.SEVERITIES else "minor"
    suggested = suggestions(values["subject"]) if request.args.get("suggest") else None
    return render_form(values, suggested=suggested)


@bp.route("/support/suggestions")
@visitor.signed_in_page
def suggestions_fragment():
    """The suggested articles for ``?q=`` (the subject being typed), as the form's fragment."""
    needs_request_service()
    subject = (request.args.get("q") or "")[:200]
    return render_template("support/_suggestions.html", suggested=suggestions(subject), subject=subject)


@bp.route("/support/deflections", methods=["POST"])
@visitor.signed_in_page
def deflect():
    """"This answered my question": no request is opened; support counts the article's help."""
    needs_request_service()
    subject = " ".join((request.form.get("subject") or "").split())[:200]
    article_id = (request.form.get("article_id") or "").strip()[:64] or None
    status, _ = calls.call("support", "POST", "/support/deflections",
                           json={"subject": subject or "—", "article_id": article_id})
    if status == 403:
        abort(403)
    if status != 201:
        abort(503)
    return render_template("message.html", success=True, title=gettext("Glad the article answered your question"),
                           texts=[gettext("No request has been opened. Thank you: your answer helps us improve the "
                                          "knowledge base.")],
                           action=("/support", gettext("Back to the support requests")))
