"""Notifications (the user menu's entry): one's "Notification on …" and "Receive …" services in one
place, each switched on or off by one plain form button.

They are catalog subscriptions: on is ``POST /catalog/subscriptions`` (pending where the company
validates the service), off is ``DELETE /catalog/subscriptions/<id>``. The button names the service
only; the subscription to end is read again from one's own list, never taken from the form.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint, visitor
from . import content_mails

bp = space_blueprint("notifications", __name__)

PATH = "/notifications"
# The catalog's family codes of the two kinds of rows, in the page's order, with their headings.
SECTIONS = (("Notifications", lazy_gettext("Notifications by e-mail")),
            ("Information flow", lazy_gettext("Newsletters")))
DONE = {"on": lazy_gettext("“%(title)s” is switched on."),
        "pending": lazy_gettext("“%(title)s” waits for an administrator's validation."),
        "off": lazy_gettext("“%(title)s” is switched off.")}
REFUSED = {"gone": lazy_gettext("This notification is no longer offered to you."),
           "level": lazy_gettext("“%(title)s” needs a stronger password: change your password first."),
           "kept": lazy_gettext("“%(title)s” cannot be switched off: the portal keeps it."),
           "setting_up": lazy_gettext("Your account is still being set up. Try again in a moment.")}


def catalog(method: str, path: str, **kwargs) -> tuple[int, object]:
    return calls.call("catalog", method, path, **kwargs)


def my_notifications() -> list[dict]:
    """One's notifying services with their state (the catalog's own list), or the 503 page."""
    status, answer = catalog("GET", "/catalog/notifications")
    if status == 409:  # the catalog has not heard of the account yet (just created)
        return []
    if status == 403:
        abort(403)
    if status != 200 or not isinstance(answer, dict):
        abort(503)
    return [item for item in answer.get("items") or [] if isinstance(item, dict) and item.get("id")]


def _message(items: list[dict]) -> tuple[str, str] | None:
    """The outcome of the last switch, naming its service as one's list names it."""
    title = next((item.get("title") or "" for item in items if item["id"] == request.args.get("service")), None)
    done, refused = request.args.get("done", ""), request.args.get("refused", "")
    if refused == "gone":  # gone from the list too: the text does not name it
        return "error", str(REFUSED[refused])
    if title is None:
        return None
    if done in DONE:
        return "success", str(DONE[done]) % {"title": title}
    if refused in REFUSED:
        return "error", str(REFUSED[refused]) % {"title": title}
    return None


@bp.route(PATH)
@visitor.signed_in_page
def index():
    """List one's notifications by kind, each with its state and its switch."""
    items = my_notifications()
    sections = [(family, heading, [item for item in items if item.get("family") == family])
                for family, heading in SECTIONS]
    chosen = content_mails.preference()
    message = _message(items)
    if request.args.get("done") == "content_mails":
        message = ("success", str(content_mails.DONE))
    return render_template("account/notifications.html", sections=[s for s in sections if s[2]],
                           message=message, empty=not items, content_mails=chosen,
                           content_choices=content_mails.CHOICES,
                           digest_time=content_mails.digest_time(chosen) if chosen else "")


@bp.route(content_mails.PATH, methods=["POST"])
@visitor.signed_in_page
def choose_content_mails():
    """Choose a mail per new item or a daily digest, then show the page again."""
    content_mails.choose(request.form.get("content_mails", ""))
    return _back(done="content_mails")


@bp.route(PATH, methods=["POST"])
@visitor.signed_in_page
def switch():
    """Switch one notification on or off (the button says which), then show the list again."""
    service_id, wanted = request.form.get("service_id", ""), request.form.get("switch", "")
    if not service_id or wanted not in ("on", "off"):
        abort(400)
    row = next((item for item in my_notifications() if item["id"] == service_id), None)
    if row is None:  # withdrawn since the page was shown
        return _back(refused="gone", service=service_id)
    held = row.get("subscription") or None
    if wanted == "on" and held is None:
        status, body = catalog("POST", "/catalog/subscriptions", json={"service_id": service_id})
        if status in (200, 201) and isinstance(body, dict):
            return _back(done="pending" if body.get("status") == "pending" else "on", service=service_id)
        return _back(refused=_refusal(status, body), service=service_id)
    if wanted == "off" and held is not None:
        status, body = catalog("DELETE", "/catalog/subscriptions/" + quote(str(held.get("id")), safe=""))
        if status in (200, 204):
            return _back(done="off", service=service_id)
        return _back(refused=_refusal(status, body), service=service_id)
    # Already as asked (a second click, another tab): nothing to do, the list says how it stands.
    return _back(done="pending" if held and held.get("status") == "pending" else wanted, service=service_id)


def _refusal(status: int, body) -> str:
    code = calls.error_code(body)
    if status == 404:
        return "gone"
    if status == 403 and code == "security_level_too_low":
        return "level"
    if status == 409 and code == "member_unknown":
        return "setting_up"
    if status == 409:
        return "kept"
    abort(503)


def _back(**outcome):
    return redirect(PATH + "?" + urlencode(outcome))
