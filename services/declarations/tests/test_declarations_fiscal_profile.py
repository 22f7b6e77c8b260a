"""The operators' fiscal profile route (operators only, 400 with fields, 404), the declarants'
deadlines route (their entities only, filed or not, days left) and a deposit's obligation read
from the forms its message names."""
from __future__ import annotations

import io
from datetime import date

import pytest

from portalkit import testing

from declarations import deadline_api, edifact, obligations

PROFILE = "/operator/declarations/entities"


@pytest.fixture
def operator(database):
    """An operator's header (signed with the test's own secret)."""
    return testing.signed_headers(user_id="op-1", operator=True)


@pytest.fixture
def on_day(monkeypatch):
    def move(day: date):
        monkeypatch.setattr(deadline_api, "today", lambda: day)
    return move


def test_an_operator_reads_and_sets_the_fiscal_profile(client, operator):
    assert client.get(f"{PROFILE}/c-blabla", headers=operator).get_json() == {
        "id": "c-blabla", "name": "BLABLA PATRIMOINE", "siren": "732829320", "closing": "12-31",
        "obligations": ["liasse", "cvae", "vat"]}
    answer = client.put(f"{PROFILE}/c-blabla", headers=operator, json={"closing": "06-30", "obligations": ["ifu", "liasse"]})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["closing"] == "06-30" and answer.get_json()["obligations"] == ["liasse", "ifu"]
    assert client.get(f"{PROFILE}/c-blabla", headers=operator).get_json()["obligations"] == ["liasse", "ifu"]


@pytest.mark.parametrize("body, field", [
    ({"closing": "13-01", "obligations": []}, "closing"), ({"closing": "02-30", "obligations": []}, "closing"),
    ({"closing": "1231", "obligations": []}, "closing"), ({"closing": "12-31", "obligations": ["tva"]}, "obligations"),
    ({"obligations": ["liasse"]}, "closing"), ({"closing": "12-31"}, "obligations"),
    ({"closing": "12-31", "obligations": [], "other": 1}, "other")])
def test_a_bad_profile_is_400_naming_the_field(client, operator, body, field):
    answer = client.put(f"{PROFILE}/c-blabla", headers=operator, json=body)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "invalid_input" and field in answer.get_json()["error"]["fields"]


def test_a_leap_day_closing_is_accepted(client, operator):
    assert client.put(f"{PROFILE}/c-blabla", headers=operator, json={"closing": "02-29", "obligations": []}).status_code == 200


def test_only_operators_and_only_known_entities(client, operator, declarant):
    body = {"closing": "12-31", "obligations": ["liasse"]}
    assert client.put(f"{PROFILE}/nobody", headers=operator, json=body).status_code == 404
    assert client.get(f"{PROFILE}/nobody", headers=operator).get_json()["error"]["code"] == "not_found"
    user = testing.signed_headers(user_id="u-1", company_id="c-blabla")
    assert client.get(f"{PROFILE}/c-blabla", headers=user).status_code == 403
    assert client.put(f"{PROFILE}/c-blabla", headers=declarant("c-blabla"), json=body).status_code in (401, 403)
    assert client.get(f"{PROFILE}/c-blabla", headers=testing.signed_headers()).status_code == 401


def test_a_declarant_reads_the_next_deadlines_of_its_entities(client, declarant, good, on_day):
    on_day(date(2024, 5, 1))
    answer = client.get("/declarations/deadlines", headers=declarant("c-blabla", language="fr"))
    assert answer.status_code == 200
    items = answer.get_json()["items"]
    assert [(item["obligation"], item["period_end"], item["due_on"], item["filed"], item["days_left"]) for item in items] == [
        ("liasse", "2023-12-31", "2024-05-21", False, 20), ("cvae", "2023-12-31", "2024-05-21", False, 20),
        ("vat", "2023-12-31", "2024-05-21", False, 20)]
    assert items[0]["obligation_name"].startswith("Liasse fiscale") and {item["entity_id"] for item in items} == {"c-blabla"}
    # The sample (a 2023-12-31 liasse) files the liasse.
    deposited = client.post("/declarations/deposits", headers=declarant("c-blabla"),
                            data={"file": (io.BytesIO(good), "liasse.ped")}, content_type="multipart/form-data")
    assert deposited.status_code == 201
    items = client.get("/declarations/deadlines", headers=declarant("c-blabla")).get_json()["items"]
    assert [(item["obligation"], item["filed"]) for item in items] == [("liasse", True), ("cvae", False), ("vat", False)]
    assert items[0]["deposit_id"] == deposited.get_json()["id"]
    # Past the due date, the next period's deadline; a year names its periods.
    on_day(date(2024, 5, 22))
    assert client.get("/declarations/deadlines", headers=declarant("c-blabla")).get_json()["items"][0]["due_on"] == "2025-05-20"
    by_year = client.get("/declarations/deadlines?year=2023", headers=declarant("c-blabla")).get_json()["items"]
    assert by_year[0]["period_end"] == "2023-12-31" and by_year[0]["days_left"] == -1


def test_the_next_deadline_of_a_june_closing_in_december_is_next_year_s(client, declarant, operator, on_day):
    client.put(f"{PROFILE}/c-blabla", headers=operator, json={"closing": "06-30", "obligations": ["liasse", "das2"]})
    on_day(date(2026, 12, 2))
    items = client.get("/declarations/deadlines", headers=declarant("c-blabla")).get_json()["items"]
    assert [(item["obligation"], item["period_end"], item["due_on"], item["days_left"]) for item in items] == [
        ("das2", "2026-12-31", "2027-05-19", 168), ("liasse", "2027-06-30", "2027-10-15", 317)]


def test_the_deadlines_route_refuses_bad_input_and_others(client, declarant):
    assert client.get("/declarations/deadlines?year=abc", headers=declarant("c-blabla")).status_code == 400
    assert client.get("/declarations/deadlines?year=1900", headers=declarant("c-blabla")).status_code == 400
    assert client.get("/declarations/deadlines", headers=testing.signed_headers(user_id="u", company_id="c")).status_code == 401
    assert client.get("/declarations/deadlines", headers=declarant()).get_json() == {"items": [], "total": 0}


def test_the_sample_is_a_liasse_and_other_forms_their_obligation(good):
    message = edifact.read(good).segments
    assert obligations.forms(message) == ["2050", "2069RCI"]
    assert obligations.classify(message) == "liasse"
    cvae = good.replace(b"IND++2050      ", b"IND++1330CVAE  ").replace(b"IND++2069RCI   ", b"IND++1330CVAE  ")
    assert obligations.classify(edifact.read(cvae).segments) == "cvae"
    for form, code in ((b"3517SCA12", "vat"), (b"DAS2     ", "das2"), (b"2561     ", "ifu")):
        other = good.replace(b"IND++2050      ", b"IND++" + form.ljust(10)).replace(b"IND++2069RCI   ", b"IND++" + form.ljust(10))
        assert obligations.classify(edifact.read(other).segments) == code, form
    # Only the identification: the TDFC channel's default filing, a liasse.
    identification_only = [segment for segment in message if segment.tag != "IND" or "F-IDENTIF" in segment.component(2)]
    assert obligations.forms(identification_only) == [] and obligations.classify(identification_only) == "liasse"
    assert set(obligations.CODES) == {"liasse", "cvae", "vat", "das2", "ifu"}
    assert obligations.OBLIGATIONS["vat"].name("fr").startswith("Déclaration annuelle de TVA")


def test_a_supervisor_s_deadlines_are_paged_soonest_first(client, declarant, handle, operator, on_day):
    """Deadlines come a page at a time (a group of 10,000 subsidiaries has 50,000): ``total``
    counts them all, the pages follow each other without a gap or a repeat."""
    for number in range(1, 8):
        handle("CompanyRegistered", {"company_id": f"s-{number}", "number": f"S{number}", "name": f"Sub {number}",
                                     "siren": f"40000{number:03d}0", "parent_id": "c-blabla"})
    client.put(f"{PROFILE}/s-3", headers=operator, json={"closing": "03-31", "obligations": ["liasse"]})
    on_day(date(2024, 5, 1))
    supervisor = declarant("c-blabla", role="supervisor")
    first = client.get("/declarations/deadlines?per_page=10", headers=supervisor).get_json()
    second = client.get("/declarations/deadlines?per_page=10&page=2", headers=supervisor).get_json()
    rest = client.get("/declarations/deadlines?per_page=10&page=3", headers=supervisor).get_json()
    assert first["total"] == 3 * 7 + 1 and len(first["items"]) == 10 and len(rest["items"]) == 2
    listed = [(item["entity_id"], item["obligation"]) for item in first["items"] + second["items"] + rest["items"]]
    assert len(set(listed)) == 22 and ("s-3", "cvae") not in listed
    assert listed[-1] == ("s-3", "liasse")  # closed 2024-03-31: due 2024-07-15, the rest 2024-05-21
    dues = [item["due_on"] for item in first["items"] + second["items"] + rest["items"]]
    assert dues == sorted(dues) and dues[0] == "2024-05-21" and dues[-1] == "2024-07-15"
    assert client.get("/declarations/deadlines?per_page=500", headers=supervisor).status_code == 400
