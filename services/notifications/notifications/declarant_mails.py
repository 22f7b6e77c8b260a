"""The mails of declarant accounts (the Etafi declarative portal): the link that sets the password
of a new account or resets it, and the word that an account was revoked. They name the account's
login, its own and not the e-mail address, and link to the declarative portal's pages. A deposit's
mail goes to its declarant as the read-model of declarant accounts (``keep``) knows them."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.events import Event

from .compose import Mail, language_of, link, mail_to
from .models import Declarant

# identity's events that keep the read-model of declarant accounts (beside their own mails).
# ``DeclarantRecorded`` (an account made without a mail: the demo's) is kept, never mailed.
KEPT = ("identity.DeclarantIssued", "identity.DeclarantPasswordResetRequested", "identity.DeclarantRevoked",
        "identity.DeclarantRecorded")


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


def keep(session: Session, event: Event) -> None:
    """Apply identity's ``event`` to the declarant accounts: a revoked one is forgotten."""
    data = event.data
    declarant = session.get(Declarant, data["declarant_id"])
    if event.routing_key == "identity.DeclarantRevoked":
        if declarant is not None:
            session.delete(declarant)
    else:
        if declarant is None:
            declarant = Declarant(declarant_id=data["declarant_id"])
            session.add(declarant)
        declarant.login = (data.get("login") or "")[:100]
        declarant.email = data.get("email")
        declarant.first_name = (data.get("first_name") or "")[:100]
        declarant.last_name = (data.get("last_name") or "")[:100]
        declarant.language = language_of(data.get("language"))
        declarant.company_id = data.get("company_id") or ""
        declarant.role = data.get("role") or "declarant"
    session.flush()


def deposited(session: Session, event: Event, base_url: str) -> list[Mail]:
    """The receipt of an accepted deposit, to its declarant (none when the account is unknown)."""
    data = event.data
    declarant = session.get(Declarant, data["declarant_id"])
    if declarant is None or not declarant.email:
        return []
    person = {"email": declarant.email, "first_name": declarant.first_name, "last_name": declarant.last_name,
              "language": declarant.language}
    # The deposits have no page of their own yet: the link is the deposit page, which lists them.
    return [mail_to("declaration_deposited", person, login=declarant.login, entity_name=data.get("entity_name") or "",
                    siren=data["siren"], file_name=data.get("file_name") or "", sha256=data["sha256"],
                    deposited_at=data["deposited_at"], filing_kind=data["kind"], corrective=data.get("corrective", False),
                    link=link(base_url, "declarative_deposit"))]
