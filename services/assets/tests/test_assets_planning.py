"""The planning of services: operators plan, move, edit and cancel; only the recipient and the
order's contact see a service (404 for anyone else), by month in the company's time zone, as an
.ics and in their secret feed."""
from __future__ import annotations

from icalendar import Calendar

import pytest


@pytest.fixture
def world(handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C2", "name": "Other"})
    for user, company, language in (("u1", "c1", "fr"), ("u2", "c1", "en"), ("u3", "c1", "en"), ("x1", "c2", "en")):
        handle("UserCreated", {"user_id": user, "company_id": company, "email": f"{user}@example.com",
                               "first_name": user.upper(), "last_name": "Doe", "language": language})


def plan(client, operator, **body):
    return client.post("/operator/interventions", headers=operator, json={
        "company_id": "c1", "recipient_id": "u1", "contact_id": "u2", "kind": "training",
        "subject": "Payroll", "starts_at": "2026-12-03T09:00:00+01:00", "ends_at": "2026-12-03T12:00:00+01:00",
        "meeting_url": "https://meet.example.com/abc", "access_code": "1234", "consultant": "Ann",
        "order_number": "PO-7", **body})


def test_a_planned_service_is_seen_by_its_recipient_and_contact_only(client, world, operator, signed, events):
    planned = plan(client, operator)
    assert planned.status_code == 201, planned.get_json()
    item = planned.get_json()
    assert (item["starts_at"], item["time_zone"], item["status"]) == ("2026-12-03T09:00:00+01:00", "Europe/Paris", "planned")
    kind, data = events()[-1]
    assert kind == "InterventionPlanned"
    assert (data["recipient"]["email"], data["contact"]["language"], data["access_code"]) == ("u1@example.com", "en", "1234")
    assert data["starts_at"] == "2026-12-03T08:00:00+00:00"

    for user, role in (("u1", "recipient"), ("u2", "contact")):
        month = client.get("/assets/planning?month=2026-12", headers=signed(user, "c1"))
        body = month.get_json()
        assert (body["total"], body["time_zone"], body["items"][0]["role"]) == (1, "Europe/Paris", role)
        assert body["starts_at"] == "2026-12-01T00:00:00+01:00"
        assert client.get(f"/assets/planning/{item['id']}", headers=signed(user, "c1")).status_code == 200
    assert client.get("/assets/planning?month=2026-11", headers=signed("u1", "c1")).get_json()["total"] == 0
    admin = signed("u3", "c1", entitlements=frozenset({"user-management-administration@c1"}))
    for headers in (signed("u3", "c1"), admin, signed("x1", "c2")):
        assert client.get("/assets/planning?month=2026-12", headers=headers).get_json()["total"] == 0
        assert client.get(f"/assets/planning/{item['id']}", headers=headers).status_code == 404
        assert client.get(f"/assets/planning/{item['id']}.ics", headers=headers).status_code == 404


def test_the_ics_names_the_company_time_zone_and_a_cancellation(client, world, operator, signed):
    item = plan(client, operator, kind="on_site", place="Lyon office", meeting_url=None).get_json()
    answer = client.get(f"/assets/planning/{item['id']}.ics", headers=signed("u1", "c1", language="fr"))
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    parsed = Calendar.from_ical(answer.data)
    assert str(parsed["method"]) == "PUBLISH"
    [event] = parsed.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtstart").isoformat() == "2026-12-03T09:00:00+01:00"
    assert str(event["summary"]) == "Intervention sur site: Payroll" and str(event["location"]) == "Lyon office"
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Paris"]
    cancelled = client.post(f"/operator/interventions/{item['id']}/cancel", json={"reason": "Sick"}, headers=operator)
    assert cancelled.get_json()["status"] == "cancelled"
    [event] = Calendar.from_ical(client.get(f"/assets/planning/{item['id']}.ics",
                                            headers=signed("u1", "c1")).data).walk("VEVENT")
    assert (str(event["status"]), int(event["sequence"])) == ("CANCELLED", 1)
    again = client.post(f"/operator/interventions/{item['id']}/cancel", headers=operator)
    assert again.status_code == 409


def test_moving_tells_the_previous_times(client, world, operator, events):
    item = plan(client, operator).get_json()
    moved = client.patch(f"/operator/interventions/{item['id']}", headers=operator,
                         json={"starts_at": "2026-12-04T14:00:00", "ends_at": "2026-12-04T17:00:00"})
    assert moved.status_code == 200 and moved.get_json()["starts_at"] == "2026-12-04T14:00:00+01:00"
    kind, data = events()[-1]
    assert (kind, data["previous_starts_at"], data["starts_at"]) == (
        "InterventionChanged", "2026-12-03T08:00:00+00:00", "2026-12-04T13:00:00+00:00")
    assert client.patch(f"/operator/interventions/{item['id']}", headers=operator,
                        json={"starts_at": "2026-12-04T14:00:00"}).status_code == 200
    assert len(events()) == 2  # nothing changed: nothing told
    bad = client.patch(f"/operator/interventions/{item['id']}", headers=operator, json={"ends_at": "2026-12-04T13:00:00"})
    assert bad.status_code == 400 and "ends_at" in bad.get_json()["error"]["fields"]


@pytest.mark.parametrize("body, field", [
    ({"ends_at": "2026-12-03T08:00:00+01:00"}, "ends_at"),
    ({"recipient_id": "x1"}, "recipient_id"),
    ({"recipient_id": "nobody"}, "recipient_id"),
    ({"contact_id": "x1"}, "contact_id"),
    ({"company_id": "c9"}, "company_id"),
    ({"kind": "party"}, "kind"),
    ({"meeting_url": "javascript:alert(1)"}, "meeting_url"),
    ({"meeting_url": None}, "place"),
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
    ({"ends_at": "9999-12-31T23:59:59-12:00"}, "ends_at"),
    ({"subject": "two\nlines"}, "subject"),
])
def test_bad_input_is_refused_with_nothing_stored(client, world, operator, events, body, field):
    answer = plan(client, operator, **body)
    assert answer.status_code == 400, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert events() == []


def test_a_malformed_month_is_400_and_only_operators_plan(client, world, operator, signed):
    for month in ("2026-13", "2026-1", "december", "0000-01"):
        answer = client.get(f"/assets/planning?month={month}", headers=signed("u1", "c1"))
        assert answer.status_code == 400 and "month" in answer.get_json()["error"]["fields"]
    assert plan(client, signed("u1", "c1")).status_code == 403
    assert client.get("/assets/planning", headers=signed(None)).status_code == 401


def test_the_feed_opens_with_its_secret_and_renewing_kills_the_old_one(client, world, operator, signed, handle):
    first = plan(client, operator).get_json()
    plan(client, operator, recipient_id="u3", contact_id=None)
    ruth, anonymous = signed("u1", "c1", language="fr"), signed(None)
    # Any user of a company has a planning link (no service needed): the generic feed link.
    link = client.post("/assets/feed-links/planning", headers=ruth)
    assert link.status_code == 201
    made = link.get_json()
    assert made["purpose"] == "planning" and made["path"] == f"/feeds/planning/{made['secret']}.ics"
    assert client.post("/assets/feed-links/planning", headers=operator).status_code == 403
    # The gateway resolves the secret without sign-in, then reads the feed as the link's user.
    assert _resolve(client, anonymous, made["secret"]).get_json()["user_id"] == "u1"
    feed = client.get("/assets/planning/feed.ics", headers=ruth)
    assert feed.status_code == 200 and feed.content_type.startswith("text/calendar")
    parsed = Calendar.from_ical(feed.data)
    assert [str(e["uid"]) for e in parsed.walk("VEVENT")] == [f"{first['id']}@planning"]  # not u3's service
    assert str(parsed.walk("VEVENT")[0]["summary"]) == "Formation: Payroll"  # in the user's language
    assert client.get("/assets/planning/feed.ics", headers=anonymous).status_code == 401
    assert client.get("/assets/feed-links/planning", headers=ruth).get_json()["purpose"] == "planning"
    renewed = client.post("/assets/feed-links/planning", headers=ruth).get_json()["secret"]
    assert _resolve(client, anonymous, made["secret"]).status_code == 404
    assert _resolve(client, anonymous, renewed).status_code == 200
    assert _resolve(client, anonymous, "nothing").status_code == 404
    assert client.post(RESOLVE, json={"purpose": "release_calendar", "secret": renewed},
                       headers=anonymous).status_code == 404
    # Another person's feed never holds Ruth's services.
    assert [str(e["uid"]) for e in Calendar.from_ical(client.get(
        "/assets/planning/feed.ics", headers=signed("x1", "c2")).data).walk("VEVENT")] == []
    handle("UserDeleted", {"user_id": "u1", "company_id": "c1", "email": "u1@example.com"})
    assert client.get("/assets/planning/feed.ics", headers=ruth).status_code == 404  # the gateway's 404 too


RESOLVE = "/_portal/feed-links/resolve"


def _resolve(client, anonymous, secret):
    return client.post(RESOLVE, json={"purpose": "planning", "secret": secret}, headers=anonymous)


def test_operators_list_by_company_kind_and_days(client, world, operator):
    plan(client, operator)
    plan(client, operator, kind="on_site", place="Site", starts_at="2027-01-10T09:00:00+01:00",
         ends_at="2027-01-10T10:00:00+01:00")
    listed = client.get("/operator/interventions?kind=on_site", headers=operator).get_json()
    assert listed["total"] == 1 and listed["items"][0]["recipient"]["name"] == "U1 Doe"
    assert client.get("/operator/interventions?from=2027-01-01&to=2027-01-31", headers=operator).get_json()["total"] == 1
    assert client.get("/operator/interventions?company_id=c2", headers=operator).get_json()["total"] == 0
