"""The worker's handlers: identity's companies and users become read-models, grants and ends."""
import uuid

import pytest
from sqlalchemy import select

from catalog.grants import ServiceMissing
from catalog.models import Company, Member, Service, Subscription
COMPANY, OTHER_COMPANY = "company-a", "company-b"  # COMPANY is the fixtures' default
ADMINISTRATION = "user-management-administration"


def subscriptions_of(database, user_id):
    """{service code: status} of a user's subscriptions."""
    with database.sessions() as session:
        rows = session.execute(select(Service.code, Subscription.status, Subscription.scope_company_id)
                               .join(Subscription, Subscription.service_id == Service.id)
                               .where(Subscription.user_id == user_id))
        return {code: (status, scope) for code, status, scope in rows}


def automatic_codes(database, level=1):
    with database.sessions() as session:
        return set(session.scalars(select(Service.code).where(
            Service.auto_subscribe.is_(True), Service.needs_contract.is_(False),
            Service.min_security_level <= level)))


def add_service(database, title, **fields):
    from catalog.families import service_code
    with database.transaction() as session:
        service = Service(code=service_code(title), family="Support", title_en=title, **fields)
        session.add(service)
    return service


def test_a_registered_company_is_recorded_and_refreshed(database, handle):
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme", "parent_id": None})
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme SA", "parent_id": None})
    with database.sessions() as session:
        company = session.get(Company, COMPANY)
        assert (company.number, company.name, company.parent_id) == ("C-1", "Acme SA", None)


def test_a_linked_associate_gets_its_parent_even_if_unknown_yet(database, handle):
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": OTHER_COMPANY, "number": "C-2", "name": "Shop"})
    handle("AssociateLinked", {"company_id": COMPANY, "associate_id": OTHER_COMPANY, "associate_name": "Shop"})
    handle("AssociateLinked", {"company_id": COMPANY, "associate_id": "company-c", "associate_name": "Branch"})
    with database.sessions() as session:
        assert session.get(Company, OTHER_COMPANY).parent_id == COMPANY
        branch = session.get(Company, "company-c")
        assert (branch.name, branch.parent_id) == ("Branch", COMPANY)


def test_the_first_administrator_gets_administration_and_the_automatic_services(seeded, activate, events):
    activate("admin", company_administrator=True, language="fr")
    held = subscriptions_of(seeded, "admin")
    expected = automatic_codes(seeded) | {ADMINISTRATION}
    assert set(held) == expected
    assert all(value == ("accepted", COMPANY) for value in held.values())
    # Automatic services needing a contract wait for the contracts read-model.
    assert "notification-on-new-updates-for-download" not in held

    accepted = events("SubscriptionAccepted")
    assert {event["service_code"] for event in accepted} == expected
    administration = next(event for event in accepted if event["service_code"] == ADMINISTRATION)
    assert administration["user_id"] == "admin" and administration["email"] == "admin@example.com"
    assert administration["company_id"] == administration["scope_company_id"] == COMPANY
    assert administration["service_title"] == "Gestion des utilisateurs - Administration"
    assert administration["language"] == "fr"
    assert all(event["automatic"] for event in accepted)  # the portal's own grants: no mail
    with seeded.sessions() as session:
        subscription = session.get(Subscription, administration["subscription_id"])
        assert subscription.status == "accepted" and subscription.decided_at is not None


def test_an_ordinary_user_gets_the_automatic_services_only(seeded, activate):
    activate("user")
    assert set(subscriptions_of(seeded, "user")) == automatic_codes(seeded)


def test_automatic_services_respect_the_security_level(seeded, activate):
    add_service(seeded, "Strong news", auto_subscribe=True, min_security_level=3)
    activate("weak", security_level=1)
    activate("strong", security_level=3)
    assert "strong-news" not in subscriptions_of(seeded, "weak")
    assert "strong-news" in subscriptions_of(seeded, "strong")


def test_a_service_for_one_company_goes_to_its_users_only(seeded, activate):
    add_service(seeded, "Acme news", auto_subscribe=True, scope_company_id=COMPANY)
    activate("ours", company_id=COMPANY)
    activate("theirs", company_id=OTHER_COMPANY)
    assert "acme-news" in subscriptions_of(seeded, "ours")
    assert "acme-news" not in subscriptions_of(seeded, "theirs")


def test_activation_told_twice_grants_once(seeded, activate, events):
    activate("admin", company_administrator=True)
    count = len(events("SubscriptionAccepted"))
    activate("admin", company_administrator=True)  # a second event, with another id
    assert len(events("SubscriptionAccepted")) == count
    with seeded.sessions() as session:
        assert len(session.scalars(select(Subscription).where(Subscription.user_id == "admin")).all()) == count


def test_a_repeated_activation_revives_no_ended_right(seeded, activate, events):
    activate("admin", company_administrator=True)
    with seeded.transaction() as session:
        for subscription in session.scalars(select(Subscription).join(Service).where(
                Service.code.in_([ADMINISTRATION, "community-area"]))):
            subscription.status = "cancelled"  # dropped by the user, ended by another administrator
    count = len(events("SubscriptionAccepted"))
    activate("admin", company_administrator=True)
    held = subscriptions_of(seeded, "admin")
    assert held[ADMINISTRATION][0] == held["community-area"][0] == "cancelled"
    assert len(events("SubscriptionAccepted")) == count


def test_a_pending_request_is_answered_by_the_grant(seeded, activate, events):
    with seeded.transaction() as session:
        service = session.scalar(select(Service).where(Service.code == ADMINISTRATION))
        session.add(Subscription(service_id=service.id, user_id="admin", company_id=COMPANY,
                                 scope_company_id=COMPANY, status="pending"))
    activate("admin", company_administrator=True)
    assert subscriptions_of(seeded, "admin")[ADMINISTRATION] == ("accepted", COMPANY)
    expected = len(automatic_codes(seeded)) + 1
    with seeded.sessions() as session:
        assert len(session.scalars(select(Subscription).where(Subscription.user_id == "admin")).all()) == expected


def test_administration_missing_from_the_catalog_fails_the_event(database, activate):
    with pytest.raises(ServiceMissing, match="catalog.seed"):
        activate("admin", company_administrator=True)
    with database.sessions() as session:
        assert session.get(Member, "admin") is None  # rolled back: the retry starts afresh


def test_an_update_refreshes_the_member_and_ends_services_beyond_the_level(seeded, activate, handle, events,
                                                                         user_data):
    add_service(seeded, "Moderate area", min_security_level=2)
    activate("user", security_level=2)
    with seeded.transaction() as session:
        service = session.scalar(select(Service).where(Service.code == "moderate-area"))
        session.add(Subscription(service_id=service.id, user_id="user", company_id=COMPANY,
                                 scope_company_id=COMPANY, status="accepted"))
    handle("UserUpdated", user_data("user", security_level=1, language="fr", last_name="Dupont"))

    with seeded.sessions() as session:
        member = session.get(Member, "user")
        assert (member.security_level, member.language, member.last_name) == (1, "fr", "Dupont")
    held = subscriptions_of(seeded, "user")
    assert held["moderate-area"] == ("cancelled", COMPANY)
    assert all(status == "accepted" for code, (status, _) in held.items() if code != "moderate-area")
    cancelled = events("SubscriptionCancelled")
    assert [event["service_code"] for event in cancelled] == ["moderate-area"]
    assert cancelled[0]["language"] == "fr"


def test_a_deleted_user_loses_every_subscription(seeded, activate, handle, events):
    activate("user")
    held = subscriptions_of(seeded, "user")
    handle("UserDeleted", {"user_id": "user", "email": "user@example.com", "company_id": COMPANY})
    assert {status for status, _ in subscriptions_of(seeded, "user").values()} == {"cancelled"}
    assert {event["service_code"] for event in events("SubscriptionCancelled")} == set(held)
    with seeded.sessions() as session:
        assert session.get(Member, "user") is None


def test_deleting_an_unknown_user_changes_nothing(seeded, handle, events):
    handle("UserDeleted", {"user_id": str(uuid.uuid4()), "email": None, "company_id": COMPANY})
    assert events() == []


def test_every_event_routed_to_the_catalog_has_a_handler():
    from catalog.handlers import HANDLERS
    from portalkit.topology import SUBSCRIPTIONS
    assert set(HANDLERS) == set(SUBSCRIPTIONS["catalog"])
