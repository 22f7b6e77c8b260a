"""Use cases of the operators: client companies, their first administrator, and the tree of
third-party associates (subsidiaries, shops, indirect customers)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found
from portalkit.fields import valid_siren
from portalkit.signed_identity import Identity

from . import audit_trail
from .accounts import new_user
from .events import outbox
from .models import Company, User
from .settings import IdentitySettings


def register_company(session: Session, settings: IdentitySettings, identity: Identity,
                     data: dict) -> tuple[Company, User, str]:
    """Create a client company and its future administrator, who gets an activation mail.

    Returns the activation token too, for the demo loader; routes never show it.
    """
    if session.scalar(select(Company.id).where(Company.number == data["number"])):
        raise PortalError(409, "company_exists", "A company with this number already exists.",
                          {"number": ["already used"]})
    siren = checked_siren(session, data.get("siren"))
    parent_id = data.get("parent_id")
    if parent_id and session.get(Company, parent_id) is None:
        raise PortalError(400, "invalid_input", "The parent company does not exist.",
                          {"parent_id": ["unknown company"]})
    company = Company(number=data["number"], name=data["name"], postcode=data.get("postcode", ""),
                      city=data.get("city", ""), parent_id=parent_id, siren=siren)
    session.add(company)
    session.flush()
    outbox.add(session, "CompanyRegistered", {"company_id": company.id, "number": company.number,
                                              "name": company.name, "parent_id": parent_id,
                                              "siren": company.siren})
    if parent_id:
        outbox.add(session, "AssociateLinked", {"company_id": parent_id, "associate_id": company.id,
                                                "associate_name": company.name})
    user, token = new_user(session, settings, company, data["administrator"], designated_administrator=True)
    # The company's administrators read in their trail who opened the company, and when.
    audit_trail.record(session, identity, "company_registered", company.id, company.id, company.name,
                       number=company.number, administrator=user.email, parent_id=parent_id)
    if parent_id:
        audit_trail.record(session, identity, "associate_linked", parent_id, company.id, company.name)
    try:
        session.commit()
    except IntegrityError:  # a concurrent registration took the number or the address
        session.rollback()
        raise PortalError(409, "conflict", "The company or its administrator already exists.")
    return company, user, token


def checked_siren(session: Session, siren: str | None, company_id: str | None = None) -> str | None:
    """The SIREN given (None for none), refused unless valid (400) and free (409)."""
    if siren is None or siren == "":
        return None
    if not valid_siren(siren):
        raise PortalError(400, "invalid_siren", "This is not a SIREN: nine digits whose last one is the Luhn key.",
                          {"siren": ["not a valid SIREN"]})
    holder = session.scalar(select(Company.id).where(Company.siren == siren))
    if holder is not None and holder != company_id:
        raise PortalError(409, "siren_taken", "Another company has this SIREN.", {"siren": ["already used"]})
    return siren


def update_company(session: Session, identity: Identity, company_id: str, data: dict) -> Company:
    """Change a company's name, postcode, city or SIREN; the change is in its trail and told."""
    company = session.get(Company, company_id) if len(company_id) <= 32 else None
    if company is None:
        raise not_found("company")
    if "siren" in data:
        data = {**data, "siren": checked_siren(session, data["siren"], company.id)}
    changed = {key: value for key, value in data.items() if getattr(company, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(company, key, value)
        audit_trail.record(session, identity, "company_updated", company.id, company.id, company.name, **changed)
        outbox.add(session, "CompanyUpdated", {"company_id": company.id, "number": company.number,
                                               "name": company.name, "siren": company.siren})
    try:
        session.commit()
    except IntegrityError:  # a concurrent change took the SIREN since the check
        session.rollback()
        raise PortalError(409, "siren_taken", "Another company has this SIREN.", {"siren": ["already used"]})
    return company


def link_associate(session: Session, identity: Identity, company_id: str, associate_id: str) -> Company:
    """Put ``associate_id`` under ``company_id`` in the tree of third-party associates."""
    company, associate = session.get(Company, company_id), session.get(Company, associate_id)
    if company is None:
        raise not_found("company")
    if associate is None:
        raise PortalError(400, "invalid_input", "The associate company does not exist.",
                          {"company_id": ["unknown company"]})
    ancestor = company
    while ancestor is not None:  # refuse cycles: the associate may not be above the company
        if ancestor.id == associate.id:
            raise PortalError(409, "link_cycle", "This link would make a company its own associate.")
        ancestor = session.get(Company, ancestor.parent_id) if ancestor.parent_id else None
    previous_parent = associate.parent_id
    associate.parent_id = company.id
    audit_trail.record(session, identity, "associate_linked", company.id, associate.id, associate.name,
                       previous_parent_id=previous_parent)
    outbox.add(session, "AssociateLinked", {"company_id": company.id, "associate_id": associate.id,
                                            "associate_name": associate.name})
    session.commit()
    return associate
