"""The back office's declarant accounts: the list with its criteria and pager, a new account for
the company of a number, revoking one (identity faked over HTTP)."""
from __future__ import annotations

import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DECLARANT = {"id": "d1", "login": "decl.one", "role": "declarant", "status": "active", "password_set": False,
             "display_name": "Denis Martin", "email": "denis@client.test",
             "company": {"id": "c9", "name": "Horizon", "siren": "732829320"}}


def _operator(client, open_session):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op"))


def test_only_operators_open_the_page(client, portal):
    assert client.get("/operator/declarants").status_code == 302
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    assert client.get("/operator/declarants").status_code == 403


def test_the_list_filters_and_an_account_is_issued_and_revoked(client, services, open_session):
    sent = []
    identity = services["identity"]
    identity.routes[("GET", "/operator/declarants")] = lambda seen: (200, {"items": [DECLARANT], "total": 1})
    identity.routes[("GET", "/operator/companies")] = lambda seen: (
        200, {"items": [{"id": "c9", "number": "N-9", "name": "Horizon"}], "total": 1})

    def issued(seen):
        sent.append(json.loads(seen.body))
        if sent[-1]["login"] == "taken":
            return 409, {"error": {"code": "login_taken", "message": "Taken."}}
        return 201, DECLARANT
    identity.routes[("POST", "/operator/declarants")] = issued
    identity.routes[("POST", "/operator/declarants/d1/revoke")] = lambda seen: (200, {**DECLARANT, "status": "revoked"})
    _operator(client, open_session)
    page = client.get("/operator/declarants?q=decl&status=active").get_data(as_text=True)
    assert "Displaying items 1 - 1 of 1" in page and "decl.one" in page and "732829320" in page
    assert "Clear filter" in page and 'href="/operator/declarants" aria-current="page"' in page
    assert "q=decl" in identity.last.query and "status=active" in identity.last.query
    token = CSRF.search(page).group(1)
    form = {"csrf_token": token, "company_number": "N-9", "login": "decl.two", "email": "d2@client.test",
            "role": "supervisor", "language": "en"}
    done = client.post("/operator/declarants", data=form)
    assert done.status_code == 302 and done.headers["Location"] == "/operator/declarants?done=issued"
    assert sent[-1] == {"login": "decl.two", "email": "d2@client.test", "first_name": "", "last_name": "",
                        "role": "supervisor", "language": "en", "company_id": "c9"}
    taken = client.post("/operator/declarants", data={**form, "login": "taken"})
    assert taken.status_code == 409 and "Another declarant account has this login." in taken.get_data(as_text=True)
    unknown = client.post("/operator/declarants", data={**form, "company_number": "N-404"})
    assert unknown.status_code == 400 and len(sent) == 2
    revoked = client.post("/operator/declarants/d1/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302 and revoked.headers["Location"] == "/operator/declarants?done=revoked"


def test_the_page_in_french(client, services, open_session):
    services["identity"].routes[("GET", "/operator/declarants")] = lambda seen: (200, {"items": [], "total": 0})
    client.set_cookie("portal_session", open_session("op1", None, operator=True, language="fr"))
    page = client.get("/operator/declarants").get_data(as_text=True)
    assert "Comptes déclarants" in page and "Aucun compte déclarant pour le moment." in page


def test_the_company_page_sets_the_siren(client, services, open_session):
    company = {"id": "c9", "number": "N-9", "name": "Horizon", "postcode": "", "city": "", "parent_id": None,
               "siren": "732829320"}
    identity, sent = services["identity"], []
    identity.routes[("GET", "/operator/companies/c9")] = lambda seen: (
        200, {"company": company, "parent": None, "associates": [], "user_count": 1})

    def patched(seen):
        sent.append(json.loads(seen.body))
        if sent[-1]["siren"] == "732829321":
            return 400, {"error": {"code": "invalid_siren", "message": "No.", "fields": {"siren": ["no"]}}}
        return 200, {**company, "siren": sent[-1]["siren"]}
    identity.routes[("PATCH", "/operator/companies/c9")] = patched
    _operator(client, open_session)
    page = client.get("/operator/companies/c9").get_data(as_text=True)
    assert "SIREN 732829320" in page and 'value="732829320"' in page
    token = CSRF.search(page).group(1)
    done = client.post("/operator/companies/c9/siren", data={"csrf_token": token, "siren": "552 100 554"})
    assert done.headers["Location"] == "/operator/companies/c9?done=siren_set" and sent[-1] == {"siren": "552100554"}
    refused = client.post("/operator/companies/c9/siren", data={"csrf_token": token, "siren": "732829321"})
    assert refused.headers["Location"] == "/operator/companies/c9?done=invalid_siren"
    client.post("/operator/companies/c9/siren", data={"csrf_token": token, "siren": ""})
    assert sent[-1] == {"siren": None}


def test_administrators_issue_accounts_for_their_own_company(client, services, portal):
    identity, sent = services["identity"], []
    identity.routes[("GET", "/identity/declarants")] = lambda seen: (200, {"items": [DECLARANT], "total": 1})

    def issued(seen):
        sent.append(json.loads(seen.body))
        return 201, DECLARANT
    identity.routes[("POST", "/identity/declarants")] = issued
    identity.routes[("POST", "/identity/declarants/d1/reset")] = lambda seen: (202, DECLARANT)
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))  # a company administrator
    page = client.get("/administration/declarants").get_data(as_text=True)
    assert "decl.one" in page and 'name="company_number"' not in page
    assert 'href="/administration/declarants" aria-current="page"' in page
    token = CSRF.search(page).group(1)
    done = client.post("/administration/declarants", data={"csrf_token": token, "login": "decl.two",
                                                           "email": "d2@client.test", "role": "declarant"})
    assert done.headers["Location"] == "/administration/declarants?done=issued" and "company_id" not in sent[-1]
    reset = client.post("/administration/declarants/d1/reset", data={"csrf_token": token})
    assert reset.headers["Location"] == "/administration/declarants?done=reset"
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    assert client.get("/operator/declarants").status_code == 403


def test_a_new_company_may_be_given_its_siren(client, services, open_session):
    sent = []

    def created(seen):
        sent.append(json.loads(seen.body))
        if sent[-1]["siren"] == "732829321":
            return 400, {"error": {"code": "invalid_siren", "message": "No.", "fields": {"siren": ["no"]}}}
        return 201, {"company": {"id": "c10"}, "administrator": {"id": "u10"}}
    services["identity"].routes[("POST", "/operator/companies")] = created
    _operator(client, open_session)
    token = CSRF.search(client.get("/operator/companies/new").get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "number": "N-10", "name": "Horizon", "administrator_email": "nina@shop.test",
            "siren": "732 829 321"}
    refused = client.post("/operator/companies", data=form)
    assert refused.status_code == 400 and "nine digits whose last one is the Luhn key" in refused.get_data(as_text=True)
    done = client.post("/operator/companies", data={**form, "siren": "732829320"})
    assert done.status_code == 302 and sent[-1]["siren"] == "732829320"
