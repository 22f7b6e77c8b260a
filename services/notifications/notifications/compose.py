"""What each event mails, to whom, in which language: events become ``Mail``s, still unrendered.

Links point at the portal's web pages, absolute, with the token as the last path segment.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

from portalkit.events import LANGUAGES, Event

log = logging.getLogger(__name__)

# The gateway's pages the mails link to (tokens are appended as the last segment).
PAGES = {
    "home": "/",
    "activation": "/activate",
    "password_reset": "/password/reset",
    "password_forgotten": "/password/forgot",
    "email_change": "/email-change",
    "requests_to_validate": "/administration/requests",
    "services_catalog": "/administration/catalog",
    "users": "/administration/users",
    "inventory": "/assets/inventory",
    "operator_identifier_changes": "/operator/identifier-changes",
    # The page whose button asks for the renewal (a mail link must not change anything itself:
    # mail scanners follow links).
    "subscription_renewal": "/services/renewal",
    "sign_in": "/login",
    "access_requests": "/administration/access-requests",
    "operator_access_requests": "/operator/access-requests",
    "downloads": "/downloads",
    "invoices": "/documents/invoices",
    "reports": "/documents/reports",
    "planning": "/planning",
    "article": "/knowledge/articles",
    "news_item": "/news",
    "notification_settings": "/notifications",
    "support_requests": "/support/requests",
    # The Etafi declarative portal's own pages (its sign-in is not the portal's).
    "declarative_password": "/declarations/password",
    "declarative_sign_in": "/declarations/signin",
    "declarative_deposit": "/declarations/deposit",
    # A filing's own page (the deposits list's, by the deposit's id).
    "declarative_filing": "/declarations/deposits",
}

# A mail is no place for a 10,000-line report: past this, the mail says how many more there are.
MAX_LISTED_REJECTIONS = 100


@dataclass(frozen=True)
class Mail:
    """One mail to write: its kind names the templates, ``context`` fills them."""

    kind: str
    to: str | None  # None when the recipient has no address: ``addressed`` drops it
    name: str
    language: str
    context: dict = field(default_factory=dict)
    attachments: tuple["Attachment", ...] = ()


@dataclass(frozen=True)
class Attachment:
    """A file a mail carries (the planning's ``.ics``): ``content_type`` is ``main/sub``, ``params``
    its parameters (``method=PUBLISH``)."""

    filename: str
    content_type: str
    content: bytes
    params: dict = field(default_factory=dict)


def language_of(code: str | None) -> str:
    """The mail language for a user's language code ("fr-FR" → "fr"); English otherwise."""
    short = (code or "").strip().lower()[:2]
    return short if short in LANGUAGES else "en"


def link(base_url: str, page: str, token: str | None = None) -> str:
    url = base_url.rstrip("/") + PAGES[page]
    return f"{url.rstrip('/')}/{quote(token, safe='')}" if token else url


def full_name(person: dict) -> str:
    return f"{person.get('first_name') or ''} {person.get('last_name') or ''}".strip()


def mail_to(kind: str, person: dict, address: str | None = None, **context) -> Mail:
    """A mail to ``person`` (a Recipient of the contracts), at ``address`` or their own e-mail."""
    return Mail(kind=kind, to=address or person["email"], name=full_name(person),
                language=language_of(person.get("language")),
                context={"first_name": person.get("first_name") or "", **context})


def activation(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    if not data.get("activation_token"):
        log.info("UserCreated %s carries no activation token: no mail", event.id)
        return []
    return [mail_to("activation", data, company_name=data.get("company_name") or "",
                    link=link(base_url, "activation", data["activation_token"]),
                    expires_at=data.get("activation_expires_at"))]


def password_reset(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    return [mail_to("password_reset", data, link=link(base_url, "password_reset", data["reset_token"]),
                    expires_at=data["expires_at"])]


def email_change_confirmation(event: Event, base_url: str) -> list[Mail]:
    """The link to the new address; and a word to the current one, which a stolen session could
    otherwise move away from without its owner hearing of it until it is done."""
    data = event.data
    confirmation = mail_to("email_change_confirmation", data, address=data["new_email"],
                           new_email=data["new_email"], expires_at=data["expires_at"],
                           link=link(base_url, "email_change", data["confirmation_token"]))
    heads_up = mail_to("email_change_requested", data, new_email=data["new_email"],
                       expires_at=data["expires_at"], link=link(base_url, "password_forgotten"))
    return [confirmation, heads_up] if data.get("email") else [confirmation]


def email_changed(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    context = {"email": data["email"], "previous_email": data["previous_email"]}
    notice = mail_to("email_changed_notice", data, address=data["previous_email"], **context)
    if not data.get("email"):
        return [notice]
    return [notice, mail_to("email_changed", data, link=link(base_url, "home"), **context)]


def account_locked(event: Event, base_url: str) -> list[Mail]:
    """The locked user's mail and, when many of the company's accounts locked, its administrators'."""
    data = event.data
    alerts = [mail_to("lockouts_alert", administrator, locked_accounts=data["company_locked_accounts"],
                      minutes=data["alert_minutes"], last_locked=full_name(data) or data.get("email") or "",
                      link=link(base_url, "users"))
              for administrator in data.get("administrators") or []]
    return [mail_to("account_locked", data, locked_until=data["locked_until"],
                    link=link(base_url, "password_forgotten")), *alerts]


def account_deleted(event: Event, base_url: str) -> list[Mail]:
    return [mail_to("account_deleted", event.data, email=event.data["email"])]


# identity names each refused line's reason by a stable code; other reasons are shown as they come.
IMPORT_REASONS = {
    "en": {
        "too_many_columns": "more than the 8 columns of the format",
        "missing_columns": "fewer than the 8 columns of the format",
        "bad_email": "missing or invalid e-mail address",
        "duplicate_in_file": "e-mail address already on an earlier line of the file",
        "user_exists": "a user account already exists with this e-mail address",
        "unknown_civility": "civility other than M, MME, MLE",
        "bad_name": "last or first name missing or too long",
        "bad_phone": "phone number longer than 40 characters",
        "unknown_language": "unknown language code (en-US, fr-FR, ...)",
        "bad_level": "security level other than 1, 2, 3",
    },
    "fr": {
        "too_many_columns": "plus que les 8 colonnes du format",
        "missing_columns": "moins que les 8 colonnes du format",
        "bad_email": "adresse e-mail absente ou invalide",
        "duplicate_in_file": "adresse e-mail déjà présente plus haut dans le fichier",
        "user_exists": "un compte utilisateur existe déjà avec cette adresse e-mail",
        "unknown_civility": "civilité autre que M, MME, MLE",
        "bad_name": "nom ou prénom absent ou trop long",
        "bad_phone": "numéro de téléphone de plus de 40 caractères",
        "unknown_language": "code de langue inconnu (en-US, fr-FR…)",
        "bad_level": "niveau de sécurité autre que 1, 2, 3",
    },
}


def import_report(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    reasons = IMPORT_REASONS[language_of(data.get("language"))]
    listed = sorted(data["rejected"], key=lambda rejection: rejection["line"])[:MAX_LISTED_REJECTIONS]
    # Every line is created or rejected; identity may send fewer rejections than there are.
    more = max(0, data["total"] - data["created"] - len(listed))
    return [mail_to("import_report", data, total=data["total"], created=data["created"],
                    rejected=[{**r, "reason": reasons.get(r["reason"], r["reason"])} for r in listed],
                    more_rejected=more, link=link(base_url, "home"))]


def subscription_requested(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    requester = full_name(data) or data.get("email") or ""
    return [mail_to("subscription_requested", administrator, requester=requester,
                    service_title=_service_title(data), expires_on=data.get("expires_on"),
                    link=link(base_url, "requests_to_validate"))
            for administrator in data["administrators"]]


def subscription_decided(kind: str) -> Callable[[Event, str], list[Mail]]:
    """The mail to the holder of a subscription that was accepted, refused, cancelled or expired."""
    def compose(event: Event, base_url: str) -> list[Mail]:
        data = event.data
        if data.get("automatic"):
            return []  # granted by the portal at activation, not asked for: nothing to tell
        return [mail_to(kind, data, service_title=_service_title(data),
                        expires_on=data.get("expires_on"), reason=data.get("reason") or "",
                        link=link(base_url, "home" if kind == "subscription_accepted"
                                  else "services_catalog"))]
    compose.__name__ = kind
    return compose


def subscription_expiring(event: Event, base_url: str) -> list[Mail]:
    """The reminder before a subscription's end: its holder and the company's administrators."""
    data = event.data
    context = {"service_title": _service_title(data), "expires_on": data.get("expires_on"),
               "days_left": data["days_left"], "holder": full_name(data) or data.get("email") or "",
               "link": link(base_url, "subscription_renewal", data["subscription_id"])}
    return ([mail_to("subscription_expiring", data, for_holder=True, **context)]
            + [mail_to("subscription_expiring", administrator, for_holder=False, **context)
               for administrator in data["administrators"] if administrator["user_id"] != data["user_id"]])


def _service_title(data: dict) -> str:
    return data.get("service_title") or data["service_code"]


def addressed(mails: list[Mail], event: Event) -> list[Mail]:
    """The mails that have somewhere to go, once each; the others are logged and dropped."""
    kept, seen = [], set()
    for mail in mails:
        if not mail.to:
            log.info("%s %s: %s mail skipped, the recipient has no e-mail address",
                     event.type, event.id, mail.kind)
        elif (mail.kind, mail.to.lower()) not in seen:
            seen.add((mail.kind, mail.to.lower()))
            kept.append(mail)
    return kept
