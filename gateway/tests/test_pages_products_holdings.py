"""The back office's products and a company's holdings pages against faked services: operators
only, what goes over the wire to assets' operator routes, the refusals shown beside the fields,
and French."""
from __future__ import annotations

import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COMPANY = {"id": "c9", "number": "N-9", "name": "Horizon", "postcode": "69001", "city": "Lyon", "parent_id": None}
PRODUCT = {"id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software", "brand": "Etafi",
           "domain": "HR", "serializable": True, "major_version": 4, "retired_at": None}
HOLDING = {"id": "h1", "company_id": "c9", "product_id": "p1", "quantity": 2, "machine_id": "PC-1",
           "product": {"id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software"}}


def _operator(client, open_session, language="en"):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op",
                                                     language=language))


def test_only_operators_open_them(client, portal):
    for path in ("/operator/products", "/operator/companies/c9/holdings"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    for path in ("/operator/products", "/operator/companies/c9/holdings"):
        assert client.get(path).status_code == 403, path


def test_an_operator_lists_records_and_retires_products(client, services, open_session):
    sent = []
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})

    def recorded(seen):
        sent.append(json.loads(seen.body))
        return (409, {"error": {"code": "product_exists", "message": "taken"}}) if len(sent) == 1 else (201, PRODUCT)
    services["assets"].routes[("POST", "/operator/products")] = recorded
    services["assets"].routes[("POST", "/operator/products/p1/retire")] = lambda seen: (200, PRODUCT)
    _operator(client, open_session)
    page = client.get("/operator/products?q=pay&kind=software").get_data(as_text=True)
    assert "Payroll" in page and "Displaying items 1 - 1 of 1" in page and 'href="/operator/products"' in page
    assert "q=pay" in services["assets"].last.query and "kind=software" in services["assets"].last.query
    token = CSRF.search(page).group(1)
    missing = client.post("/operator/products", data={"csrf_token": token, "code": "NEW", "major_version": "x"})
    assert missing.status_code == 400 and not sent
    assert "Enter a whole number, or leave it empty." in missing.get_data(as_text=True)
    form = {"csrf_token": token, "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
            "brand": "Etafi", "domain": "HR", "major_version": "4", "serializable": "on"}
    taken = client.post("/operator/products", data=form)
    assert taken.status_code == 409 and "Another product has this code." in taken.get_data(as_text=True)
    done = client.post("/operator/products", data=form)
    assert done.status_code == 302 and done.headers["Location"] == "/operator/products?done=created"
    assert sent[-1] == {"code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software", "brand": "Etafi",
                        "domain": "HR", "serializable": True, "major_version": 4}
    retired = client.post("/operator/products/p1/retire", data={"csrf_token": token})
    assert retired.status_code == 302 and retired.headers["Location"] == "/operator/products?done=retired"


def test_an_operator_records_and_removes_a_companys_holdings(client, services, open_session):
    sent = []
    services["identity"].routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": COMPANY, "parent": None, "associates": [], "user_count": 1})
    services["assets"].routes[("GET", "/operator/holdings")] = lambda seen: (200, {"items": [HOLDING], "total": 1})
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})
    services["assets"].routes[("GET", "/operator/holdings/h1")] = lambda seen: (200, HOLDING)
    services["assets"].routes[("DELETE", "/operator/holdings/h1")] = lambda seen: (204, None)

    def recorded(seen):
        sent.append(json.loads(seen.body))
        return 201, HOLDING
    services["assets"].routes[("POST", "/operator/holdings")] = recorded
    _operator(client, open_session)
    page = client.get("/operator/companies/c9/holdings").get_data(as_text=True)
    assert "Horizon" in page and "Payroll" in page and "PC-1" in page
    assert "company_id=c9" in services["assets"].last.query
    token = CSRF.search(page).group(1)
    unknown = client.post("/operator/companies/c9/holdings", data={"csrf_token": token, "product_code": "NOPE",
                                                                   "quantity": "0"})
    assert unknown.status_code == 400 and not sent
    text = unknown.get_data(as_text=True)
    assert "No product has this code." in text and "Enter a whole number, 1 or more." in text
    done = client.post("/operator/companies/c9/holdings", data={"csrf_token": token, "product_code": "pay",
                                                                "quantity": "3", "machine_id": " PC-2 "})
    assert done.status_code == 302 and done.headers["Location"] == "/operator/companies/c9/holdings?done=recorded"
    assert sent == [{"company_id": "c9", "product_id": "p1", "quantity": 3, "machine_id": "PC-2"}]
    removed = client.post("/operator/companies/c9/holdings/h1/remove", data={"csrf_token": token})
    assert removed.status_code == 302 and removed.headers["Location"].endswith("?done=removed")
    # Another company's holding is not removed from this company's page.
    assert client.post("/operator/companies/c8/holdings/h1/remove", data={"csrf_token": token}).status_code == 404


def test_the_pages_speak_french(client, services, open_session):
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})
    _operator(client, open_session, language="fr")
    page = client.get("/operator/products").get_data(as_text=True)
    assert "Enregistrer un produit" in page and "Paie" in page and "Sérialisable" in page
