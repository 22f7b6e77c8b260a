"""The contacts and access-request pages inside the real gateway app, identity and catalog faked
over HTTP: what goes over the wire, who may open which page, French."""
from __future__ import annotations

import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ADMIN = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "en",
         "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
OPERATOR = {**ADMIN, "id": "op1", "email": "op@vendor.test", "display_name": "Olga Operator", "operator": True,
            "company": None}
BRUNO = {"id": "u2", "email": "bruno@client.test", "display_name": "Bruno Petit", "first_name": "Bruno",
         "last_name": "Petit", "function": "Accountant", "office_phone": "", "mobile_phone": "", "status": "active"}
SERVICES = {"Preferences": [{"id": "s-acc", "title": "Functional preference: Accounting"}],
            "Information flow": [{"id": "s-sales", "title": "Receive sales news"}]}


def token_of(client, path="/login") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, services, user=ADMIN):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user, "password_expired": False})
    return client.post("/login", data={"email": user["email"], "password": "Portal-Access-93",
                                       "csrf_token": token_of(client)})


def _catalog(services, subscriptions: dict):
    def company_catalog(seen):
        family = dict(pair.split("=", 1) for pair in seen.query.split("&"))["family"].replace("+", " ")
        items = [{**item, "subscription": subscriptions.get(item["id"])} for item in SERVICES[family]]
        return 200, {"items": items, "total": len(items)}
    services["catalog"].routes[("GET", "/catalog/company-catalog")] = company_catalog


def test_the_sign_in_page_links_to_the_access_request_form_which_says_nothing_back(client, services):
    assert 'href="/access-request"' in client.get("/login").get_data(as_text=True)
    identity = services["identity"]
    identity.routes[("POST", "/auth/access-requests")] = lambda seen: (202, b"")
    form = {"first_name": "Nina", "last_name": "Morel", "email": "nina@client.test", "company": "C100",
            "phone": "", "message": "Hello"}
    answer = client.post("/access-request", data={**form, "csrf_token": token_of(client, "/access-request")})
    assert answer.status_code == 200 and "Your request has been sent" in answer.get_data(as_text=True)
    assert json.loads(identity.last.body) == {**form, "language": "en"}


def test_the_form_names_each_missing_field_and_sends_nothing(client, services):
    answer = client.post("/access-request", data={"email": "nina", "csrf_token": token_of(client, "/access-request")})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Enter your first name." in page and "Enter your company" in page
    assert not [seen for seen in services["identity"].received if seen.path == "/auth/access-requests"]


def test_the_form_in_french(client):
    page = client.get("/access-request", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Demander un accès" in page and "Numéro ou nom de la société" in page


def test_an_administrator_sees_the_count_and_accepts(client, services, grant):
    identity = services["identity"]
    sign_in(client, services)
    grant("u1", "user-management-administration", "c1")
    waiting = {"id": "r1", "created_at": "2026-12-01T10:00:00+00:00", "email": "nina@client.test",
               "first_name": "Nina", "last_name": "Morel", "phone": "", "company_text": "C100",
               "company": {"id": "c1", "number": "C100", "name": "Durand Industries"}, "message": "",
               "routed_to": "administrators", "status": "pending"}
    identity.routes[("GET", "/identity/access-requests")] = lambda seen: (200, {"items": [waiting], "total": 1})
    page = client.get("/administration/access-requests").get_data(as_text=True)
    assert "Nina Morel" in page and 'class="badge badge-count">1' in page and 'name="company_number"' not in page
    identity.routes[("POST", "/identity/access-requests/r1/accept")] = lambda seen: (200, {**waiting, "status": "accepted"})
    answer = client.post("/administration/access-requests/r1/accept", data={
        "security_level": "3", "company_number": "C999", "csrf_token": CSRF.search(page).group(1)})
    assert answer.headers["Location"] == "/administration/access-requests?done=accepted"
    assert json.loads(identity.last.body) == {"security_level": 3}  # an administrator names no company


def test_operators_pages_are_for_operators(client, services, grant):
    sign_in(client, services)
    grant("u1", "user-management-administration", "c1")
    assert client.get("/operator/access-requests").status_code == 403
    assert client.get("/operator/companies/c1/contacts").status_code == 403


def test_an_operator_names_the_company_of_a_request_by_its_number(client, services):
    identity = services["identity"]
    sign_in(client, services, OPERATOR)
    lost = {"id": "r2", "created_at": "2026-12-01T10:00:00+00:00", "email": "lost@nowhere.test",
            "first_name": "Lou", "last_name": "Lost", "phone": "", "company_text": "nowhere", "company": None,
            "message": "", "routed_to": "operators", "status": "pending"}
    identity.routes[("GET", "/operator/access-requests")] = lambda seen: (200, {"items": [lost], "total": 1})
    page = client.get("/operator/access-requests?routed_to=operators").get_data(as_text=True)
    assert "no company found" in page and "routed_to=operators" in identity.last.query
    identity.routes[("POST", "/operator/access-requests/r2/accept")] = lambda seen: (
        400, {"error": {"code": "invalid_input", "message": "x", "fields": {"company_number": ["unknown company"]}}})
    answer = client.post("/operator/access-requests/r2/accept", data={
        "company_number": "C999", "security_level": "2", "csrf_token": CSRF.search(page).group(1)})
    assert answer.status_code == 400 and "Enter the number of an existing company" in answer.get_data(as_text=True)
    assert json.loads(next(seen for seen in identity.received if seen.method == "POST" and "accept" in seen.path).body) \
        == {"security_level": 2, "company_number": "C999"}


def test_saving_a_contact_sets_roles_subscribes_and_cancels(client, services, grant):
    identity, catalog = services["identity"], services["catalog"]
    sign_in(client, services)
    grant("u1", "user-management-administration", "c1")
    contact = {"user": BRUNO, "company_id": "c1", "roles": [], "interests": []}
    identity.routes[("GET", "/identity/contacts/u2")] = lambda seen: (200, contact)
    identity.routes[("PUT", "/identity/contacts/u2/roles")] = lambda seen: (200, contact)
    _catalog(services, {"s-sales": {"id": "sub-sales", "status": "accepted"}})
    catalog.routes[("POST", "/catalog/subscriptions")] = lambda seen: (201, {"id": "sub-acc", "status": "accepted"})
    catalog.routes[("DELETE", "/catalog/subscriptions/sub-sales")] = lambda seen: (204, b"")
    page = client.get("/administration/contacts/u2").get_data(as_text=True)
    assert "Functional preference: Accounting" in page and 'value="s-sales" checked' in page
    answer = client.post("/administration/contacts/u2", data={
        "roles": ["payroll", "boss"], "interests": ["s-acc"], "csrf_token": CSRF.search(page).group(1)})
    assert answer.headers["Location"] == "/administration/contacts?done=saved"
    put = next(seen for seen in identity.received if seen.method == "PUT")
    assert json.loads(put.body) == {"roles": ["payroll"]}
    posted = next(seen for seen in catalog.received if seen.method == "POST")
    assert json.loads(posted.body) == {"service_id": "s-acc", "user_id": "u2"}
    assert [seen.path for seen in catalog.received if seen.method == "DELETE"] == ["/catalog/subscriptions/sub-sales"]


def test_the_contacts_list_and_the_operators_read_in_french(client, services, grant):
    identity = services["identity"]
    sign_in(client, services, {**OPERATOR, "language": "fr"})
    item = {"user": BRUNO, "company_id": "c1", "roles": ["payroll"],
            "interests": [{"subscription_id": "x", "service_id": "s-acc", "service_code": "functional-preference-accounting",
                           "service_title": "Functional preference: Accounting"}]}
    identity.routes[("GET", "/operator/companies/c1/contacts")] = lambda seen: (200, {
        "company": {"id": "c1", "number": "C100", "name": "Durand Industries"}, "items": [item], "total": 1})
    services["catalog"].routes[("GET", "/operator/services")] = lambda seen: (200, {"items": [
        {"id": "s-acc", "title_en": "Functional preference: Accounting",
         "title_fr": "Préférence fonctionnelle : Comptabilité"}], "total": 1})
    page = client.get("/operator/companies/c1/contacts").get_data(as_text=True)
    assert "Contacts de Durand Industries" in page and "Contact paie" in page
    assert "Préférence fonctionnelle : Comptabilité" in page
    identity.routes[("GET", "/operator/companies/c9/contacts")] = lambda seen: (
        404, {"error": {"code": "not_found", "message": "No such company."}})
    assert client.get("/operator/companies/c9/contacts").status_code == 404
