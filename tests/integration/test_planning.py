"""The planning of services through the gateway, on both backends: an operator plans a training;
its recipient and the order's contact see it in the month (in the company's time zone, stated),
a colleague, the company's administrator and another company get 404 everywhere; the .ics parses
with the right TZID; the secret feed (a feed link of purpose "planning", <base>/feeds/planning/<secret>.ics)
opens without sign-in, holds only the user's services, and renewing kills the old link at once;
moving and cancelling mail both people (old and new times, the .ics attached); bad input is 400."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
import requests
from icalendar import Calendar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register  # noqa: E402
from meshtools import mail_text  # noqa: E402

pytestmark = pytest.mark.mesh
MONTH = "2027-03"
FEED_LINK = "/api/assets/feed-links/planning"


def _ok(answer, status: int = 200) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


def _user(mesh, admin, tag: str, first_name: str, language: str = "en") -> tuple[str, str, requests.Session]:
    email = f"{first_name.lower()}-{tag}@alpha.test"
    user = _ok(admin.post(mesh.url("/api/identity/users"), timeout=10, json={
        "email": email, "title": "MME", "last_name": "Planned", "first_name": first_name, "language": language,
        "function": "Accountant", "office_phone": "", "mobile_phone": "", "security_level": 1}), 201)
    session = activate(mesh, email, first_name)
    if language != "en":
        _ok(session.patch(mesh.url("/api/identity/me"), json={"language": language}, timeout=10))
    return user["id"], email, session


@pytest.fixture(scope="module")
def scene(mesh):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    a, b = register(mesh, operator, tag, "Alpha", "Anna"), register(mesh, operator, tag, "Beta", "Bruno")
    admin_a, admin_b = activate(mesh, a["email"], "Anna"), activate(mesh, b["email"], "Bruno")
    ruth = _user(mesh, admin_a, tag, "Ruth", "fr")
    carl = _user(mesh, admin_a, tag, "Carl")
    colin = _user(mesh, admin_a, tag, "Colin")
    return {"tag": tag, "operator": operator, "a": a["company"]["id"], "b": b["company"]["id"],
            "admin_a": admin_a, "admin_b": admin_b, "ruth": ruth, "carl": carl, "colin": colin,
            "bruno_id": _ok(admin_b.get(mesh.url("/api/identity/me"), timeout=10))["id"]}


def _plan(mesh, scene, **body):
    return scene["operator"].post(mesh.url("/api/operator/interventions"), timeout=30, json={
        "company_id": scene["a"], "recipient_id": scene["ruth"][0], "contact_id": scene["carl"][0],
        "kind": "training", "subject": f"Payroll {scene['tag']}", "starts_at": "2027-03-10T09:00:00+01:00",
        "ends_at": "2027-03-10T12:30:00+01:00", "meeting_url": "https://meet.example.com/pay",
        "access_code": "4711", "consultant": "Ann Smith", "order_number": f"PO-{scene['tag']}", **body})


def test_only_the_recipient_and_the_contact_see_a_planned_training(mesh, scene):
    planned = _ok(_plan(mesh, scene), 201)
    assert (planned["starts_at"], planned["time_zone"]) == ("2027-03-10T09:00:00+01:00", "Europe/Paris")
    for (user_id, _email, session), role in ((scene["ruth"], "recipient"), (scene["carl"], "contact")):
        month = _ok(session.get(mesh.url("/api/assets/planning"), params={"month": MONTH}, timeout=10))
        assert month["time_zone"] == "Europe/Paris" and month["starts_at"] == "2027-03-01T00:00:00+01:00"
        assert [(item["id"], item["role"]) for item in month["items"]] == [(planned["id"], role)]
        detail = _ok(session.get(mesh.url(f"/api/assets/planning/{planned['id']}"), timeout=10))
        assert (detail["access_code"], detail["recipient"]["user_id"]) == ("4711", scene["ruth"][0])
    assert _ok(scene["ruth"][2].get(mesh.url("/api/assets/planning"), params={"month": "2027-04"},
                                    timeout=10))["total"] == 0
    for session in (scene["colin"][2], scene["admin_a"], scene["admin_b"]):
        assert _ok(session.get(mesh.url("/api/assets/planning"), params={"month": MONTH}, timeout=10))["total"] == 0
        for path in (f"/api/assets/planning/{planned['id']}", f"/api/assets/planning/{planned['id']}.ics"):
            answer = session.get(mesh.url(path), timeout=10)
            assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found", path
    assert requests.get(mesh.url(f"/api/assets/planning/{planned['id']}"), timeout=10).status_code == 401
    # The recipient and the contact are each mailed, in their language, the .ics attached.
    told = mesh.wait_for_mail(scene["ruth"][1], containing=f"Payroll {scene['tag']}")
    assert told["Subject"].startswith("Formation planifiée") and "(Europe/Paris)" in told["Subject"]
    [attachment] = list(told.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_param("method") == "PUBLISH"
    assert "As the order's contact" in mail_text(mesh.wait_for_mail(scene["carl"][1], containing=f"PO-{scene['tag']}"))


def test_the_ics_and_the_secret_feed(mesh, scene):
    planned = _ok(_plan(mesh, scene, kind="on_site", place="Lyon office", meeting_url=None,
                        starts_at="2027-03-15T14:00:00+01:00", ends_at="2027-03-15T17:00:00+01:00"), 201)
    ruth = scene["ruth"][2]
    answer = ruth.get(mesh.url(f"/api/assets/planning/{planned['id']}.ics"), timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(answer.content)
    assert str(parsed["method"]) == "PUBLISH"
    [event] = parsed.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtstart").isoformat() == "2027-03-15T14:00:00+01:00"
    assert [str(zone["tzid"]) for zone in parsed.walk("VTIMEZONE")] == ["Europe/Paris"]

    link = _ok(ruth.post(mesh.url(FEED_LINK), timeout=10), 201)
    assert link["path"] == f"/feeds/planning/{link['secret']}.ics"
    assert _ok(ruth.get(mesh.url(FEED_LINK), timeout=10))["purpose"] == "planning"
    first = mesh.url(link["path"])
    feed = requests.get(first, timeout=10)  # no sign-in: the secret is the key
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar"), feed.text
    events = {str(e["uid"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert f"{planned['id']}@planning" in events
    assert str(events[f"{planned['id']}@planning"]["summary"]).startswith("Intervention sur site")  # Ruth's French
    assert _ok(ruth.get(mesh.url(FEED_LINK), timeout=10))["last_read_at"]
    renewed = mesh.url(_ok(ruth.post(mesh.url(FEED_LINK), timeout=10), 201)["path"])
    assert requests.get(first, timeout=10).status_code == 404
    assert requests.get(renewed, timeout=10).status_code == 200
    # Colin's feed holds none of Ruth's services.
    colins = mesh.url(_ok(scene["colin"][2].post(mesh.url(FEED_LINK), timeout=10), 201)["path"])
    assert Calendar.from_ical(requests.get(colins, timeout=10).content).walk("VEVENT") == []
    # The old planning-only routes are gone.
    assert ruth.post(mesh.url("/api/assets/planning/feed-link"), timeout=10).status_code in (404, 405)


def test_moving_and_cancelling_mail_both(mesh, scene):
    tag = f"move-{scene['tag']}"
    planned = _ok(_plan(mesh, scene, subject=tag), 201)
    moved = _ok(scene["operator"].patch(mesh.url(f"/api/operator/interventions/{planned['id']}"), timeout=30, json={
        "starts_at": "2027-03-11T14:00:00+01:00", "ends_at": "2027-03-11T17:00:00+01:00"}))
    assert moved["starts_at"] == "2027-03-11T14:00:00+01:00"
    mail = mesh.wait_for_mail(scene["carl"][1], containing="it is now from", subject=None)
    text = mail_text(mail).replace("\n", " ")
    assert "March 10, 2027 at 9:00" in text and "March 11, 2027 at 2:00" in text and tag in text
    french = mesh.wait_for_mail(scene["ruth"][1], containing="désormais")
    assert "11 mars 2027" in mail_text(french).replace("\n", " ")

    cancelled = _ok(scene["operator"].post(mesh.url(f"/api/operator/interventions/{planned['id']}/cancel"),
                                           json={"reason": f"Consultant ill {tag}"}, timeout=30))
    assert cancelled["status"] == "cancelled"
    for email in (scene["ruth"][1], scene["carl"][1]):
        gone = mesh.wait_for_mail(email, containing=f"Consultant ill {tag}")
        [attachment] = list(gone.iter_attachments())
        assert attachment.get_param("method") == "CANCEL"
        assert [str(e["status"]) for e in Calendar.from_ical(attachment.get_content()).walk("VEVENT")] == ["CANCELLED"]
    ics = Calendar.from_ical(scene["ruth"][2].get(mesh.url(f"/api/assets/planning/{planned['id']}.ics"), timeout=10).content)
    assert [str(e["status"]) for e in ics.walk("VEVENT")] == ["CANCELLED"]
    # Each step is in the company's trail on the operator's next request.
    trail = _ok(scene["operator"].get(mesh.url(f"/api/operator/companies/{scene['a']}/trail"),
                                      params={"per_page": 50}, timeout=10))["items"]
    steps = [item["action"] for item in trail if item["target_id"] == planned["id"]]
    assert steps == ["intervention_cancelled", "intervention_changed", "intervention_planned"], steps
    again = scene["operator"].post(mesh.url(f"/api/operator/interventions/{planned['id']}/cancel"), json={}, timeout=10)
    assert again.status_code == 409 and again.json()["error"]["code"] == "intervention_cancelled"


def test_bad_input_and_rights(mesh, scene):
    before = _ok(scene["operator"].get(mesh.url("/api/operator/interventions"),
                                       params={"company_id": scene["a"], "per_page": 200}, timeout=10))["total"]
    for body, field in (({"ends_at": "2027-03-10T08:00:00+01:00"}, "ends_at"),
                        ({"recipient_id": scene["bruno_id"]}, "recipient_id"),
                        ({"recipient_id": "no-such-user"}, "recipient_id"),
                        ({"contact_id": scene["bruno_id"]}, "contact_id"),
                        ({"kind": "party"}, "kind"), ({"starts_at": "soon"}, "starts_at")):
        answer = _plan(mesh, scene, **body)
        assert answer.status_code == 400 and field in answer.json()["error"]["fields"], (body, answer.text)
    assert _ok(scene["operator"].get(mesh.url("/api/operator/interventions"),
                                     params={"company_id": scene["a"], "per_page": 200}, timeout=10))["total"] == before
    for month in ("2027-13", "27-03", "march"):
        answer = scene["ruth"][2].get(mesh.url("/api/assets/planning"), params={"month": month}, timeout=10)
        assert answer.status_code == 400 and "month" in answer.json()["error"]["fields"], month
    assert scene["admin_a"].post(mesh.url("/api/operator/interventions"), json={}, timeout=10).status_code == 403
    assert requests.get(mesh.url("/feeds/planning/not-a-secret.ics"), timeout=10).status_code == 404
    assert requests.get(mesh.url("/api/assets/planning/feed.ics"), timeout=10).status_code == 401
    assert scene["operator"].post(mesh.url(FEED_LINK), timeout=10).status_code == 403
