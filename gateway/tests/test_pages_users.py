"""The administrator's users list, its actions, and the user form (identity faked over HTTP)."""
from __future__ import annotations

import re

import pytest


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def portal(portal):
    """The demo portal, with twelve more users: two pages of the list."""
    for number in range(12):
        portal.identity.add_user(f"user{number:02d}@client.test", f"User{number:02d}", "Zed", function="Clerk")
    return portal


@pytest.fixture
def client(administrator_pages):
    return administrator_pages


def token(client, path="/administration/users") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def user_named(portal, first_name) -> dict:
    return next(user for user in portal.identity.users.values() if user["first_name"] == first_name)


def test_only_administrators_open_the_administration(client, portal):
    portal.add_account("jean@client.test", "Portal-Access-93", first_name="Jean", entitlements=())
    client.set_cookie("portal_session", portal.open_session("jean@client.test"))
    for path in ("/administration", "/administration/users", "/administration/users/new",
                 "/administration/users/import", "/administration/groups"):
        assert client.get(path).status_code == 403, path


def test_administration_opens_on_the_users_list(client):
    assert client.get("/administration").headers["Location"] == "/administration/users"


def test_list_with_criteria_pager_and_status_icons(client):
    page = text(client.get("/administration/users"))
    assert "Displaying items 1 - 10 of 15" in page and 'rel="next"' in page
    for label in ("Name or e-mail", "Function", "Status", "Group", "Clear filter", "Filter",
                  "Send the activation e-mail", "Add a user", "Import users"):
        assert label in page
    assert 'class="status status-active"' in page and "Error: no e-mail" in page
    assert "Modify Jean Martin" in page and "Delete Jean Martin" in page and "Unlock Jean Martin" in page
    assert '<option value="Clerk">Clerk</option>' in page
    second = text(client.get("/administration/users?page=2"))
    assert "Displaying items 11 - 15 of 15" in second and 'rel="prev"' in second


def test_list_filters(client, portal):
    page = text(client.get("/administration/users?status=no_email"))
    assert "Displaying items 1 - 1 of 1" in page and "Lina Petit" in page
    assert '<option value="no_email" selected>' in page
    page = text(client.get("/administration/users?q=nobody"))
    assert "No user matches these criteria." in page
    page = text(client.get("/administration/users?status=bogus&page=99"))
    assert client.get("/administration/users?page=99").headers["Location"] == "/administration/users?page=2"


def test_list_in_french(client, portal):
    portal.accounts["claire@client.test"]["language"] = "fr"
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    page = text(client.get("/administration/users"))
    assert re.search(r"Éléments 1 (-|à) 10 sur 15", page)
    assert "Effacer le filtre" in page and "Erreur : pas d'e-mail" in page


def test_activation_mails_for_the_selection(client, portal):
    paul = user_named(portal, "Paul")
    jean = user_named(portal, "Jean")
    response = client.post("/administration/users/activation-mails", data={
        "csrf_token": token(client), "user_ids": [paul["id"], jean["id"]], "back": "/administration/users?q=a"})
    assert response.headers["Location"] == "/administration/users?q=a&done=mails&sent=1&skipped=1"
    page = text(client.get(response.headers["Location"]))
    assert "1 activation e-mail sent." in page and "1 user skipped" in page
    nothing = client.post("/administration/users/activation-mails", data={"csrf_token": token(client)})
    assert "Select the users" in text(client.get(nothing.headers["Location"]))


def test_actions_return_only_to_the_list(client, portal):
    jean = user_named(portal, "Jean")
    response = client.post(f"/administration/users/{jean['id']}/unlock",
                           data={"csrf_token": token(client), "back": "https://evil.example/"})
    assert response.headers["Location"] == "/administration/users?done=unlocked"
    assert jean["locked"] is False


def test_create_a_user(client, portal):
    page = text(client.get("/administration/users/new"))
    assert page.index('name="email"') < page.index('name="title"') < page.index('name="security_level"')
    assert "Data protection" in page
    form = {"csrf_token": token(client, "/administration/users/new"), "email": "new@client.test", "title": "MME",
            "last_name": "Neuve", "first_name": "Anne", "office_phone": "", "mobile_phone": "", "language": "fr",
            "function": "Buyer", "security_level": "3"}
    response = client.post("/administration/users/new", data=form)
    assert response.headers["Location"] == "/administration/users?done=created"
    created = user_named(portal, "Anne")
    assert created["security_level"] == 3 and created["language"] == "fr"
    again = client.post("/administration/users/new", data=form)
    assert again.status_code == 409 and "A user with this e-mail address already exists." in text(again)


def test_create_checks_the_form_first(client, portal):
    response = client.post("/administration/users/new", data={
        "csrf_token": token(client, "/administration/users/new"), "email": "nope", "language": "en",
        "security_level": "9"})
    assert response.status_code == 400 and text(response).count('aria-invalid="true"') == 2
    assert not any(method == "POST" and path == "/identity/users" for _, method, path, _ in portal.calls)


def test_edit_a_user_keeps_the_address_of_an_active_one(client, portal):
    jean = user_named(portal, "Jean")
    page = text(client.get(f"/administration/users/{jean['id']}"))
    assert "Modify a user" in page and 'value="jean@client.test" readonly' in page
    response = client.post(f"/administration/users/{jean['id']}", data={
        "csrf_token": token(client), "email": "other@client.test", "title": "M", "last_name": "Martin",
        "first_name": "Jean", "language": "en", "function": "Head buyer", "security_level": "2"})
    assert response.headers["Location"] == "/administration/users?done=saved"
    assert jean["function"] == "Head buyer" and jean["email"] == "jean@client.test"
    assert client.get("/administration/users/unknown").status_code == 404


def test_delete_asks_first(client, portal):
    jean = user_named(portal, "Jean")
    page = text(client.get(f"/administration/users/{jean['id']}/delete"))
    assert "Delete Jean Martin (jean@client.test)?" in page
    assert jean["id"] in portal.identity.users
    response = client.post(f"/administration/users/{jean['id']}/delete", data={"csrf_token": token(client)})
    assert response.headers["Location"] == "/administration/users?done=deleted"
    assert jean["id"] not in portal.identity.users


def test_the_last_administrator_is_not_deleted(client, portal):
    jean = user_named(portal, "Jean")
    jean["administrator"] = True
    response = client.post(f"/administration/users/{jean['id']}/delete", data={"csrf_token": token(client)})
    assert response.status_code == 409 and "last administrator" in text(response)
