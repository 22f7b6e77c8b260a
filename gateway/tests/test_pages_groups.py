"""User groups through the pages: create, rename, members, delete (fake identity behind)."""
from __future__ import annotations

import re

import pytest


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(administrator_pages):
    return administrator_pages


def token(client, path="/administration/groups") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def create(client, name="Buyers"):
    return client.post("/administration/groups", data={"csrf_token": token(client), "name": name})


def test_create_and_list_groups(client, portal):
    assert "No group yet." in client.get("/administration/groups").get_data(as_text=True)
    assert create(client).headers["Location"] == "/administration/groups?done=created"
    page = client.get("/administration/groups?done=created").get_data(as_text=True)
    assert "The group has been created." in page and "Buyers" in page and "1 group" in page
    again = create(client)
    assert again.status_code == 409 and "already exists" in again.get_data(as_text=True)
    assert create(client, "").status_code == 400


def test_members_are_added_and_removed(client, portal):
    create(client)
    group = next(iter(portal.identity.groups.values()))
    path = f"/administration/groups/{group['id']}"
    page = client.get(path).get_data(as_text=True)
    assert "No member yet." in page and "Jean Martin" in page
    jean = next(u for u in portal.identity.users.values() if u["first_name"] == "Jean")
    response = client.post(path + "/members", data={"csrf_token": token(client, path), "user_ids": [jean["id"]]})
    assert response.headers["Location"] == path + "?done=added"
    page = client.get(path).get_data(as_text=True)
    assert "Members (1)" in page
    listed = client.get(f"/administration/users?group={group['id']}").get_data(as_text=True)
    assert "Displaying items 1 - 1 of 1" in listed and "Jean Martin" in listed
    response = client.post(f"{path}/members/{jean['id']}/remove", data={"csrf_token": token(client, path)})
    assert response.headers["Location"] == path + "?done=removed"
    assert jean["groups"] == []


def test_rename_and_delete(client, portal):
    create(client)
    group = next(iter(portal.identity.groups.values()))
    path = f"/administration/groups/{group['id']}"
    response = client.post(path + "/rename", data={"csrf_token": token(client, path), "name": "Purchasing"})
    assert response.headers["Location"] == path + "?done=renamed" and group["name"] == "Purchasing"
    assert "Delete the group Purchasing?" in client.get(path + "/delete").get_data(as_text=True)
    response = client.post(path + "/delete", data={"csrf_token": token(client, path)})
    assert response.headers["Location"] == "/administration/groups?done=deleted"
    assert portal.identity.groups == {}
    assert client.get(path).status_code == 404


def test_groups_in_the_administration_bar(client):
    page = client.get("/administration/users").get_data(as_text=True)
    assert 'href="/administration/groups"' in page and "User groups" in page
