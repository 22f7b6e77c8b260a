"""Each password rule of each security level, named in fields.password, through the routes."""
from __future__ import annotations

import pytest

from identity_testkit import PASSWORD, PROFILE


def _activation(portal, level, email="lea@c1.test", first_name="Élodie", last_name="Durand"):
    admin = portal.admin_of("C1")
    assert portal.create_user(admin, email, security_level=level, first_name=first_name,
                              last_name=last_name).status_code == 201
    token = portal.activation_token(email)

    def attempt(password):
        return portal.client.post(f"/auth/activation/{token}",
                                  json={**PROFILE, "first_name": first_name, "last_name": last_name,
                                        "password": password}, headers=portal.as_caller())
    return attempt


def _broken(response):
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "password_rules"
    return set(response.json["error"]["fields"]["password"])


@pytest.fixture
def company(portal):
    return portal.register("C1")


@pytest.mark.parametrize("level, password, rules", [
    (1, "Tk7#q", {"min_length_8"}),
    (1, "x" * 129, {"max_length_128"}),
    (1, "iloveyou", {"common_password"}),
    (1, "Sunshine", {"common_password"}),          # case-blind
    (1, "PASSWORD", {"common_password"}),
    (1, "Password123!", {"common_password"}),      # a listed one with digits and a symbol after it
    (1, "!!password2024", {"common_password"}),    # ... and symbols before it
    (2, "#Sunshine2024", {"common_password"}),
    (1, "Sunshine-Harbour-7", set()),               # a listed word inside a longer one is fine
    (1, "lea@c1.test", {"not_email"}),
    (2, "tkqwzbmrx", {"three_character_classes"}),
    (2, "Xo-elodie-42", {"no_part_of_name"}),       # "Élodie" without its accent
    (2, "Xo-RAND-42z", {"no_part_of_name"}),        # 3 letters of "Durand", upper case
    (3, "Tk7#qwmz", {"min_length_10"}),
    (3, "Tk7#qwmzpr", set()),
])
def test_each_rule_is_named(portal, company, level, password, rules):
    attempt = _activation(portal, level)
    response = attempt(password)
    if rules:
        assert _broken(response) == rules
    else:
        assert response.status_code == 200


def test_several_broken_rules_are_all_named_and_the_link_still_works(portal, company):
    attempt = _activation(portal, 3)
    assert _broken(attempt("durand1")) == {"min_length_10", "three_character_classes", "no_part_of_name"}
    assert attempt(PASSWORD).status_code == 200


def test_weak_level_only_needs_length(portal, company):
    attempt = _activation(portal, 1)
    assert attempt("durandxyz").status_code == 200  # names and classes are moderate rules


def test_128_characters_are_kept_whole(portal, company):
    attempt = _activation(portal, 2)
    password = "Aa1-" + "k" * 124
    assert attempt(password).status_code == 200
    assert portal.login("lea@c1.test", password).status_code == 200
    assert portal.login("lea@c1.test", password[:-1]).status_code == 401  # never truncated


def test_the_rules_of_each_level_are_listed(portal):
    weak = portal.client.get("/auth/password-rules/1", headers=portal.as_caller()).json["rules"]
    strong = portal.client.get("/auth/password-rules/3", headers=portal.as_caller()).json["rules"]
    assert "reused_password" not in weak and {"min_length_8", "common_password", "not_email"} <= set(weak)
    assert {"min_length_10", "three_character_classes", "no_part_of_name", "reused_password"} <= set(strong)
    assert portal.client.get("/auth/password-rules/4", headers=portal.as_caller()).status_code == 404


def test_the_last_passwords_cannot_come_back(portal, company, monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD_HISTORY", "3")
    headers = portal.caller("admin@c1.test")
    passwords = [PASSWORD, "Second-Pass-71", "Third-Pass-72"]

    def change(current, new):
        return portal.client.post("/identity/me/password", json={"current_password": current, "new_password": new},
                                  headers=headers)
    assert change(passwords[0], passwords[1]).status_code == 204
    assert change(passwords[1], passwords[2]).status_code == 204
    for old in passwords:  # the current one and the two before
        assert _broken(change(passwords[2], old)) == {"reused_password"}
    assert change(passwords[2], "Fourth-Pass-73").status_code == 204
    assert change("Fourth-Pass-73", passwords[0]).status_code == 204  # 4 changes ago: forgotten


def test_weak_level_may_reuse(portal, company):
    attempt = _activation(portal, 1)
    assert attempt("Weak-but-ok").status_code == 200
    response = portal.client.post("/identity/me/password", json={"current_password": "Weak-but-ok",
                                                                   "new_password": "Weak-but-ok"},
                                  headers=portal.caller("lea@c1.test"))
    assert response.status_code == 204
