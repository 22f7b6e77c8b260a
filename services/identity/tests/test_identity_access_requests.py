"""Access requests: filing says nothing back, reaches the company's administrators or the
operators, never makes a second account; decisions create the account or refuse it."""
from __future__ import annotations

REQUEST = {"first_name": "Nina", "last_name": "Morel", "email": "nina@c100.test", "company": "C100",
           "phone": "+33 1 23 45 67 89", "message": "I lost nothing: I never had credentials."}


def _file(portal, **changes):
    return portal.client.post("/auth/access-requests", json={**REQUEST, **changes},
                              headers=portal.as_caller(language="fr"))


def _pending(portal, headers, path="/identity/access-requests"):
    answer = portal.client.get(path, headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json["items"]


def test_the_answer_is_the_same_whatever_the_address_or_company(portal):
    portal.register("C100")
    answers = [_file(portal), _file(portal, email="admin@c100.test"), _file(portal, company="nowhere"),
               _file(portal, email="nobody@else.test", company="Company C100")]
    assert {(a.status_code, a.data, a.content_type) for a in answers} == {(202, b"", answers[0].content_type)}


def test_a_known_company_with_administrators_gets_it(portal):
    portal.register("C100")
    assert _file(portal).status_code == 202
    [event] = portal.events("AccessRequested")
    assert event["routed_to"] == "administrators" and event["language"] == "fr"
    assert [r["email"] for r in event["recipients"]] == ["admin@c100.test"]
    [item] = _pending(portal, portal.admin_of("C100"))
    assert item["email"] == "nina@c100.test" and item["company"]["number"] == "C100"
    # The company is also found by its name, in any case.
    assert _file(portal, email="other@c100.test", company="company c100").status_code == 202
    assert portal.events("AccessRequested")[-1]["routed_to"] == "administrators"


def test_an_unknown_company_or_one_without_administrators_goes_to_the_operators(portal):
    portal.register("C100")
    portal.register("C300", activate=False)  # its administrator never activated
    _file(portal, company="unknown ltd")
    _file(portal, email="x@c300.test", company="C300")
    events = portal.events("AccessRequested")
    assert [e["routed_to"] for e in events] == ["operators", "operators"]
    assert all(r["email"] == "op@vendor.test" for e in events for r in e["recipients"])
    assert _pending(portal, portal.admin_of("C100")) == []
    routed = _pending(portal, portal.operator, "/operator/access-requests?routed_to=operators")
    assert {item["email"] for item in routed} == {"nina@c100.test", "x@c300.test"}


def test_an_address_with_an_account_gets_no_second_one(portal):
    portal.register("C100")
    assert _file(portal, email="ADMIN@c100.test").status_code == 202
    assert portal.events("AccessRequested") == []
    [told] = portal.events("AccessRequestedForExistingAccount")
    assert told["email"] == "admin@c100.test" and told["activated"] is True
    assert _pending(portal, portal.admin_of("C100")) == []
    assert _pending(portal, portal.operator, "/operator/access-requests") == []


def test_asking_again_supersedes_the_older_request(portal):
    portal.register("C100")
    _file(portal)
    _file(portal, message="again")
    [item] = _pending(portal, portal.admin_of("C100"))
    assert item["message"] == "again"


def test_accepting_creates_the_account_and_its_activation_mail(portal):
    portal.register("C100")
    admin = portal.admin_of("C100")
    _file(portal)
    [item] = _pending(portal, admin)
    answer = portal.client.post(f"/identity/access-requests/{item['id']}/accept", json={"security_level": 3},
                                headers=admin)
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "accepted" and answer.json["user_id"]
    user = portal.user("nina@c100.test")
    assert (user.first_name, user.last_name, user.language, user.security_level, user.office_phone) == \
        ("Nina", "Morel", "fr", 3, "+33 1 23 45 67 89")
    assert portal.activation_token("nina@c100.test")
    decided = portal.events("AccessRequestDecided")[-1]
    assert decided["decision"] == "accepted" and decided["user_id"] == user.id
    again = portal.client.post(f"/identity/access-requests/{item['id']}/refuse", json={}, headers=admin)
    assert again.status_code == 409
    actions = [e["action"] for e in portal.client.get("/identity/administration-audits", headers=admin).json["items"]]
    assert actions[:2] == ["access_request_accepted", "user_created"]


def test_refusing_mails_the_reason(portal):
    portal.register("C100")
    admin = portal.admin_of("C100")
    _file(portal)
    [item] = _pending(portal, admin)
    answer = portal.client.post(f"/identity/access-requests/{item['id']}/refuse", json={"reason": "Unknown to us"},
                                headers=admin)
    assert answer.status_code == 200 and answer.json["status"] == "refused"
    decided = portal.events("AccessRequestDecided")[-1]
    assert (decided["decision"], decided["reason"], decided["language"]) == ("refused", "Unknown to us", "fr")
    assert portal.user("nina@c100.test") is None


def test_who_may_decide_what(portal):
    portal.register("C100")
    portal.register("C200")
    _file(portal)
    [item] = _pending(portal, portal.admin_of("C100"))
    other = portal.admin_of("C200")
    for action in ("accept", "refuse"):
        assert portal.client.post(f"/identity/access-requests/{item['id']}/{action}", json={},
                                  headers=other).status_code == 404
    # The operators' routes are the operators' only.
    admin = portal.admin_of("C100")
    assert portal.client.get("/operator/access-requests", headers=admin).status_code == 403
    assert portal.client.post(f"/operator/access-requests/{item['id']}/accept", json={},
                              headers=admin).status_code == 403
    assert portal.client.get("/identity/access-requests", headers=portal.caller("admin@c100.test")).status_code == 403
    # An operator decides any, and names the company when none was found.
    _file(portal, email="lost@nowhere.test", company="nowhere")
    lost = [i for i in _pending(portal, portal.operator, "/operator/access-requests") if i["company"] is None][0]
    missing = portal.client.post(f"/operator/access-requests/{lost['id']}/accept", json={}, headers=portal.operator)
    assert missing.status_code == 400 and missing.json["error"]["fields"] == {"company_id": ["required"]}
    accepted = portal.client.post(f"/operator/access-requests/{lost['id']}/accept",
                                  json={"company_id": portal.companies["C200"]}, headers=portal.operator)
    assert accepted.status_code == 200, accepted.json
    assert portal.user("lost@nowhere.test").company_id == portal.companies["C200"]
    assert portal.client.post("/operator/access-requests/nope/refuse", json={},
                              headers=portal.operator).status_code == 404


def test_bad_input_is_refused_by_field(portal):
    answer = portal.client.post("/auth/access-requests", json={"email": "not-an-address", "first_name": "a\nb"},
                                headers=portal.as_caller())
    assert answer.status_code == 400
    assert {"email", "first_name", "last_name", "company"} <= set(answer.json["error"]["fields"])


def test_an_address_taken_since_the_request_answers_409(portal):
    portal.register("C100")
    admin = portal.admin_of("C100")
    _file(portal)
    [item] = _pending(portal, admin)
    assert portal.create_user(admin, "nina@c100.test").status_code == 201
    answer = portal.client.post(f"/identity/access-requests/{item['id']}/accept", json={}, headers=admin)
    assert answer.status_code == 409 and answer.json["error"]["code"] == "user_exists"


def test_an_operator_names_the_company_by_its_number(portal):
    portal.register("C100")
    _file(portal, company="nowhere")
    [item] = _pending(portal, portal.operator, "/operator/access-requests")
    wrong = portal.client.post(f"/operator/access-requests/{item['id']}/accept", json={"company_number": "C999"},
                               headers=portal.operator)
    assert wrong.status_code == 400 and wrong.json["error"]["fields"] == {"company_number": ["unknown company"]}
    right = portal.client.post(f"/operator/access-requests/{item['id']}/accept", json={"company_number": "C100"},
                               headers=portal.operator)
    assert right.status_code == 200 and right.json["company"]["number"] == "C100"
