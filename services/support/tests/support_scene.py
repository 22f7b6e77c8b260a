"""A small world for support's unit tests: companies (Acme ── Branch ── Shop, and Other), their
members, a product Acme holds, and the signed headers of each caller."""
from __future__ import annotations

from portalkit import entitlements
from portalkit.testing import signed_headers

OWN = entitlements.REQUEST_SERVICE
ADMIN = entitlements.REQUEST_SERVICE_ADMINISTRATION
SUPERVISION = entitlements.REQUEST_SERVICE_SUPERVISION


def user(user_id, company_id, language="en", **changes):
    return {"user_id": user_id, "email": f"{user_id}@example.com", "first_name": user_id.title(),
            "last_name": "Dupont", "language": language, "company_id": company_id, "security_level": 1, **changes}


def build(handle) -> None:
    handle("CompanyRegistered", {"company_id": "acme", "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": "branch", "number": "C-2", "name": "Branch", "parent_id": "acme"})
    handle("CompanyRegistered", {"company_id": "shop", "number": "C-3", "name": "Shop", "parent_id": "branch"})
    handle("CompanyRegistered", {"company_id": "other", "number": "C-4", "name": "Other"})
    for user_id, company in (("ann", "acme"), ("bob", "acme"), ("cid", "acme"), ("sam", "shop"),
                             ("bea", "branch"), ("oli", "other")):
        handle("UserActivated", user(user_id, company, language="fr" if user_id == "bob" else "en"))
    handle("ProductRecorded", {"product_id": "pay", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie",
                               "kind": "software", "brand": "Etafi", "domain": "Payroll", "serializable": False})
    handle("ProductRecorded", {"product_id": "acc", "code": "ACC", "name_en": "Accounting", "name_fr": "Compta",
                               "kind": "software", "brand": "Etafi", "domain": "Accounting", "serializable": False})
    for holding, company in (("h1", "acme"), ("h2", "shop")):
        handle("HoldingRecorded", {"holding_id": holding, "company_id": company, "product_id": "pay", "product_code": "PAY", "quantity": 1})


def headers(user_id: str, company_id: str, *rights: str, language: str = "en") -> dict:
    """A client of ``company_id`` holding ``rights`` (codes, ``code@company`` for another company)."""
    held = frozenset(right if "@" in right else f"{right}@{company_id}" for right in rights)
    return signed_headers(user_id=user_id, company_id=company_id, entitlements=held, language=language)


def operator() -> dict:
    return signed_headers(user_id="op1", operator=True)
