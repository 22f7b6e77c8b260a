"""The Planning of services pages inside the real gateway app, assets faked over HTTP: the month
calendar (today marked, a day with a service marked and linked, previous/next month) and the list
beside it, in French; a service's details with its .ics link; the feed link (assets' generic feed
link of purpose "planning") shown once, and its feed served at /feeds/planning/<secret>.ics as its
user; 404 for a service that is not the visitor's; the operators' list, plan form and cancellation."""
from __future__ import annotations

import json
import re
from datetime import date

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "ruth@client.test", "display_name": "Ruth Martin", "language": "fr",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
OPERATOR = {**USER, "id": "op1", "email": "op@vendor.test", "display_name": "Olga Operator", "operator": True,
            "company": None}
TODAY = date.today()
MONTH = TODAY.strftime("%Y-%m")
DAY = TODAY.replace(day=10) if TODAY.day != 10 else TODAY.replace(day=11)
SERVICE = {"id": "i1", "company": {"id": "c1", "name": "Durand Industries"}, "kind": "training",
           "subject": "Clôture de paie", "starts_at": f"{DAY.isoformat()}T09:00:00+01:00",
           "ends_at": f"{DAY.isoformat()}T12:30:00+01:00", "time_zone": "Europe/Paris", "place": None,
           "meeting_url": "https://meet.example.com/x", "access_code": "4711", "consultant": "Ann Smith",
           "order_number": "PO-7", "recipient": {"user_id": "u1", "name": "Ruth Martin"},
           "contact": {"user_id": "u2", "name": "Carl Roux"}, "status": "planned", "cancellation_reason": None,
           "role": "recipient", "ics_url": "/api/assets/planning/i1.ics"}


def sign_in(client, services, user=USER):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": user["email"], "password": "Portal-Access-93", "csrf_token": token})


def month_answer(items):
    # UTC: the page's today is the company's, and the test's today is UTC's.
    return lambda seen: (200, {"month": MONTH, "time_zone": "UTC", "items": items, "total": len(items),
                               "starts_at": f"{MONTH}-01T00:00:00+01:00", "ends_at": ""})


def test_the_month_calendar_and_list_in_french(client, services):
    assets = services["assets"]
    assets.routes[("GET", "/assets/planning")] = month_answer([SERVICE])
    assets.routes[("GET", "/assets/feed-links/planning")] = lambda seen: (
        404, {"error": {"code": "not_found", "message": ""}})
    sign_in(client, services)
    page = client.get(f"/planning?month={MONTH}&day={DAY.isoformat()}").get_data(as_text=True)
    assert "Planning des prestations" in page and "fuseau horaire de la société\u00a0: UTC" in page
    assert re.search(rf'class="[^"]*today[^"]*"\s+aria-current="date" data-day="{TODAY.isoformat()}"', page)
    assert re.search(rf'class="[^"]*has-service[^"]*" data-day="{DAY.isoformat()}"', page)
    assert f'href="/planning?month={MONTH}&amp;day={DAY.isoformat()}"' in page
    assert 'href="/planning/i1"' in page and "09:00" in page and "Clôture de paie" in page
    assert "Mois précédent" in page and "Mois suivant" in page and "Liste du mois" in page
    assert "Obtenir mon lien d’agenda" in page
    assert any(seen.path == "/assets/planning" and f"month={MONTH}" in seen.query for seen in assets.received)
    # Previous month: its own query; a malformed month goes back to this one.
    client.get("/planning?month=2026-01")
    assert "month=2026-01" in assets.received[-2].query or "month=2026-01" in assets.received[-1].query
    assert client.get("/planning?month=2026-13").headers["Location"].endswith("/planning")


def test_no_service_says_so_and_the_menu_always_shows_the_planning(client, services):
    services["assets"].routes[("GET", "/assets/planning")] = month_answer([])
    sign_in(client, services)
    page = client.get("/planning").get_data(as_text=True)
    assert "Aucune prestation planifiée ce mois-ci." in page
    assert '<li><a href="/planning">Planning des prestations</a></li>' in client.get("/profile").get_data(as_text=True) or \
        'href="/planning"' in page


def test_the_details_page_links_the_ics_and_renews_the_feed(client, services):
    assets = services["assets"]
    assets.routes[("GET", "/assets/planning/i1")] = lambda seen: (200, SERVICE)
    assets.routes[("GET", "/assets/planning/other")] = lambda seen: (404, {"error": {"code": "not_found", "message": "No."}})
    assets.routes[("GET", "/assets/feed-links/planning")] = lambda seen: (200, {
        "purpose": "planning", "created_at": "2026-11-30T10:00:00+00:00", "last_read_at": None})
    assets.routes[("POST", "/assets/feed-links/planning")] = lambda seen: (201, {
        "purpose": "planning", "created_at": "2026-12-02T10:00:00+00:00", "last_read_at": None,
        "secret": "s3cret", "path": "/feeds/planning/s3cret.ics"})
    sign_in(client, services)
    page = client.get("/planning/i1").get_data(as_text=True)
    assert "Formation" in page and "4711" in page and "Carl Roux" in page and "Europe/Paris" in page
    assert 'href="/api/assets/planning/i1.ics"' in page and "Renouveler le lien" in page
    assert client.get("/planning/other").status_code == 404
    token = CSRF.search(page).group(1)
    shown = client.post("/planning/feed-link", data={"csrf_token": token}).get_data(as_text=True)
    assert re.search(r'value="https?://[^"/]+/feeds/planning/s3cret\.ics"', shown)
    assert re.search(r'href="webcal://[^"/]+/feeds/planning/s3cret\.ics"', shown)
    assert any(seen.method == "POST" and seen.path == "/assets/feed-links/planning" for seen in assets.received)
    assert client.post("/planning/feed-link", data={}).status_code in (400, 403)  # no CSRF token


def test_the_planning_feed_is_served_by_its_secret_link_as_its_user(client, services):
    assets = services["assets"]

    def resolved(seen):
        body = json.loads(seen.body)
        if body == {"purpose": "planning", "secret": "s3cret"}:
            return 200, {"user_id": "u1", "company_id": "c1", "language": "fr", "purpose": "planning"}
        return 404, {"error": {"code": "not_found", "message": ""}}
    assets.routes[("POST", "/_portal/feed-links/resolve")] = resolved
    from werkzeug.wrappers import Response
    assets.routes[("GET", "/assets/planning/feed.ics")] = lambda seen: Response(
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 200, content_type="text/calendar; charset=utf-8")
    anonymous = client.application.test_client()
    feed = anonymous.get("/feeds/planning/s3cret.ics")
    assert feed.status_code == 200 and feed.data.startswith(b"BEGIN:VCALENDAR")
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert 'filename="planning.ics"' in feed.headers["Content-Disposition"]
    from portalkit.signed_identity import verify
    from portalkit.settings import identity_secret
    reader = verify(assets.last.headers["X-Portal-Identity"], identity_secret())
    assert assets.last.path == "/assets/planning/feed.ics"
    assert (reader.user_id, reader.company_id, reader.language) == ("u1", "c1", "fr")
    assert anonymous.get("/feeds/planning/wrong.ics").status_code == 404
    assert anonymous.get("/feeds/release-calendar/s3cret.ics").status_code == 404
    # The user was deleted (assets answers 404 for their feed): the link answers as if it did not exist.
    assets.routes[("GET", "/assets/planning/feed.ics")] = lambda seen: (404, {"error": {"code": "not_found",
                                                                                         "message": ""}})
    assert anonymous.get("/feeds/planning/s3cret.ics").status_code == 404


def test_operators_list_plan_and_cancel(client, services):
    assets, identity = services["assets"], services["identity"]
    assets.routes[("GET", "/operator/interventions")] = lambda seen: (200, {"items": [SERVICE], "total": 1})
    assets.routes[("GET", "/operator/interventions/i1")] = lambda seen: (200, SERVICE)
    identity.routes[("GET", "/operator/companies")] = lambda seen: (200, {"items": [
        {"id": "c1", "number": "C1", "name": "Durand Industries"}], "total": 1})
    identity.routes[("GET", "/operator/companies/c1/users")] = lambda seen: (200, {"items": [
        {"id": "u1", "display_name": "Ruth Martin", "email": "ruth@client.test"}], "total": 1})

    def plan(seen):
        body = json.loads(seen.body)
        if body.get("ends_at", "") <= body.get("starts_at", ""):
            return 400, {"error": {"code": "invalid_input", "message": "Bad.", "fields": {"ends_at": ["A service ends after it starts."]}}}
        return 201, SERVICE
    assets.routes[("POST", "/operator/interventions")] = plan
    assets.routes[("POST", "/operator/interventions/i1/cancel")] = lambda seen: (200, {**SERVICE, "status": "cancelled"})
    sign_in(client, services, OPERATOR)
    listing = client.get("/operator/planning?kind=training").get_data(as_text=True)
    assert "Planning des prestations" in listing and "Durand Industries" in listing and "Clôture de paie" in listing
    assert any(seen.path == "/operator/interventions" and "kind=training" in seen.query for seen in assets.received)
    form = client.get("/operator/planning/new?company_id=c1").get_data(as_text=True)
    assert "Ruth Martin &lt;ruth@client.test&gt;" in form
    token = CSRF.search(form).group(1)
    fields = {"company_id": "c1", "recipient_id": "u1", "kind": "training", "starts_at": "2027-03-10T09:00",
              "ends_at": "2027-03-10T08:00", "meeting_url": "https://meet.example.com/x", "csrf_token": token}
    refused = client.post("/operator/planning/new", data=fields)
    assert refused.status_code == 400 and "A service ends after it starts." in refused.get_data(as_text=True)
    done = client.post("/operator/planning/new", data={**fields, "ends_at": "2027-03-10T12:00"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/operator/planning?done=planned")
    assert json.loads(assets.last.body)["starts_at"] == "2027-03-10T09:00"
    cancelled = client.post("/operator/planning/i1/cancel", data={"reason": "Malade", "csrf_token": token})
    assert cancelled.status_code == 303 and json.loads(assets.last.body) == {"reason": "Malade"}


def test_a_user_is_refused_the_operators_planning(client, services):
    sign_in(client, services)
    assert client.get("/operator/planning").status_code == 403
