"""The mails of a filing after its deposit (declarations' events): handed to the EDI partner, the
final answer (to its declarant, a rejection also to the supervisors of the entity's group heads),
and the reminder of a filing still due, to the entity's declarants. Recipients come from the
read-model of declarant accounts (``declarant_mails.keep``); a revoked account is no longer in it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.events import Event

from .compose import Mail, language_of, link, mail_to
from .models import Declarant

# The answers the supervisors of the group are also told of.
REJECTIONS = ("partly_rejected", "rejected", "refused_by_partner")
OUTCOMES = {
    "en": {"accepted": "accepted", "partly_rejected": "partly rejected", "rejected": "rejected",
           "refused_by_partner": "refused by the EDI partner"},
    "fr": {"accepted": "acceptée", "partly_rejected": "partiellement rejetée", "rejected": "rejetée",
           "refused_by_partner": "refusée par le partenaire EDI"},
}
OBLIGATIONS = {"en": {"liasse": "tax return (liasse fiscale)"}, "fr": {"liasse": "liasse fiscale"}}


def transmitted(session: Session, event: Event, base_url: str) -> list[Mail]:
    """"Your filing was handed to the EDI partner", to its declarant."""
    data = event.data
    declarant = session.get(Declarant, data["declarant_id"])
    if declarant is None:
        return []
    return [_mail("declaration_transmitted", declarant, data, base_url, transmitted_at=data["transmitted_at"])]


def acknowledged(session: Session, event: Event, base_url: str) -> list[Mail]:
    """The final answer with its codes, to the declarant; a rejection also to the supervisors
    (not revoked) of the entity's group heads, each once."""
    data = event.data
    declarant = session.get(Declarant, data["declarant_id"])
    mails = []
    if declarant is not None:
        mails.append(_answer("declaration_acknowledged", declarant, data, base_url, depositor=""))
    if data["outcome"] in REJECTIONS and data.get("group_head_ids"):
        depositor = declarant.login if declarant is not None else ""
        told = {declarant.email.lower()} if declarant is not None and declarant.email else set()
        for supervisor in _accounts(session, data["group_head_ids"], ("supervisor",)):
            if supervisor.declarant_id != data["declarant_id"] and (supervisor.email or "").lower() not in told:
                mails.append(_answer("declaration_rejection_supervised", supervisor, data, base_url,
                                     depositor=depositor))
    return mails


def due(session: Session, event: Event, base_url: str) -> list[Mail]:
    """The reminder of a filing still due, to each declarant account of the entity."""
    data = event.data
    return [_mail("declaration_due", declarant, data, base_url,
                  due_on=data["due_on"], days_left=data["days_left"],
                  link=link(base_url, "declarative_deposit"))
            for declarant in _accounts(session, [data["entity_id"]], ("declarant", "supervisor"))]


def _accounts(session: Session, company_ids: list[str], roles: tuple[str, ...]) -> list[Declarant]:
    return list(session.scalars(select(Declarant).where(
        Declarant.company_id.in_(company_ids), Declarant.role.in_(roles)).order_by(Declarant.declarant_id)))


def _answer(kind: str, account: Declarant, data: dict, base_url: str, depositor: str) -> Mail:
    language = language_of(account.language)
    return _mail(kind, account, data, base_url, outcome=data["outcome"],
                 outcome_text=OUTCOMES[language][data["outcome"]], codes=list(data.get("codes") or []),
                 acknowledged_at=data["acknowledged_at"], depositor=depositor)


def _mail(kind: str, account: Declarant, data: dict, base_url: str, **context) -> Mail:
    language = language_of(account.language)
    person = {"email": account.email, "first_name": account.first_name, "last_name": account.last_name,
              "language": language}
    obligation = data.get("obligation") or "liasse"
    if "link" not in context:  # a filing's own page; a reminder links the deposit page instead
        context["link"] = link(base_url, "declarative_filing", data["deposit_id"])
    return mail_to(kind, person, login=account.login, entity_name=data.get("entity_name") or "",
                   siren=data["siren"], file_name=data.get("file_name") or "",
                   obligation=OBLIGATIONS[language].get(obligation, obligation),
                   period_end=data.get("period_end"), partner_reference=data.get("partner_reference") or "",
                   simulation=bool(data.get("simulation")), **context)
