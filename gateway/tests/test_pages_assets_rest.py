"""The rest of issue 11's pages against faked services: the product and holding edit forms, a
contract's holdings on the company page, a supervisor's company picker on Your IT assets, the
secret calendar link on Downloads and its feed, SOLUTIONS in the header and the IT assets tile."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COMPANY = {"id": "c9", "number": "N-9", "name": "Horizon", "postcode": "69001", "city": "Lyon", "parent_id": None}
PRODUCT = {"id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software", "brand": "Etafi",
           "domain": "HR", "serializable": True, "major_version": 4, "retired_at": None}
HOLDING = {"id": "h1", "company_id": "c9", "product_id": "p1", "quantity": 2, "machine_id": "PC-1", "removed_at": None,
           "product": {"id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software"}}


def _operator(client, open_session):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op"))


def _token(page: str) -> str:
    return CSRF.search(page).group(1)


def test_an_operator_modifies_a_product(client, services, open_session):
    sent = []
    assets = services["assets"]
    assets.routes[("GET", "/operator/products/p1")] = lambda seen: (200, PRODUCT)
    assets.routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})
    answers = [(409, {"error": {"code": "product_retired", "message": "x"}}), (200, PRODUCT)]

    def patched(seen):
        sent.append(json.loads(seen.body))
        return answers.pop(0)
    assets.routes[("PATCH", "/operator/products/p1")] = patched
    _operator(client, open_session)
    assert 'href="/operator/products/p1/edit"' in client.get("/operator/products").get_data(as_text=True)
    form = client.get("/operator/products/p1/edit").get_data(as_text=True)
    assert 'value="Payroll"' in form and 'value="4"' in form and "checked" in form
    token = _token(form)
    bad = client.post("/operator/products/p1/edit", data={"csrf_token": token, "name_en": "", "name_fr": "Paie",
                                                          "kind": "software"})
    assert bad.status_code == 400 and not sent
    values = {"csrf_token": token, "name_en": "Payroll 2", "name_fr": "Paie 2", "kind": "software", "brand": "Etafi",
              "domain": "HR", "major_version": "5"}
    retired = client.post("/operator/products/p1/edit", data=values)
    assert retired.status_code == 409 and "This product is retired" in retired.get_data(as_text=True)
    done = client.post("/operator/products/p1/edit", data=values)
    assert done.status_code == 303 and done.headers["Location"] == "/operator/products?done=changed"
    assert sent[-1] == {"name_en": "Payroll 2", "name_fr": "Paie 2", "kind": "software", "brand": "Etafi",
                        "domain": "HR", "serializable": False, "major_version": 5}
    assets.routes[("GET", "/operator/products/zz")] = lambda seen: (404, {"error": {"code": "not_found", "message": ""}})
    assert client.get("/operator/products/zz/edit").status_code == 404


def test_an_operator_modifies_a_companys_holding(client, services, open_session):
    sent = []
    services["identity"].routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": COMPANY, "parent": None, "associates": [], "user_count": 1})
    assets = services["assets"]
    assets.routes[("GET", "/operator/holdings/h1")] = lambda seen: (200, HOLDING)
    assets.routes[("GET", "/operator/holdings")] = lambda seen: (200, {"items": [HOLDING], "total": 1})
    answers = [(409, {"error": {"code": "identifier_set", "message": "x", "fields": {"machine_id": ["x"]}}}),
               (200, HOLDING)]

    def patched(seen):
        sent.append(json.loads(seen.body))
        return answers.pop(0)
    assets.routes[("PATCH", "/operator/holdings/h1")] = patched
    _operator(client, open_session)
    listed = client.get("/operator/companies/c9/holdings").get_data(as_text=True)
    assert 'href="/operator/companies/c9/holdings/h1/edit"' in listed
    form = client.get("/operator/companies/c9/holdings/h1/edit").get_data(as_text=True)
    assert 'value="PC-1"' in form and 'value="2"' in form
    token = _token(form)
    bound = client.post("/operator/companies/c9/holdings/h1/edit",
                        data={"csrf_token": token, "quantity": "3", "machine_id": "PC-2"})
    assert bound.status_code == 409 and "identifier change request" in bound.get_data(as_text=True)
    done = client.post("/operator/companies/c9/holdings/h1/edit",
                       data={"csrf_token": token, "quantity": "3", "machine_id": ""})
    assert done.status_code == 303 and done.headers["Location"] == "/operator/companies/c9/holdings?done=changed"
    assert sent == [{"quantity": 3, "machine_id": "PC-2"}, {"quantity": 3, "machine_id": None}]
    # Another company's holding is not edited through this company's page.
    assert client.get("/operator/companies/c8/holdings/h1/edit").status_code == 404
    assert client.post("/operator/companies/c8/holdings/h1/edit",
                       data={"csrf_token": token, "quantity": "1"}).status_code == 404


def test_a_contract_names_the_holdings_ticked(client, services, open_session):
    sent = []
    services["identity"].routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": COMPANY, "parent": None, "associates": [], "user_count": 1})
    assets = services["assets"]
    other = {**HOLDING, "id": "h2", "machine_id": None,
             "product": {**HOLDING["product"], "code": "SCAN", "name_en": "Scanner"}}
    assets.routes[("GET", "/operator/holdings")] = lambda seen: (200, {"items": [HOLDING, other], "total": 2})
    assets.routes[("GET", "/operator/contracts")] = lambda seen: (200, {"items": [
        {"id": "k1", "company_id": "c9", "starts_on": "2026-01-01", "ends_on": None, "status": "active",
         "holding_ids": ["h2"]},
        {"id": "k2", "company_id": "c9", "starts_on": "2025-01-01", "ends_on": None, "status": "active",
         "holding_ids": []}], "total": 2})

    def recorded(seen):
        sent.append(json.loads(seen.body))
        return 201, {"id": "k3"}
    assets.routes[("POST", "/operator/contracts")] = recorded
    _operator(client, open_session)
    page = client.get("/operator/companies/c9").get_data(as_text=True)
    assert 'name="holding_ids" type="checkbox" value="h1"' in page and "Holdings covered" in page
    assert "SCAN" in page and "All the holdings" in page
    token = _token(page)
    client.post("/operator/companies/c9/contracts", data={"csrf_token": token, "starts_on": "2026-12-01",
                                                          "holding_ids": ["h1", "h2", "h1"]})
    client.post("/operator/companies/c9/contracts", data={"csrf_token": token, "starts_on": "2026-12-01"})
    assert sent == [{"company_id": "c9", "starts_on": "2026-12-01", "ends_on": None, "holding_ids": ["h1", "h2"]},
                    {"company_id": "c9", "starts_on": "2026-12-01", "ends_on": None}]


def test_a_supervisor_picks_the_company_of_the_inventory(client, services, open_session, grant):
    services["assets"].routes[("GET", "/assets/inventory")] = lambda seen: (200, {"items": [], "total": 0})
    services["identity"].routes[("GET", "/identity/companies")] = lambda seen: (200, {"items": [
        {"company": {"id": "c1", "name": "Acme"}}, {"company": {"id": "c2", "name": "Acme Lyon"}}]})
    client.set_cookie("portal_session", open_session("u1", "c1"))
    plain = client.get("/assets/inventory").get_data(as_text=True)
    assert 'id="company"' not in plain
    grant("u1", "user-management-supervision-administration", "c2")
    page = client.get("/assets/inventory?company=c2").get_data(as_text=True)
    assert '<select id="company" name="company">' in page
    assert '<option value="c2" selected>Acme Lyon</option>' in page and "All my companies" in page
    assert parse_qs(services["assets"].last.query)["company"] == ["c2"]


def test_the_calendar_link_is_made_shown_once_and_its_feed_served_as_its_user(client, services, open_session,
                                                                              grant):
    grant("u1", "download-updates", "c1")
    assets = services["assets"]
    assets.routes[("GET", "/assets/releases")] = lambda seen: (200, {"items": [], "total": 0, "waiting_total": 0})
    assets.routes[("GET", "/assets/calendar")] = lambda seen: (200, {"items": [], "total": 0})
    assets.routes[("GET", "/assets/feed-links/release_calendar")] = lambda seen: (
        404, {"error": {"code": "not_found", "message": ""}})
    assets.routes[("POST", "/assets/feed-links/release_calendar")] = lambda seen: (201, {
        "purpose": "release_calendar", "created_at": "2026-12-02T07:00:00+00:00", "last_read_at": None,
        "secret": "S3cret", "path": "/feeds/release-calendar/S3cret.ics"})
    client.set_cookie("portal_session", open_session("u1", "c1"))
    page = client.get("/downloads").get_data(as_text=True)
    assert "Get my calendar link" in page and "S3cret" not in page
    made = client.post("/downloads/calendar-link", data={"csrf_token": _token(page)}).get_data(as_text=True)
    assert "/feeds/release-calendar/S3cret.ics" in made and 'href="webcal://' in made and "shown this once" in made

    def resolved(seen):
        body = json.loads(seen.body)
        if body == {"purpose": "release_calendar", "secret": "S3cret"}:
            return 200, {"user_id": "u1", "company_id": "c1", "language": "fr", "purpose": "release_calendar"}
        return 404, {"error": {"code": "not_found", "message": ""}}
    assets.routes[("POST", "/_portal/feed-links/resolve")] = resolved
    from werkzeug.wrappers import Response
    assets.routes[("GET", "/assets/calendar.ics")] = lambda seen: Response(
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 200, content_type="text/calendar; charset=utf-8")
    anonymous = client.application.test_client()
    feed = anonymous.get("/feeds/release-calendar/S3cret.ics")
    assert feed.status_code == 200 and feed.data.startswith(b"BEGIN:VCALENDAR")
    assert feed.headers["Content-Type"].startswith("text/calendar")
    from portalkit.signed_identity import verify
    from portalkit.settings import identity_secret
    reader = verify(assets.last.headers["X-Portal-Identity"], identity_secret())
    assert (reader.user_id, reader.company_id, reader.language) == ("u1", "c1", "fr")
    assert "download-updates@c1" in reader.entitlements
    assert anonymous.get("/feeds/release-calendar/wrong.ics").status_code == 404
    assert anonymous.get("/feeds/planning/S3cret.ics").status_code == 404
    # A user who may no longer read the calendar: the link answers as if it did not exist.
    assets.routes[("GET", "/assets/calendar.ics")] = lambda seen: (403, {"error": {"code": "forbidden", "message": ""}})
    assert anonymous.get("/feeds/release-calendar/S3cret.ics").status_code == 404


def test_solutions_in_the_header_and_the_it_assets_tile(client, services, open_session, grant):
    services["assets"].routes[("GET", "/assets/releases")] = lambda seen: (200, {"items": [], "total": 0,
                                                                             "waiting_total": 2})
    client.set_cookie("portal_session", open_session("u1", "c1"))
    home = client.get("/").get_data(as_text=True)
    assert "SOLUTIONS" in home and 'href="/assets/inventory"' in home and "Your IT assets" in home
    assert 'href="/downloads"' not in home  # no "Download updates": no downloads entry
    grant("u1", "download-updates", "c1")
    home = client.get("/").get_data(as_text=True)
    assert 'class="space-menu"' in home and 'href="/downloads"' in home
    operator = client.application.test_client()
    operator.set_cookie("portal_session", open_session("op1", None, operator=True))
    assert "SOLUTIONS" not in operator.get("/operator/products").get_data(as_text=True)
