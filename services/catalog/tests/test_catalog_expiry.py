"""The worker's expiry job: subscriptions end on their date, holders and administrators are reminded
before, and a renewal goes through the validation queue. The calendar is the ``today`` fixture."""
from datetime import date, timedelta

import pytest

from catalog import expiry
from catalog.models import Subscription
from catalog.settings import CatalogSettings

INVOICES = "invoice-viewing-service"
END = date(2026, 12, 31)
SETTINGS = CatalogSettings(expiry_interval=60.0, reminder_days=7, expiry_batch=2)


@pytest.fixture
def expiring(client, seeded, activate, administrator, service_id):
    """u1 holds the invoices service until END, granted by boss."""
    activate("boss", company_administrator=True)
    activate("u1", language="fr")
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES), "user_id": "u1",
                                                           "expires_on": END.isoformat()}, headers=administrator("boss"))
    assert response.status_code == 201
    return response.get_json()["id"]


def run(seeded, today, day):
    today.set(day)
    return expiry.run_once(seeded, SETTINGS)


def status(seeded, subscription_id):
    with seeded.sessions() as session:
        return session.get(Subscription, subscription_id).status


def test_a_subscription_ends_on_its_expiry_date(seeded, expiring, today, events, client, signed):
    assert run(seeded, today, END - timedelta(days=1))["expired"] == 0
    assert status(seeded, expiring) == "accepted"
    assert run(seeded, today, END) == {"expired": 1, "reminded": 0}
    assert status(seeded, expiring) == "expired"
    [expired] = events("SubscriptionExpired")
    assert (expired["subscription_id"], expired["service_code"], expired["user_id"]) == (expiring, INVOICES, "u1")
    assert run(seeded, today, END + timedelta(days=1))["expired"] == 0  # ended once
    assert len(events("SubscriptionExpired")) == 1
    mine = client.get("/catalog/subscriptions?status=expired", headers=signed("u1")).get_json()["items"]
    assert [(item["id"], item["reason"]) for item in mine] == [(expiring, "expiry_date")]
    # Subscribing again from the catalog works at once.
    offered = client.get("/catalog/services?q=invoices", headers=signed("u1")).get_json()["items"]
    assert [item["code"] for item in offered] == [INVOICES]


def test_a_late_run_ends_what_was_due_meanwhile(seeded, expiring, today):
    assert run(seeded, today, END + timedelta(days=30))["expired"] == 1


def test_the_job_works_in_batches(client, seeded, expiring, activate, administrator, service_id, today):
    for user_id in ("u2", "u3", "u4"):
        activate(user_id)
        client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES), "user_id": user_id,
                                                    "expires_on": END.isoformat()}, headers=administrator("boss"))
    assert run(seeded, today, END)["expired"] == 4  # two batches of 2


def test_the_holder_and_administrators_are_reminded_seven_days_before_once(seeded, expiring, today, events,
                                                                          reminder_contract):
    assert run(seeded, today, END - timedelta(days=8))["reminded"] == 0
    assert run(seeded, today, END - timedelta(days=7))["reminded"] == 1
    [reminder] = [e for e in events() if "days_left" in e]
    assert reminder_contract().validate(reminder) == {}
    assert (reminder["subscription_id"], reminder["user_id"], reminder["days_left"]) == (expiring, "u1", 7)
    assert reminder["language"] == "fr" and reminder["service_title"] == "Consultation des factures"
    assert reminder["expires_on"] == END.isoformat()
    assert [admin["user_id"] for admin in reminder["administrators"]] == ["boss"]
    assert run(seeded, today, END - timedelta(days=6))["reminded"] == 0


def test_a_renewal_goes_through_the_queue_and_extends_the_subscription(client, seeded, expiring, today, events,
                                                                      signed, administrator, reminder_contract):
    run(seeded, today, END - timedelta(days=7))
    response = client.post(f"/catalog/subscriptions/{expiring}/renewal", headers=signed("u1"))
    assert response.status_code == 200 and response.get_json()["renewal_requested_at"]
    requested = events("SubscriptionRequested")[-1]
    assert requested["renewal"] is True and requested["administrators"][0]["user_id"] == "boss"
    again = client.post(f"/catalog/subscriptions/{expiring}/renewal", headers=signed("u1"))
    assert again.status_code == 200 and len(events("SubscriptionRequested")) == 1  # asked once

    [item] = client.get("/catalog/requests", headers=administrator("boss")).get_json()["items"]
    assert (item["id"], item["kind"], item["expires_on"]) == (expiring, "renewal", END.isoformat())
    response = client.post(f"/catalog/requests/{expiring}/accept", json={"expires_on": "2027-12-31"},
                           headers=administrator("boss"))
    assert response.status_code == 200 and response.get_json()["expires_on"] == "2027-12-31"
    accepted = events("SubscriptionAccepted")[-1]
    assert accepted["renewal"] is True and accepted["expires_on"] == "2027-12-31"
    assert run(seeded, today, END)["expired"] == 0 and status(seeded, expiring) == "accepted"
    assert run(seeded, today, date(2027, 12, 24))["reminded"] == 1  # reminded again before the new end
    response = client.post(f"/catalog/requests/{expiring}/accept", json={}, headers=administrator("boss"))
    assert response.status_code == 409


def test_a_refused_renewal_lets_the_subscription_end_on_its_date(client, seeded, expiring, today, events, signed,
                                                                administrator):
    client.post(f"/catalog/subscriptions/{expiring}/renewal", headers=signed("u1"))
    response = client.post(f"/catalog/requests/{expiring}/refuse", json={"reason": "Budget"},
                           headers=administrator("boss"))
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    refused = events("SubscriptionRefused")[-1]
    assert (refused["renewal"], refused["reason"]) == (True, "Budget")
    assert run(seeded, today, END)["expired"] == 1


def test_renewal_refusals(client, seeded, expiring, signed, administrator):
    assert client.post(f"/catalog/subscriptions/{expiring}/renewal", headers=signed("u2")).status_code == 404
    response = client.post(f"/catalog/subscriptions/{expiring}/renewal",
                           headers=administrator("other", "company-b"))
    assert response.status_code == 404
    community = client.get("/catalog/subscriptions?family=Community", headers=signed("u1")).get_json()["items"][0]
    response = client.post(f"/catalog/subscriptions/{community['id']}/renewal", headers=signed("u1"))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_expiring"
    # The administrator may ask too (from the reminder's link).
    assert client.post(f"/catalog/subscriptions/{expiring}/renewal", headers=administrator("boss")).status_code == 200


def test_the_worker_job_runs_at_its_interval_and_survives_a_failure(monkeypatch, seeded):
    runs = []
    monkeypatch.setattr(expiry, "run_once", lambda database, settings: runs.append(1) or {"expired": 0, "reminded": 0})
    job = expiry.expiry_job(seeded, SETTINGS)
    assert job.seconds == SETTINGS.expiry_interval
    assert job.run_if_due(100.0) and not job.run_if_due(100.0 + SETTINGS.expiry_interval - 1)
    assert len(runs) == 1
    monkeypatch.setattr(expiry, "run_once", lambda database, settings: 1 / 0)
    assert job.run_if_due(100.0 + SETTINGS.expiry_interval)  # logged, not raised: the worker goes on


def test_the_interval_is_a_setting(monkeypatch):
    monkeypatch.setenv("PORTAL_CATALOG_EXPIRY_INTERVAL", "5")
    monkeypatch.setenv("PORTAL_CATALOG_REMINDER_DAYS", "10")
    settings = CatalogSettings.load()
    assert (settings.expiry_interval, settings.reminder_days, settings.expiry_batch) == (5.0, 10, 500)
