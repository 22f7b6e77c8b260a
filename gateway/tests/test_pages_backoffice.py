"""The back office's pages: operators only (anonymous visitors go to sign in, anyone else gets the
403 page), the header shows the space to operators alone, and the pages send what the operator
typed to the services' operator routes (identity and assets faked over HTTP)."""
from __future__ import annotations

import json
import re

PAGES = ("/operator", "/operator/companies", "/operator/companies/new", "/operator/companies/c9",
         "/operator/companies/c9/users", "/operator/companies/c9/trail", "/operator/services",
         "/operator/services/new", "/operator/operators")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COMPANY = {"id": "c9", "number": "N-9", "name": "Horizon", "postcode": "69001", "city": "Lyon", "parent_id": None}


def test_anonymous_visitors_sign_in_first_and_administrators_are_refused(client, portal):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))  # a company administrator
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    assert client.post("/operator/companies", data={}).status_code in (400, 403)
    assert "BACK OFFICE" not in client.get("/profile").get_data(as_text=True)


def _operator(client, open_session):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op"))


def test_an_operator_searches_companies_and_reads_the_pager(client, services, open_session):
    companies = [{**COMPANY, "id": f"c{n}", "number": f"N-{n}", "name": f"Horizon {n:02d}"} for n in range(10)]
    services["identity"].routes[("GET", "/operator/companies")] = lambda seen: (200, {"items": companies, "total": 23})
    _operator(client, open_session)
    page = client.get("/operator/companies?q=horizon").get_data(as_text=True)
    assert "Displaying items 1 - 10 of 23" in page and "BACK OFFICE" in page
    assert 'href="/operator/companies/c3"' in page and 'rel="next"' in page
    seen = services["identity"].last
    assert "q=horizon" in seen.query and "per_page=10" in seen.query and seen.identity.operator


def test_creating_an_associate_sends_the_company_and_its_administrator(client, services, open_session):
    sent = []

    def created(seen):
        sent.append(json.loads(seen.body))
        return 201, {"company": {**COMPANY, "id": "c10"}, "administrator": {"id": "u10"}}
    services["identity"].routes[("POST", "/operator/companies")] = created
    services["identity"].routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": COMPANY, "parent": None, "associates": [], "user_count": 1})
    _operator(client, open_session)
    form = client.get("/operator/companies/new?parent=c9").get_data(as_text=True)
    assert "third-party associate of Horizon" in form
    token = CSRF.search(form).group(1)
    missing = client.post("/operator/companies", data={"csrf_token": token, "parent_id": "c9", "number": "N-10"})
    assert missing.status_code == 400 and not sent
    response = client.post("/operator/companies", data={
        "csrf_token": token, "parent_id": "c9", "number": "N-10", "name": "Horizon Shop", "postcode": "13001",
        "city": "Marseille", "administrator_email": "nina@shop.test", "administrator_language": "fr",
        "administrator_title": "MME", "administrator_last_name": "Leroy", "administrator_first_name": "Nina"})
    assert response.status_code == 302 and response.headers["Location"] == "/operator/companies/c10?done=created"
    assert sent == [{"number": "N-10", "name": "Horizon Shop", "postcode": "13001", "city": "Marseille",
                     "parent_id": "c9", "siren": None, "administrator": {"email": "nina@shop.test", "title": "MME",
                                                          "first_name": "Nina", "last_name": "Leroy",
                                                          "language": "fr"}}]


def test_a_contract_is_recorded_and_ended_through_assets(client, services, open_session):
    services["identity"].routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": COMPANY, "parent": None, "associates": [], "user_count": 1})
    contract = {"id": "k1", "company_id": "c9", "starts_on": "2026-01-01", "ends_on": None, "ended_on": None,
                "status": "active"}
    services["assets"].routes[("GET", "/operator/contracts")] = lambda seen: (200, {"items": [contract], "total": 1})
    services["assets"].routes[("GET", "/operator/contracts/k1")] = lambda seen: (200, contract)
    recorded, ended = [], []
    services["assets"].routes[("POST", "/operator/contracts")] = lambda seen: (
        recorded.append(json.loads(seen.body)) or (201, contract))
    services["assets"].routes[("POST", "/operator/contracts/k1/end")] = lambda seen: (
        ended.append(json.loads(seen.body)) or (200, {**contract, "status": "ended", "ended_on": "2026-12-01"}))
    _operator(client, open_session)
    page = client.get("/operator/companies/c9").get_data(as_text=True)
    assert "In force" in page and "End the contract" in page
    token = CSRF.search(page).group(1)
    bad = client.post("/operator/companies/c9/contracts", data={"csrf_token": token, "starts_on": "someday"})
    assert bad.headers["Location"].endswith("done=bad_dates") and not recorded
    done = client.post("/operator/companies/c9/contracts", data={"csrf_token": token, "starts_on": "2026-01-01"})
    assert done.headers["Location"].endswith("done=recorded")
    assert recorded == [{"company_id": "c9", "starts_on": "2026-01-01", "ends_on": None}]
    done = client.post("/operator/companies/c9/contracts/k1/end", data={"csrf_token": token, "ends_on": ""})
    assert done.headers["Location"].endswith("done=ended") and ended == [{}]
    # Another company's contract is not found through this company's page.
    assert client.post("/operator/companies/c8/contracts/k1/end", data={"csrf_token": token}).status_code == 404


def test_a_companys_users_are_sent_the_activation_mail_again_and_unlocked(client, services, open_session):
    services["identity"].routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": COMPANY, "parent": None, "associates": [], "user_count": 2})
    users = [{"id": "u1", "email": "nina@shop.test", "display_name": "Nina Leroy", "status": "not_activated",
              "locked": False, "function": ""},
             {"id": "u2", "email": "max@shop.test", "display_name": "Max Roy", "status": "active", "locked": True,
              "function": "Buyer"}]
    services["identity"].routes[("GET", "/operator/companies/c9/users")] = lambda seen: (
        200, {"items": users, "total": 2})
    mails, unlocks = [], []
    services["identity"].routes[("POST", "/operator/companies/c9/users/activation-mails")] = lambda seen: (
        mails.append(json.loads(seen.body)) or (202, {"sent": ["u1"], "skipped": []}))
    services["identity"].routes[("POST", "/operator/companies/c9/users/u2/unlock")] = lambda seen: (
        unlocks.append(seen.identity.user_id) or (200, users[1]))
    _operator(client, open_session)
    page = client.get("/operator/companies/c9/users?status=not_activated").get_data(as_text=True)
    assert "Displaying items 1 - 2 of 2" in page and 'value="u1" form="selection"' in page
    assert "status=not_activated" in services["identity"].last.query
    token = CSRF.search(page).group(1)
    back = "/operator/companies/c9/users?status=not_activated"
    none = client.post("/operator/companies/c9/users/activation-mails", data={"csrf_token": token, "back": back})
    assert none.headers["Location"].endswith("done=none_selected") and not mails
    sent = client.post("/operator/companies/c9/users/activation-mails",
                       data={"csrf_token": token, "back": back, "user_ids": "u1"})
    assert sent.headers["Location"] == back + "&done=mails&sent=1" and mails == [{"user_ids": ["u1"]}]
    assert "1 activation e-mail sent." in client.get(sent.headers["Location"]).get_data(as_text=True)
    unlocked = client.post("/operator/companies/c9/users/u2/unlock",
                           data={"csrf_token": token, "back": "//elsewhere.example/x"})
    assert unlocked.headers["Location"] == "/operator/companies/c9/users?done=unlocked" and unlocks == ["op1"]


def test_operators_page_creates_and_disables(client, services, open_session):
    operators = [{"id": "op1", "email": "olga@vendor.test", "display_name": "Olga Op", "status": "active"},
                 {"id": "op2", "email": "sam@vendor.test", "display_name": "Sam Two", "status": "active"}]
    services["identity"].routes[("GET", "/operator/operators")] = lambda seen: (200, {"items": operators, "total": 2})
    services["identity"].routes[("POST", "/operator/operators")] = lambda seen: (
        400, {"error": {"code": "password_rules", "message": "", "fields": {"password": ["min_length_10"]}}})
    services["identity"].routes[("POST", "/operator/operators/op2/disable")] = lambda seen: (200, operators[1])
    services["identity"].routes[("POST", "/operator/operators/op1/disable")] = lambda seen: (
        409, {"error": {"code": "own_account", "message": "", "fields": {}}})
    _operator(client, open_session)
    page = client.get("/operator/operators").get_data(as_text=True)
    assert page.count("/disable") == 1  # not on one's own row
    token = CSRF.search(page).group(1)
    weak = client.post("/operator/operators", data={"csrf_token": token, "email": "new@vendor.test", "password": "x"})
    assert weak.status_code == 400 and "strong level" in weak.get_data(as_text=True)
    assert client.post("/operator/operators/op2/disable", data={"csrf_token": token}).headers["Location"] == \
        "/operator/operators?done=disabled"
    assert client.post("/operator/operators/op1/disable", data={"csrf_token": token}).headers["Location"] == \
        "/operator/operators?done=own_account"
