""""Your IT assets" (/assets/inventory) against a faked assets service: what the page asks for,
what it shows in both languages, who may open it, and the key form beside the holdings that can be serialized."""
from __future__ import annotations

from urllib.parse import parse_qs

ITEMS = [
    {"id": "h1", "company": {"id": "c1", "name": "Acme"}, "quantity": 2, "machine_id": None, "on_contract": True,
     "serializable": True, "serialization": None,
     "product": {"id": "p1", "code": "PAY", "name": "Payroll", "kind": "software", "brand": "Etafi", "domain": "HR",
                 "major_version": 4}},
    {"id": "h2", "company": {"id": "c1", "name": "Acme"}, "quantity": 1, "machine_id": "PC-7", "on_contract": True,
     "serializable": True, "serialization": {"code": "eyJjb2RlIjoxfQ.c2ln", "issued_on": "2026-11-20"},
     "product": {"id": "p1", "code": "PAY", "name": "Payroll", "kind": "software", "brand": "Etafi", "domain": "HR",
                 "major_version": 4}},
    {"id": "h3", "company": {"id": "c1", "name": "Acme"}, "quantity": 1, "machine_id": "PC-7", "on_contract": False,
     "serializable": False, "serialization": None,
     "product": {"id": "p2", "code": "SCAN", "name": "Scanner", "kind": "hardware", "brand": "", "domain": "",
                 "major_version": None}},
]


def _user(client, open_session, **fields):
    client.set_cookie("portal_session", open_session("u1", "c1", **fields))


def test_anonymous_visitors_sign_in_first(client):
    response = client.get("/assets/inventory")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_the_list_shows_each_holding_with_contract_and_code_and_passes_the_filters(client, services, open_session):
    services["assets"].routes[("GET", "/assets/inventory")] = lambda seen: (200, {"items": ITEMS, "total": 13})
    _user(client, open_session)
    page = client.get("/assets/inventory?kind=software&contract=on&machine_id=+PC-7+&page=1&kind2=x")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Your IT assets" in html and "Displaying items 1 - 10 of 13" in html
    assert "eyJjb2RlIjoxfQ.c2ln" in html and "PC-7" in html and "Off contract" in html
    assert 'rel="next"' in html
    query = parse_qs(services["assets"].last.query)
    assert query == {"kind": ["software"], "contract": ["on"], "machine_id": ["PC-7"], "page": ["1"],
                     "per_page": ["10"]}
    # The key form posts to the serialization page (web/serialization).
    assert 'action="/assets/serialization"' in html
    client.get("/assets/inventory?kind=tools&contract=maybe")
    assert parse_qs(services["assets"].last.query) == {"page": ["1"], "per_page": ["10"]}


def test_the_page_speaks_french(client, services, open_session):
    services["assets"].routes[("GET", "/assets/inventory")] = lambda seen: (200, {"items": ITEMS, "total": 3})
    _user(client, open_session, language="fr")
    html = client.get("/assets/inventory", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Votre parc informatique" in html and "Hors contrat" in html and "Sous contrat" in html


def test_a_refused_identifier_is_explained_and_another_company_is_not_found(client, services, open_session):
    services["assets"].routes[("GET", "/assets/inventory")] = lambda seen: (
        400, {"error": {"code": "invalid_input", "message": "Some fields are invalid.",
                        "fields": {"machine_id": ["Only printable characters."]}}})
    _user(client, open_session)
    refused = client.get("/assets/inventory?machine_id=%E2%80%A8")
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    services["assets"].routes[("GET", "/assets/inventory")] = lambda seen: (
        404, {"error": {"code": "not_found", "message": "No such company."}})
    assert client.get("/assets/inventory?company=c2").status_code == 404


def test_the_selectable_holdings_get_boxes(app, client, services, open_session):
    services["assets"].routes[("GET", "/assets/inventory")] = lambda seen: (200, {"items": ITEMS, "total": 3})
    _user(client, open_session)
    html = client.get("/assets/inventory").get_data(as_text=True)
    assert 'action="/assets/serialization"' in html and 'name="csrf_token"' in html
    # Only the serializable holding under contract without a code can be ticked.
    assert 'name="holding_ids" value="h1"' in html
    assert 'value="h2"' not in html and 'value="h3"' not in html
    assert 'name="machine_id" type="text" required' in html
