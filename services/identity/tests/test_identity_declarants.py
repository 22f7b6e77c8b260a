"""Declarant accounts: issued by operators or administrators, the password link, the declarative
sign-in (lockout, audits), revocation, the tie to a portal user holding the role's service."""
from identity_testkit import Portal

SIREN, SUBSIDIARY_SIREN = "732829320", "552100554"
PASSWORD = "Liasse-Fiscale-2026!"
DECLARATIVE, SUPERVISOR = "declarative-services-etafi", "supervisor-service-etafi"


def _company(portal: Portal, number: str, siren: str | None, parent: str | None = None) -> str:
    company_id = portal.register(number, parent=parent)
    if siren:
        response = portal.client.patch(f"/operator/companies/{company_id}", json={"siren": siren},
                                       headers=portal.operator)
        assert response.status_code == 200, response.json
    return company_id


def _issue(portal: Portal, headers: dict, path: str = "/operator/declarants", **fields):
    body = {"login": "decl.one", "role": "declarant", "email": "decl@c1.test", "first_name": "Denis",
            "last_name": "Martin", "language": "fr-FR", **fields}
    return portal.client.post(path, json=body, headers=headers)


def _set_password(portal: Portal, login: str, password: str = PASSWORD, event: str = "DeclarantIssued"):
    token = [e for e in portal.events(event) if e["login"] == login][-1]["password_token"]
    assert portal.client.get(f"/auth/declarative/password/{token}", headers=portal.as_caller()).json["login"] == login
    return portal.client.post(f"/auth/declarative/password/{token}", json={"password": password},
                              headers=portal.as_caller()), token


def _login(portal: Portal, login: str = "decl.one", password: str = PASSWORD):
    return portal.client.post("/auth/declarative/login", json={"login": login, "password": password},
                              headers=portal.as_caller(client_ip="10.0.0.1"))


def test_an_operator_issues_an_account_whose_link_sets_the_password_once(portal):
    company_id = _company(portal, "C1", SIREN)
    issued = _issue(portal, portal.operator, company_id=company_id)
    assert issued.status_code == 201, issued.json
    assert issued.json["status"] == "active" and issued.json["password_set"] is False
    event = portal.events("DeclarantIssued")[-1]
    assert event["login"] == "decl.one" and event["language"] == "fr" and event["company_id"] == company_id
    assert _login(portal).status_code == 401  # no password yet
    weak, _token = _set_password(portal, "decl.one", "short")
    assert weak.status_code == 400 and "min_length_10" in weak.json["error"]["fields"]["password"]
    done, token = _set_password(portal, "decl.one")
    assert done.status_code == 204
    again = portal.client.post(f"/auth/declarative/password/{token}", json={"password": PASSWORD + "x"},
                               headers=portal.as_caller())
    assert again.status_code == 410
    signed_in = _login(portal)
    assert signed_in.status_code == 200, signed_in.json
    declarant = signed_in.json["declarant"]
    assert declarant["role"] == "declarant" and [e["siren"] for e in declarant["entities"]] == [SIREN]


def test_a_company_without_siren_or_a_taken_login_is_refused(portal):
    plain = _company(portal, "C1", None)
    assert _issue(portal, portal.operator, company_id=plain).json["error"]["code"] == "siren_missing"
    company_id = _company(portal, "C2", SIREN)
    assert _issue(portal, portal.operator, company_id=company_id).status_code == 201
    taken = _issue(portal, portal.operator, company_id=company_id, login="DECL.ONE")
    assert taken.status_code == 409 and taken.json["error"]["code"] == "login_taken"
    assert _issue(portal, portal.operator, company_id=company_id, login="a b").status_code == 400
    assert _issue(portal, portal.operator, company_id="nope", login="other").status_code == 404


def test_administrators_issue_for_their_company_only_and_see_no_other(portal):
    own = _company(portal, "C1", SIREN)
    other = _company(portal, "C2", SUBSIDIARY_SIREN)
    admin = portal.admin_of("C1")
    issued = _issue(portal, admin, path="/identity/declarants")
    assert issued.status_code == 201 and issued.json["company"]["id"] == own
    assert _issue(portal, admin, path="/identity/declarants", company_id=other, login="x.two").status_code == 404
    foreign = _issue(portal, portal.operator, company_id=other, login="foreign").json["id"]
    assert portal.client.get(f"/identity/declarants/{foreign}", headers=admin).status_code == 404
    assert portal.client.post(f"/identity/declarants/{foreign}/revoke", headers=admin).status_code == 404
    listed = portal.client.get("/identity/declarants", headers=admin).json
    assert listed["total"] == 1 and listed["items"][0]["login"] == "decl.one"
    assert portal.client.get("/operator/declarants?q=foreign", headers=portal.operator).json["total"] == 1
    user = portal.caller("admin@c1.test")
    assert portal.client.get("/identity/declarants", headers=user).status_code == 403


def test_lockout_after_the_strong_levels_failures_and_the_audits(portal):
    company_id = _company(portal, "C1", SIREN)
    _issue(portal, portal.operator, company_id=company_id)
    _set_password(portal, "decl.one")
    for _ in range(5):
        assert _login(portal, password="Wrong-Password-1").status_code == 401
    locked = _login(portal)
    assert locked.status_code == 423 and locked.json["error"]["code"] == "account_locked"
    listed = portal.client.get("/operator/declarants?status=locked", headers=portal.operator).json
    assert listed["total"] == 1
    declarant_id = listed["items"][0]["id"]
    session = portal.as_caller(user_id=declarant_id, company_id=company_id, scope="declarative")
    audits = portal.client.get("/auth/declarative/audits", headers=session).json
    assert audits["total"] == 6 and [a["reason"] for a in audits["items"]][:2] == ["locked", "lockout"]
    portal_session = portal.caller("admin@c1.test")
    refused = portal.client.get("/auth/declarative/audits", headers=portal_session)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "declarative_sign_in_required"


def test_revocation_ends_the_sessions_and_the_sign_in(portal):
    company_id = _company(portal, "C1", SIREN)
    declarant_id = _issue(portal, portal.operator, company_id=company_id).json["id"]
    _set_password(portal, "decl.one")
    revoked = portal.client.post(f"/operator/declarants/{declarant_id}/revoke", headers=portal.operator)
    assert revoked.status_code == 200 and revoked.json["status"] == "revoked"
    assert portal.events("SessionsEnded")[-1]["user_id"] == declarant_id
    assert portal.events("DeclarantRevoked")[-1]["declarant_id"] == declarant_id
    assert _login(portal).status_code == 401
    assert portal.client.post(f"/operator/declarants/{declarant_id}/revoke",
                              headers=portal.operator).status_code == 409


def test_a_reset_or_a_forgotten_password_mails_a_new_link(portal):
    company_id = _company(portal, "C1", SIREN)
    declarant_id = _issue(portal, portal.operator, company_id=company_id).json["id"]
    _set_password(portal, "decl.one")
    assert portal.client.post(f"/operator/declarants/{declarant_id}/reset",
                              headers=portal.operator).status_code == 202
    reused, _token = _set_password(portal, "decl.one", event="DeclarantPasswordResetRequested")
    assert "reused_password" in reused.json["error"]["fields"]["password"]
    assert _set_password(portal, "decl.one", "Bilan-Fiscal-2027!",
                         event="DeclarantPasswordResetRequested")[0].status_code == 204
    assert _login(portal, password="Bilan-Fiscal-2027!").status_code == 200
    assert portal.client.post("/auth/declarative/password/forgot", json={"login": "nobody"},
                              headers=portal.as_caller()).status_code == 202


def test_a_supervisor_declares_for_the_groups_entities_with_a_siren(portal):
    head = _company(portal, "HEAD", SIREN)
    _company(portal, "SUB", SUBSIDIARY_SIREN, parent="HEAD")
    _company(portal, "SHOP", None, parent="HEAD")
    _issue(portal, portal.operator, company_id=head, role="supervisor", login="group.super")
    _set_password(portal, "group.super")
    entities = _login(portal, "group.super").json["declarant"]["entities"]
    assert sorted(e["siren"] for e in entities) == sorted([SIREN, SUBSIDIARY_SIREN])


def test_only_a_user_holding_the_roles_service_may_be_tied(portal):
    company_id = _company(portal, "C1", SIREN)
    user_id = portal.user("admin@c1.test").id
    refused = _issue(portal, portal.operator, company_id=company_id, user_id=user_id)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "service_not_held"
    portal.grant(user_id, company_id, DECLARATIVE)
    assert _issue(portal, portal.operator, company_id=company_id, user_id=user_id,
                  role="supervisor").json["error"]["code"] == "service_not_held"
    tied = _issue(portal, portal.operator, company_id=company_id, user_id=user_id)
    assert tied.status_code == 201 and tied.json["user_id"] == user_id
    portal.grant(user_id, company_id, DECLARATIVE, event="SubscriptionCancelled")
    assert _issue(portal, portal.operator, company_id=company_id, user_id=user_id,
                  login="again").json["error"]["code"] == "service_not_held"


def test_the_declarant_reads_their_account_and_the_sessions_entities(portal):
    company_id = _company(portal, "C1", SIREN)
    declarant_id = _issue(portal, portal.operator, company_id=company_id).json["id"]
    session = portal.as_caller(user_id=declarant_id, company_id=company_id, scope="declarative",
                               declarant_role="declarant", entities=frozenset({company_id}))
    me = portal.client.get("/auth/declarative/me", headers=session).json
    assert me["login"] == "decl.one" and [e["id"] for e in me["entities"]] == [company_id]
    assert portal.client.get("/auth/declarative/me", headers=portal.operator).status_code == 401
