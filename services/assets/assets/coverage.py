"""What a maintenance contract covers, as SQL conditions every query of assets shares: the inventory's
"on contract", the serializations allowed, the releases a company may download.

A contract is in force from its activation (its first day has come) until it ends. It covers the
holdings named for it, or, when none is named, every holding of its company.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, or_, select

from .models import Contract, ContractHolding, Holding


def contract_in_force():
    """The condition on ``Contract`` of a contract covering today."""
    return and_(Contract.activated_at.is_not(None), Contract.ended_on.is_(None))


def holding_on_contract(holding=Holding):
    """A correlated EXISTS: ``holding`` (the table or an alias) is covered by a contract in force."""
    names_none = ~exists(select(ContractHolding.contract_id).where(ContractHolding.contract_id == Contract.id))
    # correlate_except: ``holding`` belongs to the query two levels up, which SQLAlchemy's automatic
    # correlation (the enclosing SELECT only) would not reach — it would add the table again.
    names_it = exists(select(ContractHolding.contract_id).where(ContractHolding.contract_id == Contract.id,
                                                                ContractHolding.holding_id == holding.id)
                      .correlate_except(ContractHolding))
    return exists(select(Contract.id).where(Contract.company_id == holding.company_id, contract_in_force(),
                                            or_(names_none, names_it)))


def product_on_contract(company_id, product_id):
    """An EXISTS: the company holds the product (a holding not removed) under a contract in force."""
    return exists(select(Holding.id).where(Holding.company_id == company_id, Holding.product_id == product_id,
                                           Holding.removed_at.is_(None), holding_on_contract()))
