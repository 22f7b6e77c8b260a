"""Forgotten password, reset link and the renewal of an expired password (identity faked over HTTP)."""
from __future__ import annotations

import re

import pytest


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(portal, client):
    """The real app's browser, with identity played by the fake portal."""
    return client


def post(client, path, form_path=None, **data):
    token = CSRF.search(client.get(form_path or path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **data})


def test_forgotten_password_answers_the_same_for_any_address(client, portal):
    for email in ("claire@client.test", "nobody@client.test"):
        response = post(client, "/password/forgot", email=email)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Check your mailbox" in page and email in page
    assert portal.identity.forgotten == ["claire@client.test", "nobody@client.test"]


def test_forgotten_password_needs_an_address(client, portal):
    response = post(client, "/password/forgot", email="not an address")
    assert response.status_code == 400 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert portal.identity.forgotten == []


def test_forgotten_password_form_in_french(client):
    page = client.get("/password/forgot", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Mot de passe oublié" in page and "M'envoyer un lien" in page.replace("&#39;", "'")


def test_reset_page_lists_the_rules_of_the_account(client):
    page = client.get("/password/reset/demo-reset").get_data(as_text=True)
    assert "Choose a new password" in page and "claire@client.test" in page
    assert 'data-rule="three_character_classes"' in page and 'data-rule="passwords_match"' in page
    assert 'data-first-name="Claire"' in page and "data-password-form" in page


def test_reset_refusals_name_the_broken_rules(client, portal):
    path = "/password/reset/demo-reset"
    response = post(client, path, password="claire123", password_confirmation="claire123")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "No 3 consecutive characters of your first or last name" in page
    assert 'class="rule rule-unmet" data-rule="no_part_of_name"' in page
    response = post(client, path, password="Brisk-Otter-58", password_confirmation="Brisk-Otter-59")
    assert response.status_code == 400 and "The two passwords are not the same." in response.get_data(as_text=True)
    assert portal.accounts["claire@client.test"]["password"] == "Portal-Access-93"


def test_reset_sets_the_password_once(client, portal):
    response = post(client, "/password/reset/demo-reset", password="Brisk-Otter-58",
                    password_confirmation="Brisk-Otter-58")
    assert response.status_code == 200 and "Your password has been changed" in response.get_data(as_text=True)
    assert portal.accounts["claire@client.test"]["password"] == "Brisk-Otter-58"
    again = client.get("/password/reset/demo-reset")
    assert again.status_code == 410 and "This link can no longer be used" in again.get_data(as_text=True)
    assert 'href="/password/forgot"' in again.get_data(as_text=True)


def test_an_overlong_reset_token_is_gone_without_asking_identity(client, portal):
    assert client.get("/password/reset/" + "x" * 300).status_code == 410
    assert not any(path.startswith("/auth/password/reset/x") for _, _, path, _ in portal.calls)


def sign_in_expired(client):
    return post(client, "/login", "/login", email="expired@client.test", password="Portal-Access-93")


def test_expired_password_is_changed_then_the_user_signs_in_again(client, portal):
    signed_in = sign_in_expired(client)
    assert signed_in.headers["Location"] == "/password/renew"
    renewal = next(c for c in signed_in.headers.getlist("Set-Cookie") if c.startswith("portal_renewal="))
    page = client.get("/password/renew").get_data(as_text=True)
    assert "Your password has expired" in page and 'name="current_password"' in page
    response = post(client, "/password/renew", current_password="Portal-Access-93",
                    password="Brisk-Otter-58", password_confirmation="Brisk-Otter-58")
    assert response.status_code == 200 and "Sign in again with your new password." in response.get_data(as_text=True)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("portal_renewal="))
    assert "Expires=Thu, 01 Jan 1970" in cookie
    assert portal.accounts["expired@client.test"]["password"] == "Brisk-Otter-58"
    assert portal.user_of(renewal.split(";")[0].split("=", 1)[1]) is None  # the renewal session is over
    assert client.get("/password/renew").headers["Location"] == "/login"


def test_renewal_page_lists_the_rules_of_the_users_own_level(client, portal):
    portal.accounts["expired@client.test"]["security_level"] = 3
    sign_in_expired(client)
    page = client.get("/password/renew").get_data(as_text=True)
    assert 'data-min-length="10"' in page and "At least 10 characters" in page
    account = portal.accounts["expired@client.test"]
    assert f'data-first-name="{account["first_name"]}"' in page and 'data-email="expired@client.test"' in page


def test_expired_password_renewal_refusals(client, portal):
    sign_in_expired(client)
    response = post(client, "/password/renew", current_password="wrong", password="Brisk-Otter-58",
                    password_confirmation="Brisk-Otter-58")
    assert response.status_code == 400 and "This is not your current password." in response.get_data(as_text=True)
    response = post(client, "/password/renew", current_password="Portal-Access-93", password="short",
                    password_confirmation="short")
    assert response.status_code == 400 and "At least 8 characters" in response.get_data(as_text=True)
    assert portal.accounts["expired@client.test"]["password"] == "Portal-Access-93"


def test_renewal_page_without_a_renewal_session_goes_to_sign_in(client):
    assert client.get("/password/renew").headers["Location"] == "/login"
    client.set_cookie("portal_renewal", "made-up", path="/password/renew")
    assert client.get("/password/renew").headers["Location"] == "/login"
