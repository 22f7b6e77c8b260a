"""The notifications page's block on new content: a mail for each new item, or one digest a day —
notifications' ``/notifications/preferences``, read for the page and set by one plain form."""
from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext

from ..common import calls

PATH = "/notifications/content-mails"
CHOICES = {"immediate": lazy_gettext("A mail for each new item, as soon as it is published"),
           "daily_digest": lazy_gettext("One mail a day listing the new items")}
DONE = lazy_gettext("Your choice is saved: it applies to the items not told to you yet.")


def preference() -> dict | None:
    """One's choice and the digest's hour; None when notifications cannot say (the block says so)."""
    status, body = calls.call("notifications", "GET", "/notifications/preferences")
    if status != 200 or not isinstance(body, dict) or body.get("content_mails") not in CHOICES:
        return None
    return body


def choose(choice: str) -> None:
    """Set one's choice; a choice the form cannot offer is 400, notifications unreachable 503."""
    if choice not in CHOICES:
        abort(400)
    status, _body = calls.call("notifications", "PUT", "/notifications/preferences",
                               json={"content_mails": choice})
    if status != 200:
        abort(503)


def digest_time(body: dict) -> str:
    """"07:00 (UTC)": when the digest goes."""
    return f"{int(body.get('digest_hour') or 0):02d}:00 ({body.get('time_zone') or 'UTC'})"
