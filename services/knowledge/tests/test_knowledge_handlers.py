"""knowledge's handlers: identity's companies become its read-model."""
from portalkit.topology import SUBSCRIPTIONS

from knowledge.handlers import HANDLERS
from knowledge.models import Company


def test_every_event_routed_to_knowledge_has_a_handler():
    assert set(HANDLERS) == set(SUBSCRIPTIONS["knowledge"])


def test_a_registered_company_is_recorded_then_refreshed(database, handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme", "parent_id": None})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Shop", "parent_id": "c1"})
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme SA"})
    with database.sessions() as session:
        assert [(c.id, c.number, c.name, c.parent_id) for c in session.query(Company).order_by(Company.id)] == [
            ("c1", "C-1", "Acme SA", None), ("c2", "C-2", "Shop", "c1")]


def test_the_products_a_company_holds_become_its_read_model(database, handle):
    from knowledge.handlers import PRODUCTS
    handle("ProductRecorded", {"product_id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie",
                               "kind": "software", "brand": "Etafi", "domain": "HR"})
    handle("HoldingRecorded", {"holding_id": "h1", "company_id": "c1", "product_id": "p1", "product_code": "PAY",
                               "quantity": 2})
    with database.sessions() as session:
        assert [p.name("fr") for p in PRODUCTS.company_products(session, "c1")] == ["Paie"]
    handle("HoldingRemoved", {"holding_id": "h1", "company_id": "c1", "product_id": "p1"})
    with database.sessions() as session:
        assert PRODUCTS.company_products(session, "c1") == []


def test_a_deleted_users_last_visit_of_the_news_is_forgotten(database, handle):
    from datetime import datetime, timezone
    from knowledge.models import NewsVisit
    with database.transaction() as session:
        now = datetime.now(timezone.utc)
        session.add_all([NewsVisit(user_id="u1", visited_at=now), NewsVisit(user_id="u2", visited_at=now)])
    handle("UserDeleted", {"user_id": "u1", "company_id": "c1", "email": "a@b.test", "language": "en"})
    handle("UserDeleted", {"user_id": "u1", "company_id": "c1", "email": "a@b.test", "language": "en"})  # again
    with database.sessions() as session:
        assert [visit.user_id for visit in session.query(NewsVisit)] == ["u2"]
