"""The serialization pages: the key button's POST computes the codes through assets and goes back to
the inventory filtered on the identifier; a holding with another identifier gets the change form,
whose request goes to assets; refusals are explained (assets faked over HTTP), in French too."""
from __future__ import annotations

import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _signed_in(client, open_session, language="en"):
    client.set_cookie("portal_session", open_session("u1", "c1", language=language, display_name="Claire Durand"))
    page = client.get("/profile").get_data(as_text=True)
    return CSRF.search(page).group(1)


def test_the_key_button_computes_the_codes_and_shows_the_identifiers_inventory(client, services, open_session):
    sent = []
    services["assets"].routes[("POST", "/assets/serializations")] = lambda seen: (
        sent.append(json.loads(seen.body)) or (201, {"items": []}))
    token = _signed_in(client, open_session)
    answer = client.post("/assets/serialization", data={"csrf_token": token, "machine_id": " PC 42 ",
                                                        "holding_ids": ["h1", "h2", "h1"]})
    assert answer.status_code == 302 and answer.headers["Location"] == "/assets/inventory?machine_id=PC%2042"
    assert sent == [{"machine_id": "PC 42", "holding_ids": ["h1", "h2"]}]
    none = client.post("/assets/serialization", data={"csrf_token": token, "machine_id": "PC"})
    assert none.status_code == 400 and "Tick the products" in none.get_data(as_text=True) and len(sent) == 1
    assert client.post("/assets/serialization", data={"machine_id": "PC", "holding_ids": "h1"}).status_code == 400


def test_another_identifier_offers_the_change_form_which_files_the_request(client, services, open_session):
    assets = services["assets"]
    assets.routes[("POST", "/assets/serializations")] = lambda seen: (409, {"error": {
        "code": "identifier_set", "message": "set", "fields": {"holding_ids": {"h2": ["identifier set"]}}}})
    filed = []
    assets.routes[("POST", "/assets/identifier-changes")] = lambda seen: (
        filed.append(json.loads(seen.body)) or (202, {"id": "ch1", "status": "pending"}))
    token = _signed_in(client, open_session, "fr")
    page = client.post("/assets/serialization", data={"csrf_token": token, "machine_id": "PC-NEW",
                                                      "holding_ids": ["h1", "h2"]})
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and "Demander un changement d’identifiant" in text
    assert 'name="holding_ids" value="h2"' in text and 'name="holding_ids" value="h1"' not in text
    no_reason = client.post("/assets/identifier-changes", data={"csrf_token": token, "holding_ids": "h2",
                                                                "new_machine_id": "PC-NEW", "reason": " "})
    assert no_reason.status_code == 400 and not filed
    done = client.post("/assets/identifier-changes", data={"csrf_token": token, "holding_ids": "h2",
                                                           "new_machine_id": "PC-NEW", "reason": "Nouveau poste"})
    assert done.status_code == 202 and "un opérateur la décide" in done.get_data(as_text=True)
    assert filed == [{"holding_ids": ["h2"], "new_machine_id": "PC-NEW", "reason": "Nouveau poste"}]


def test_refusals_are_explained(client, services, open_session):
    answers = iter([(400, {"error": {"code": "invalid_input", "message": "bad", "fields": {"machine_id": ["x"]}}}),
                    (429, {"error": {"code": "too_many_requests", "message": "later"}}),
                    (403, {"error": {"code": "forbidden", "message": "no"}})])
    services["assets"].routes[("POST", "/assets/serializations")] = lambda seen: next(answers)
    token = _signed_in(client, open_session)
    for status, words in ((400, "1 to 64 printable characters"), (429, "try again in a few minutes"),
                          (403, "Download updates")):
        page = client.post("/assets/serialization", data={"csrf_token": token, "machine_id": "PC", "holding_ids": "h1"})
        assert page.status_code == status and words in page.get_data(as_text=True)


def test_anonymous_visitors_sign_in_first(client):
    answer = client.post("/assets/serialization", data={"machine_id": "PC", "holding_ids": "h1"})
    assert answer.status_code in (302, 400)
