"""The read-model of assets' products and holdings a service keeps (portalkit.product_directory):
safe against redelivered events and events arriving out of order."""
from datetime import timedelta

import pytest
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from portalkit.db import Database, utcnow
from portalkit.events import load_event, new_envelope
from portalkit.product_directory import HoldingMixin, ProductDirectory, ProductMixin


class Base(DeclarativeBase):
    metadata = MetaData()


class Product(ProductMixin, Base):
    pass


class Holding(HoldingMixin, Base):
    pass


PRODUCTS = ProductDirectory(Product, Holding)
START = utcnow()
PAYROLL = {"product_id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
           "brand": "Etafi", "domain": "HR", "serializable": True, "major_version": 4, "retired": False}


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'products.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.engine.dispose()


@pytest.fixture
def handle(database):
    def run(event_type, data, at=0):
        envelope = new_envelope(event_type, data)
        envelope["occurred_at"] = (START + timedelta(seconds=at)).isoformat()
        event = load_event(envelope)
        with database.transaction() as session:
            PRODUCTS.handlers()[event.routing_key](session, event)
    return run


def _holding(holding_id="h1", company_id="c1", product_id="p1", quantity=1):
    return {"holding_id": holding_id, "company_id": company_id, "product_id": product_id, "product_code": "PAY",
            "quantity": quantity, "machine_id": None}


def test_the_handlers_are_named_by_routing_key():
    assert set(PRODUCTS.handlers()) == {"assets.ProductRecorded", "assets.HoldingRecorded", "assets.HoldingRemoved"}


def test_a_product_keeps_the_newest_fact_whatever_the_order(database, handle):
    handle("ProductRecorded", {**PAYROLL, "major_version": 5}, at=10)
    handle("ProductRecorded", PAYROLL, at=5)  # older, came late
    handle("ProductRecorded", {**PAYROLL, "major_version": 5}, at=10)  # redelivered
    with database.sessions() as session:
        product = session.get(Product, "p1")
        assert (product.code, product.major_version, product.name("fr"), product.name("en")) == (
            "PAY", 5, "Paie", "Payroll")


def test_a_companys_products_are_those_it_holds_not_removed_nor_retired(database, handle):
    handle("ProductRecorded", PAYROLL)
    handle("ProductRecorded", {**PAYROLL, "product_id": "p2", "code": "OLD", "retired": True})
    handle("ProductRecorded", {**PAYROLL, "product_id": "p3", "code": "SCAN"})
    handle("HoldingRecorded", _holding("h1", "c1", "p1"))
    handle("HoldingRecorded", _holding("h2", "c1", "p2"))
    handle("HoldingRecorded", _holding("h3", "c1", "p3"))
    handle("HoldingRecorded", _holding("h4", "c2", "p3"))
    handle("HoldingRemoved", {"holding_id": "h3", "company_id": "c1", "product_id": "p3"}, at=1)
    with database.sessions() as session:
        assert [p.code for p in PRODUCTS.company_products(session, "c1")] == ["PAY"]
        assert [p.code for p in PRODUCTS.company_products(session, "c2")] == ["SCAN"]


def test_a_removed_holding_does_not_come_back(database, handle):
    handle("HoldingRemoved", {"holding_id": "h1", "company_id": "c1", "product_id": "p1"}, at=10)
    handle("HoldingRecorded", _holding(quantity=3), at=5)  # the recording, come after its removal
    handle("HoldingRemoved", {"holding_id": "h1", "company_id": "c1", "product_id": "p1"}, at=10)
    with database.sessions() as session:
        holding = session.get(Holding, "h1")
        assert (holding.removed, holding.company_id) == (True, "c1")


def test_a_holding_keeps_its_newest_quantity(database, handle):
    handle("HoldingRecorded", _holding(quantity=4), at=10)
    handle("HoldingRecorded", _holding(quantity=2), at=5)
    with database.sessions() as session:
        assert session.get(Holding, "h1").quantity == 4
