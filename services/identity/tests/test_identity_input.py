"""What identity's JSON routes accept as text: any BCP 47 tag as a language, kept as the portal's
``en`` or ``fr``; single-line fields without control characters or line breaks."""
from __future__ import annotations

import pytest

from identity_testkit import PASSWORD, PROFILE

ACCEPTED = [("en", "en"), ("en-US", "en"), ("EN-gb", "en"), ("fr", "fr"), ("fr-FR", "fr"), ("fr-ca", "fr"),
            ("FR_CA", "fr"), ("en-Latn-GB", "en"), ("fr-419", "fr")]
REFUSED = ["de", "xx-YY", "", "fr-", "french", "en-US-"]
NOT_ONE_LINE = ["Bruno\nPetit", "Bruno\r", "Tab\there", "Nul\x00", "Bell\x07", "Nel\x85", "Line\u2028sep",
                "Right\u202eto left"]


@pytest.fixture
def admin(portal):
    portal.register("C1")
    return portal.admin_of("C1")


@pytest.mark.parametrize("tag, kept", ACCEPTED)
def test_a_bcp47_tag_is_kept_as_the_portals_language_everywhere(portal, admin, tag, kept):
    operator = portal.client.post("/operator/companies", headers=portal.operator, json={
        "number": "C9", "name": "Nine", "administrator": {"email": "nine@c9.test", "language": tag}})
    assert operator.status_code == 201, operator.json
    assert operator.json["administrator"]["language"] == kept
    created = portal.create_user(admin, "bruno@c1.test", language=tag)
    assert created.status_code == 201 and created.json["language"] == kept
    user_id = created.json["id"]
    patched = portal.client.patch(f"/identity/users/{user_id}", json={"language": tag}, headers=admin)
    assert patched.status_code == 200 and patched.json["language"] == kept
    activated = portal.client.post(f"/auth/activation/{portal.activation_token('bruno@c1.test')}",
                                   json={**PROFILE, "language": tag, "password": PASSWORD}, headers=portal.as_caller())
    assert activated.status_code == 200 and activated.json["language"] == kept
    mine = portal.client.patch("/identity/me", json={"language": tag}, headers=portal.caller("admin@c1.test"))
    assert mine.status_code == 200 and mine.json["language"] == kept
    assert portal.user("admin@c1.test").language == kept and portal.user("bruno@c1.test").language == kept


@pytest.mark.parametrize("tag", REFUSED)
def test_a_language_the_portal_does_not_speak_is_400_naming_the_field(portal, admin, tag):
    assert portal.create_user(admin, "bruno@c1.test").status_code == 201
    user_id = portal.user("bruno@c1.test").id
    token = portal.activation_token("bruno@c1.test")
    calls = [
        ("post", "/identity/users", {"email": "other@c1.test", "last_name": "X", "language": tag}, admin),
        ("patch", f"/identity/users/{user_id}", {"language": tag}, admin),
        ("patch", "/identity/me", {"language": tag}, portal.caller("admin@c1.test")),
        ("post", f"/auth/activation/{token}", {**PROFILE, "language": tag, "password": PASSWORD}, portal.as_caller()),
    ]
    for method, path, body, headers in calls:
        answer = getattr(portal.client, method)(path, json=body, headers=headers)
        assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_input", (path, answer.json)
        assert list(answer.json["error"]["fields"]) == ["language"], path
    company = portal.client.post("/operator/companies", headers=portal.operator, json={
        "number": "C9", "name": "Nine", "administrator": {"email": "nine@c9.test", "language": tag}})
    assert company.status_code == 400 and company.json["error"]["fields"] == {
        "administrator": {"language": [company.json["error"]["fields"]["administrator"]["language"][0]]}}


@pytest.mark.parametrize("value", NOT_ONE_LINE)
def test_control_characters_and_line_breaks_are_refused_in_single_line_fields(portal, admin, value):
    assert portal.create_user(admin, "bruno@c1.test").status_code == 201
    user_id = portal.user("bruno@c1.test").id
    token = portal.activation_token("bruno@c1.test")
    group = portal.client.post("/identity/groups", json={"name": "Buyers"}, headers=admin).json["id"]
    me = portal.caller("admin@c1.test")
    calls = [("post", "/identity/users", {"email": "x@c1.test", "last_name": "X", name: value}, admin, name)
             for name in ("first_name", "last_name", "function", "office_phone", "mobile_phone")]
    calls += [("patch", f"/identity/users/{user_id}", {name: value}, admin, name)
              for name in ("first_name", "last_name", "function", "office_phone", "mobile_phone")]
    calls += [("patch", "/identity/me", {name: value}, me, name) for name in ("first_name", "function", "mobile_phone")]
    calls += [("post", f"/auth/activation/{token}", {**PROFILE, "last_name": value, "password": PASSWORD},
               portal.as_caller(), "last_name"),
              ("post", "/identity/groups", {"name": value}, admin, "name"),
              ("patch", f"/identity/groups/{group}", {"name": value}, admin, "name")]
    for field in ("name", "city", "postcode", "number"):
        calls.append(("post", "/operator/companies", {"number": "C9", "name": "Nine", field: value,
                                                      "administrator": {"email": "nine@c9.test"}},
                      portal.operator, field))
    for method, path, body, headers, field in calls:
        answer = getattr(portal.client, method)(path, json=body, headers=headers)
        assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_input", (path, field)
        assert list(answer.json["error"]["fields"]) == [field], (path, answer.json)
    assert portal.user("x@c1.test") is None and portal.user("bruno@c1.test").first_name == "Bruno"


def test_ordinary_text_is_kept_as_typed(portal, admin):
    created = portal.create_user(admin, "anne@c1.test", first_name="Anne-Sophie", last_name="D'Artagnan Ñúñez",
                                 office_phone="+33 (0)1 23 45 67 89", function="Responsable achats — Île-de-France")
    assert created.status_code == 201
    assert (created.json["last_name"], created.json["function"]) == ("D'Artagnan Ñúñez",
                                                                      "Responsable achats — Île-de-France")
