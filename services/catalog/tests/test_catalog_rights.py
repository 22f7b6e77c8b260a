"""Rights follow the events at once: the catalog's outbox, folded the way the gateway's entitlement
read-model folds it, grants administration right after the grant and takes it away right after
the cancellation. The end-to-end proof through the gateway is the mesh's test."""
import json
from datetime import date

from sqlalchemy import select

from catalog import expiry
from catalog.models import OutboxMessage
from catalog.settings import CatalogSettings
from portalkit.signed_identity import Identity

COMPANY = "company-a"
ADMINISTRATION = "user-management-administration"
GRANTS, ENDS = {"SubscriptionAccepted"}, {"SubscriptionCancelled", "SubscriptionExpired"}


def in_force(database, user_id) -> Identity:
    """The identity the gateway would sign for ``user_id`` after the events told so far."""
    held: dict[str, str] = {}
    with database.sessions() as session:
        for row in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            envelope = json.loads(row.body)
            data = envelope["data"]
            if data.get("user_id") != user_id:
                continue
            if envelope["type"] in GRANTS:
                held[data["subscription_id"]] = f"{data['service_code']}@{data['scope_company_id']}"
            elif envelope["type"] in ENDS:
                held.pop(data["subscription_id"], None)
    return Identity(user_id=user_id, company_id=COMPANY, entitlements=frozenset(held.values()))


def test_administration_is_held_right_after_the_grant_and_lost_right_after_the_cancellation(
        client, seeded, activate, signed, administrator, service_id):
    activate("boss", company_administrator=True)
    activate("u1")
    assert not in_force(seeded, "u1").holds(ADMINISTRATION)
    requested = client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION)},
                            headers=signed("u1")).get_json()
    assert not in_force(seeded, "u1").holds(ADMINISTRATION)  # a pending request is no right
    client.post(f"/catalog/requests/{requested['id']}/accept", json={}, headers=administrator("boss"))
    assert in_force(seeded, "u1").companies_with(ADMINISTRATION) == {COMPANY}
    client.delete(f"/catalog/subscriptions/{requested['id']}", headers=administrator("boss"))
    assert not in_force(seeded, "u1").holds(ADMINISTRATION)


def test_an_expired_right_is_lost(client, seeded, activate, administrator, service_id, today):
    activate("boss", company_administrator=True)
    activate("u1")
    client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION), "user_id": "u1",
                                                "expires_on": "2026-12-01"}, headers=administrator("boss"))
    assert in_force(seeded, "u1").holds(ADMINISTRATION)
    today.set(date(2026, 12, 1))
    expiry.run_once(seeded, CatalogSettings(expiry_interval=1, reminder_days=7, expiry_batch=10))
    assert not in_force(seeded, "u1").holds(ADMINISTRATION)
