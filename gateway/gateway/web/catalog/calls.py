"""What the catalog pages share: calls to the catalog service, its words in the page's language, dates."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode

from flask import abort, request
from flask_babel import format_date, gettext, lazy_gettext

from ..common import calls, visitor

# The manual's nine families, in its order (the catalog service refuses any other value).
FAMILIES = {
    "Administrative": lazy_gettext("Administrative"),
    "Community": lazy_gettext("Community"),
    "Information flow": lazy_gettext("Information flow"),
    "Management": lazy_gettext("Management"),
    "Product information": lazy_gettext("Product information"),
    "Notifications": lazy_gettext("Notifications"),
    "Preferences": lazy_gettext("Preferences"),
    "Online services": lazy_gettext("Online services"),
    "Support": lazy_gettext("Support"),
}
STATUSES = {
    "accepted": lazy_gettext("Accepted"),
    "pending": lazy_gettext("Waiting for validation"),
    "refused": lazy_gettext("Refused"),
    "expired": lazy_gettext("Expired"),
    "cancelled": lazy_gettext("Cancelled"),
}
# Why the portal ended a subscription (any other reason is an administrator's own words).
REASONS = {
    "unsubscribed": lazy_gettext("Unsubscribed"),
    "cancelled_by_administrator": lazy_gettext("Cancelled by an administrator"),
    "security_level_lowered": lazy_gettext("Your password security level was lowered"),
    "security_level_raised": lazy_gettext("The service now needs a stronger password"),
    "user_deleted": lazy_gettext("Account deleted"),
    "service_retired": lazy_gettext("Service withdrawn from the catalog"),
    "contract_ended": lazy_gettext("The maintenance contract has ended"),
    "expiry_date": lazy_gettext("Expiry date reached"),
    "supervision_moved": lazy_gettext("The supervised company has moved"),
}
LEVELS = {1: lazy_gettext("Weak"), 2: lazy_gettext("Moderate"), 3: lazy_gettext("Strong")}


def catalog(method: str, path: str, **kwargs) -> tuple[int, object]:
    """One round trip to the catalog service as the visitor."""
    return calls.call("catalog", method, path, **kwargs)


def listing(path: str, query: dict) -> dict:
    """A list the page cannot do without: 404 → the not-found page, any other failure → 503."""
    status, body = catalog("GET", path, query=query)
    if status == 404:
        abort(404)
    if status == 403:
        abort(403)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def text_criterion(args, name: str) -> str:
    return (args.get(name) or "").strip()[:200]


def choice(args, name: str, allowed) -> str:
    value = args.get(name) or ""
    return value if value in allowed else ""


def back_to(default: str, **extra) -> str:
    """The list a form came from (its ``back`` field, on ``default``'s page only), with the action's outcome."""
    back = visitor.safe_next(request.form.get("back"), default)
    path, _, query = back.partition("?")
    if path != default:
        path, query = default, ""
    pairs = [(key, value) for key, value in parse_qsl(query) if key != "done"] + list(extra.items())
    return path + ("?" + urlencode(pairs) if pairs else "")


def today() -> date:
    # The catalog counts days in UTC: "after today" means the same here.
    return datetime.now(timezone.utc).date()


def tomorrow() -> str:
    """The first day an expiry date may take (for the date fields' ``min``)."""
    return (today() + timedelta(days=1)).isoformat()


def expiry_date(value: str | None) -> tuple[str | None, str | None]:
    """The optional expiry date of a form: (ISO date or None, error text or None)."""
    value = (value or "").strip()
    if not value:
        return None, None
    try:
        chosen = date.fromisoformat(value)
    except ValueError:
        return None, gettext("Enter the expiry date as a date (year-month-day).")
    if chosen <= today():
        return None, gettext("The expiry date must be after today.")
    return chosen.isoformat(), None


def day(value) -> str:
    """An ISO date from the catalog, in the page's language."""
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(str(value)[:10]), "medium")
    except ValueError:
        return str(value)


def reason_text(code: str | None) -> str:
    if not code:
        return ""
    return str(REASONS[code]) if code in REASONS else code


def refusal_text(status: int, body, title: str) -> str:
    """Why the catalog would not subscribe to ``title``, in the visitor's words."""
    code = calls.error_code(body)
    if status == 403 and code == "security_level_too_low":
        level = calls.error_fields(body).get("min_security_level")
        needed = LEVELS.get(level) if isinstance(level, int) else None
        if needed:
            return gettext("%(title)s needs a password of security level “%(level)s”: change your password "
                           "to a stronger one, then subscribe again.", title=title, level=needed)
        return gettext("%(title)s needs a stronger password: change your password, then subscribe again.",
                       title=title)
    if status == 409 and code == "already_subscribed":
        return gettext("%(title)s: already subscribed or waiting for validation.", title=title)
    if status == 409 and code == "member_unknown":
        return gettext("%(title)s: your account is still being set up. Try again in a moment.", title=title)
    if status == 404:
        return gettext("%(title)s is no longer offered.", title=title)
    if status == 400:
        return gettext("%(title)s: the request was not accepted. Check the expiry date.", title=title)
    return gettext("%(title)s could not be subscribed right now. Try again in a moment.", title=title)
