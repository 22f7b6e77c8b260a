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
