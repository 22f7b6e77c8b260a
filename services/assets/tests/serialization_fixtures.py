"""Database fixtures of the serialization tests: a company under contract with serializable and
other holdings, and callers who may or may not serialize (the operators' API is not needed)."""
from __future__ import annotations

from datetime import date

from portalkit import entitlements
from portalkit.db import utcnow

from assets.models import Contract, ContractHolding, Holding, Product

COMPANY, OTHER = "c1", "c2"


def seed(database, handle) -> dict:
    """Two companies; c1's contract covers all its holdings, c2's none."""
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": OTHER, "number": "C-2", "name": "Zed"})
    with database.transaction() as session:
        products = {
            "erp": Product(code="ERP", name_en="Ledger", name_fr="Grand livre", kind="software", serializable=True,
                           major_version=7),
            "pay": Product(code="PAY", name_en="Payroll", name_fr="Paie", kind="software", serializable=True,
                           major_version=None),
            "box": Product(code="BOX", name_en="Server", name_fr="Serveur", kind="hardware", serializable=False),
        }
        session.add_all(products.values())
        session.flush()
        holdings = {
            "erp": Holding(company_id=COMPANY, product_id=products["erp"].id),
            "pay": Holding(company_id=COMPANY, product_id=products["pay"].id),
            "box": Holding(company_id=COMPANY, product_id=products["box"].id),
            "set": Holding(company_id=COMPANY, product_id=products["pay"].id, machine_id="OLD-PC"),
            "other": Holding(company_id=OTHER, product_id=products["erp"].id),
        }
        session.add_all(holdings.values())
        session.add(Contract(id="k1", company_id=COMPANY, starts_on=date(2026, 1, 1), activated_at=utcnow()))
        session.flush()
        ids = {name: holding.id for name, holding in holdings.items()}
        ids.update({f"product_{name}": product.id for name, product in products.items()})
        return ids


def add_holding(database, company_id: str, product_id: str, covered_by: str | None = None,
                machine_id: str | None = None) -> str:
    with database.transaction() as session:
        holding = Holding(company_id=company_id, product_id=product_id, machine_id=machine_id)
        session.add(holding)
        session.flush()
        if covered_by:
            session.add(ContractHolding(contract_id=covered_by, holding_id=holding.id))
        return holding.id


def admin(signed, company_id: str = COMPANY, user_id: str = "boss", **identity):
    return signed(user_id, company_id, entitlements=frozenset({f"{entitlements.ADMINISTRATION}@{company_id}"}),
                  **identity)


def downloader(signed, company_id: str = COMPANY, user_id: str = "dl", **identity):
    return signed(user_id, company_id, entitlements=frozenset({f"{entitlements.DOWNLOAD_UPDATES}@{company_id}"}),
                  **identity)
