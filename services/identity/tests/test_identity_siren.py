"""A company's SIREN: set by operators at registration or later, its Luhn key checked, unique."""
from identity_testkit import Portal

SIREN, OTHER_SIREN, WRONG_KEY = "732829320", "552100554", "732829321"


def _register(portal: Portal, number: str, siren=None):
    body = {"number": number, "name": f"Company {number}", "siren": siren,
            "administrator": {"email": f"admin@{number.lower()}.test", "title": "MME", "first_name": "Claire",
                              "last_name": "Durand", "language": "fr"}}
    return portal.client.post("/operator/companies", json=body, headers=portal.operator)


def test_a_company_registered_with_its_siren_tells_it(portal):
    response = _register(portal, "C1", SIREN)
    assert response.status_code == 201, response.json
    assert response.json["company"]["siren"] == SIREN
    assert portal.events("CompanyRegistered")[-1]["siren"] == SIREN


def test_a_wrong_luhn_key_or_a_taken_siren_is_refused(portal):
    refused = _register(portal, "C1", WRONG_KEY)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_siren"
    assert "siren" in refused.json["error"]["fields"]
    assert _register(portal, "C2", "12345678").json["error"]["code"] == "invalid_siren"
    assert _register(portal, "C3", SIREN).status_code == 201
    taken = _register(portal, "C4", SIREN)
    assert taken.status_code == 409 and taken.json["error"]["code"] == "siren_taken"


def test_operators_set_change_and_clear_a_siren(portal, as_caller):
    company_id = _register(portal, "C1").json["company"]["id"]
    other_id = _register(portal, "C2", OTHER_SIREN).json["company"]["id"]
    path = f"/operator/companies/{company_id}"
    response = portal.client.patch(path, json={"siren": SIREN}, headers=portal.operator)
    assert response.status_code == 200 and response.json["siren"] == SIREN
    assert portal.events("CompanyUpdated")[-1] == {"company_id": company_id, "number": "C1",
                                                   "name": "Company C1", "siren": SIREN}
    assert portal.client.patch(path, json={"siren": WRONG_KEY}, headers=portal.operator).json["error"]["code"] \
        == "invalid_siren"
    taken = portal.client.patch(f"/operator/companies/{other_id}", json={"siren": SIREN}, headers=portal.operator)
    assert taken.status_code == 409
    assert portal.client.patch(path, json={"siren": None}, headers=portal.operator).json["siren"] is None
    assert portal.client.patch("/operator/companies/nope", json={"siren": SIREN},
                               headers=portal.operator).status_code == 404
    assert portal.client.patch(path, json={"siren": SIREN}, headers=as_caller(user_id="u1",
                                                                              company_id=company_id)).status_code == 403
