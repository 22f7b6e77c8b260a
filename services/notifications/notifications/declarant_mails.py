"""The mails of declarant accounts (the Etafi declarative portal): the link that sets the password
of a new account or resets it, and the word that an account was revoked. They name the account's
login, its own and not the e-mail address, and link to the declarative portal's pages."""
from __future__ import annotations

from portalkit.events import Event

from .compose import Mail, link, mail_to


def issued(event: Event, base_url: str) -> list[Mail]:
    return [_with_link("declarant_issued", event.data, base_url)]


def password_reset(event: Event, base_url: str) -> list[Mail]:
    return [_with_link("declarant_password_reset", event.data, base_url)]


def revoked(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    return [mail_to("declarant_revoked", data, login=data["login"], company_name=data.get("company_name") or "")]


def _with_link(kind: str, data: dict, base_url: str) -> Mail:
    return mail_to(kind, data, login=data["login"], company_name=data.get("company_name") or "",
                   role=data["role"], link=link(base_url, "declarative_password", data["password_token"]),
                   sign_in=link(base_url, "declarative_sign_in"), expires_at=data["expires_at"])
