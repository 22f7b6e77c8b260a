"""My profile: its blocks, the details, password and e-mail changes, the e-mail confirmation link."""
from __future__ import annotations

import re

import pytest


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(administrator_pages):
    return administrator_pages


def post(client, path, **data):
    token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **data})


def text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def test_profile_needs_sign_in(client):
    client.delete_cookie("portal_session")
    assert client.get("/profile").headers["Location"] == "/login?next=%2Fprofile"


def test_profile_shows_the_details_and_the_blocks(client):
    page = text(client.get("/profile"))
    assert "Claire" in page and "claire@client.test" in page and "Durand Industries" in page
    assert "Moderate" in page and 'href="/profile/password"' in page and 'href="/profile/email"' in page
    assert "Last audits" in page and "192.0.2.10" in page and "Refused (wrong password)" in page
    assert "Last administrators" in page and "Administrator" in page
    # An administrator sees the user counts, each leading to the filtered list.
    assert 'href="/administration/users?status=not_activated"' in page and "waiting for activation" in page


def test_profile_of_a_plain_user_has_no_user_counts(client, portal):
    portal.add_account("jean@client.test", "Portal-Access-93", first_name="Jean", entitlements=())
    client.set_cookie("portal_session", portal.open_session("jean@client.test"))
    page = text(client.get("/profile"))
    assert "My profile" in page and "waiting for activation" not in page
    assert not any(path == "/identity/users/counts" for _, _, path, _ in portal.calls[-3:])


def test_profile_blocks_say_when_they_cannot_be_read(client, portal, monkeypatch):
    real = portal.identity.__call__

    def no_audits(method, path, *args, **kwargs):
        return (503, None) if path == "/identity/me/audits" else real(method, path, *args, **kwargs)
    monkeypatch.setattr(portal, "identity", no_audits)
    page = text(client.get("/profile"))
    assert "This information is not available right now." in page and "Last administrators" in page


def test_profile_in_the_profile_language(client, portal):
    portal.accounts["claire@client.test"]["language"] = "fr"
    page = text(client.get("/profile"))
    assert '<html lang="fr">' in page and "Mon profil" in page and "Derniers audits" in page


def test_details_are_changed(client, portal):
    page = text(client.get("/profile/edit"))
    assert 'value="Claire"' in page and "Data protection" in page
    response = post(client, "/profile/edit", title="MME", last_name="Durand", first_name="Claire-Marie",
                    language="en", function="Buyer", office_phone="", mobile_phone="")
    assert response.headers["Location"] == "/profile?done=details"
    assert portal.accounts["claire@client.test"]["first_name"] == "Claire-Marie"
    assert "Your details have been saved." in text(client.get("/profile?done=details"))


def test_details_are_checked_first(client, portal):
    response = post(client, "/profile/edit", title="DR", last_name="", first_name="C", language="de")
    page = text(response)
    assert response.status_code == 400 and page.count('aria-invalid="true"') == 3
    assert not any(method == "PATCH" for _, method, _, _ in portal.calls)


def test_password_change(client, portal):
    page = text(client.get("/profile/password"))
    assert 'name="current_password"' in page and 'data-rule="no_part_of_name"' in page
    response = post(client, "/profile/password", current_password="wrong", password="Brisk-Otter-58",
                    password_confirmation="Brisk-Otter-58")
    assert response.status_code == 400 and "This is not your current password." in text(response)
    response = post(client, "/profile/password", current_password="Portal-Access-93", password="Password123!",
                    password_confirmation="Password123!")
    assert response.status_code == 400 and "Not a commonly used password" in text(response)
    response = post(client, "/profile/password", current_password="Portal-Access-93", password="Brisk-Otter-58",
                    password_confirmation="Brisk-Otter-58")
    assert response.headers["Location"] == "/profile?done=password"
    assert portal.accounts["claire@client.test"]["password"] == "Brisk-Otter-58"


def test_email_change_request(client, portal):
    response = post(client, "/profile/email", new_email="claire.durand@client.test")
    assert response.status_code == 200 and "claire.durand@client.test" in text(response)
    assert "keep signing in with claire@client.test" in text(response)
    assert len(portal.identity.email_changes) == 1
    response = post(client, "/profile/email", new_email="locked@client.test")
    assert response.status_code == 400 and "already used by an account" in text(response)
    response = post(client, "/profile/email", new_email="claire@client.test")
    assert "This is already your e-mail address." in text(response)


def test_email_change_link_confirms_only_with_the_button(client, portal):
    portal.identity.email_changes["tok"] = ("u", "claire.durand@client.test")
    page = text(client.get("/email-change/tok"))
    assert "Confirm the new address" in page and 'action="/email-change/tok"' in page
    assert "tok" in portal.identity.email_changes  # a visit changes nothing
    response = post(client, "/email-change/tok")
    assert response.status_code == 200 and "Your e-mail address has changed" in text(response)
    again = post(client, "/email-change/tok")
    assert again.status_code == 410 and "This link can no longer be used" in text(again)
