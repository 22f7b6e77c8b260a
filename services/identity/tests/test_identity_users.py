"""The users list answers administrators only, and only about the companies they administer."""
from __future__ import annotations

from identity.demo import load
from identity.settings import IdentitySettings

ADMINISTRATION = "user-management-administration"


def _demo(database):
    load(database, IdentitySettings.load())
    from sqlalchemy import select
    from identity.models import Company
    with database.sessions() as session:
        return session.scalar(select(Company.id).where(Company.number == "DEMO-001"))


def test_users_list_needs_the_administration_right(client, as_caller, database):
    company = _demo(database)
    assert client.get("/identity/users", headers=as_caller()).status_code == 401
    plain = client.get("/identity/users", headers=as_caller(user_id="u", company_id=company))
    assert plain.status_code == 403
    admin = client.get("/identity/users?per_page=1", headers=as_caller(
        user_id="a", company_id=company, entitlements=frozenset({f"{ADMINISTRATION}@{company}"})))
    assert admin.status_code == 200 and admin.json["total"] == 2 and len(admin.json["items"]) == 1


def test_another_company_is_not_found(client, as_caller, database):
    company = _demo(database)
    other = client.get(f"/identity/users?company={company}", headers=as_caller(
        user_id="a", company_id="other", entitlements=frozenset({f"{ADMINISTRATION}@other"})))
    assert other.status_code == 404
    mine = client.get("/identity/users", headers=as_caller(
        user_id="a", company_id="other", entitlements=frozenset({f"{ADMINISTRATION}@other"})))
    assert mine.json == {"items": [], "total": 0}


def test_filters_and_paging_are_validated(client, as_caller, database):
    company = _demo(database)
    headers = as_caller(user_id="a", company_id=company, entitlements=frozenset({f"{ADMINISTRATION}@{company}"}))
    assert client.get("/identity/users?status=active&q=pet", headers=headers).json["total"] == 1
    for query in ("per_page=500", "page=0", "status=sleeping", "page=abc"):
        response = client.get(f"/identity/users?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json["error"]["code"] == "invalid_input"


def test_me_is_ones_own_profile(client, as_caller, database):
    _demo(database)
    from sqlalchemy import select
    from identity.models import User
    with database.sessions() as session:
        user_id = session.scalar(select(User.id).where(User.email == "user@demo.localhost"))
    me = client.get("/identity/me", headers=as_caller(user_id=user_id))
    assert me.status_code == 200 and me.json["company"]["name"] == "Demo Company"
    assert client.get("/identity/me", headers=as_caller(user_id="gone")).status_code == 404


def test_the_demo_declarant_is_made_known_without_a_password_link(database):
    """The demo declarant's password is set: no ``DeclarantIssued`` (it would mail a link), but a
    ``DeclarantRecorded`` with its facts, so that notifications mails its filings; loaded once."""
    import json
    from sqlalchemy import select
    from identity.models import OutboxMessage
    from portalkit.events import CONTRACTS
    company = _demo(database)
    _demo(database)
    with database.sessions() as session:
        bodies = [json.loads(row.body) for row in session.scalars(select(OutboxMessage).where(
            OutboxMessage.routing_key.like("identity.Declarant%")))]
    assert [body["type"] for body in bodies] == ["DeclarantRecorded"]
    facts = CONTRACTS["DeclarantRecorded"]().load(bodies[0]["data"])
    assert (facts["login"], facts["company_id"], facts["role"], facts["email"], facts["language"]) == (
        "demo.declarant", company, "declarant", "declarant@demo.localhost", "fr")
    assert facts["company_name"] == "Demo Company" and "password_token" not in bodies[0]["data"]
