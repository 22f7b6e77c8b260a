"""support's handlers: identity's companies and members become its read-models."""
from portalkit.topology import SUBSCRIPTIONS

from support.handlers import HANDLERS
from support.models import Company, Member


def user(user_id, **changes):
    return {"user_id": user_id, "email": f"{user_id}@example.com", "first_name": "Lovana",
            "last_name": "Dupont", "language": "fr", "company_id": "c1", "security_level": 1, **changes}


def test_every_event_routed_to_support_has_a_handler():
    assert set(HANDLERS) == set(SUBSCRIPTIONS["support"])


def test_companies_are_recorded_and_associates_linked(database, handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme", "parent_id": None})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Shop"})
    handle("AssociateLinked", {"company_id": "c1", "associate_id": "c2", "associate_name": "Shop"})
    handle("AssociateLinked", {"company_id": "c1", "associate_id": "c3", "associate_name": "Branch"})
    with database.sessions() as session:
        companies = {c.id: (c.number, c.name, c.parent_id) for c in session.query(Company)}
    assert companies == {"c1": ("C-1", "Acme", None), "c2": ("C-2", "Shop", "c1"), "c3": ("", "Branch", "c1")}


def test_members_get_their_display_names_from_activation_and_updates(database, handle):
    handle("UserActivated", user("u1"))
    with database.sessions() as session:
        assert session.get(Member, "u1").display_name == "Lovana Dupont"
    handle("UserUpdated", user("u1", last_name="Martin", language="en"))
    with database.sessions() as session:
        member = session.get(Member, "u1")
        assert (member.display_name, member.language, member.email) == ("Lovana Martin", "en", "u1@example.com")


def test_a_member_without_names_is_shown_by_address(database, handle):
    handle("UserActivated", user("u1", first_name="", last_name=""))
    with database.sessions() as session:
        assert session.get(Member, "u1").display_name == "u1@example.com"


def test_a_deleted_user_is_forgotten(database, handle):
    handle("UserActivated", user("u1"))
    handle("UserDeleted", {"user_id": "u1", "email": "u1@example.com", "company_id": "c1"})
    handle("UserDeleted", {"user_id": "u1", "email": "u1@example.com", "company_id": "c1"})
    with database.sessions() as session:
        assert session.get(Member, "u1") is None


def test_the_products_a_company_holds_become_its_read_model(database, handle):
    from support.handlers import PRODUCTS
    handle("ProductRecorded", {"product_id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie",
                               "kind": "software", "brand": "Etafi", "domain": "HR"})
    handle("HoldingRecorded", {"holding_id": "h1", "company_id": "c1", "product_id": "p1", "product_code": "PAY",
                               "quantity": 2})
    with database.sessions() as session:
        assert [p.name("fr") for p in PRODUCTS.company_products(session, "c1")] == ["Paie"]
    handle("HoldingRemoved", {"holding_id": "h1", "company_id": "c1", "product_id": "p1"})
    with database.sessions() as session:
        assert PRODUCTS.company_products(session, "c1") == []
