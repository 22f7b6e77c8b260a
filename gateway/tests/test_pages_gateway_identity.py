"""The identity pages inside the real gateway app: real sessions, upstream and signed identity,
identity faked over HTTP. Checks what actually goes over the wire (paths, JSON, multipart)."""
from __future__ import annotations

import io
import re

from portalkit.signed_identity import Identity

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
IMPORT_ID = re.compile(r'name="import_id" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "en",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}


def token_of(client, path="/login") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, identity, expired=False):
    identity.routes[("POST", "/auth/login")] = lambda seen: (200, {"user": USER, "password_expired": expired})
    return client.post("/login", data={"email": "claire@client.test", "password": "Portal-Access-93",
                                       "csrf_token": token_of(client)})


def test_forgotten_password_and_reset_through_the_gateway(client, services):
    identity = services["identity"]
    identity.routes[("POST", "/auth/password/forgot")] = lambda seen: (202, b"")
    answer = client.post("/password/forgot", data={"email": "claire@client.test",
                                                   "csrf_token": token_of(client, "/password/forgot")})
    assert answer.status_code == 200 and identity.last.body == b'{"email": "claire@client.test"}'
    identity.routes[("GET", "/auth/password/reset/tok")] = lambda seen: (200, {
        "id": "u1", "email": "claire@client.test", "first_name": "Claire", "last_name": "Durand",
        "language": "fr", "security_level": 3})
    identity.routes[("POST", "/auth/password/reset")] = lambda seen: (204, b"")
    page = client.get("/password/reset/tok").get_data(as_text=True)
    assert '<html lang="fr">' in page and 'data-rule="min_length_10"' in page
    answer = client.post("/password/reset/tok", data={"password": "Brisk-Otter-58-x", "password_confirmation":
                                                      "Brisk-Otter-58-x", "csrf_token": CSRF.search(page).group(1)})
    assert answer.status_code == 200
    assert identity.last.path == "/auth/password/reset"
    assert identity.last.body == b'{"token": "tok", "password": "Brisk-Otter-58-x"}'


def test_expired_password_renewal_uses_the_renewal_session(client, services):
    identity = services["identity"]
    answer = sign_in(client, identity, expired=True)
    assert answer.headers["Location"] == "/password/renew"
    assert client.get("/").headers["Location"] == "/login"  # nothing else opens
    identity.routes[("POST", "/identity/me/password")] = lambda seen: (204, b"")
    answer = client.post("/password/renew", data={
        "current_password": "Portal-Access-93", "password": "Brisk-Otter-58", "password_confirmation":
        "Brisk-Otter-58", "csrf_token": token_of(client, "/password/renew")})
    assert answer.status_code == 200
    sent = identity.last
    assert isinstance(sent.identity, Identity) and sent.identity.user_id == "u1"
    assert sent.identity.scope == "password_change"
    assert client.get("/password/renew").headers["Location"] == "/login"  # that session has ended


def test_users_list_and_import_through_the_gateway(client, services, grant):
    identity = services["identity"]
    sign_in(client, identity)
    grant("u1", "user-management-administration", "c1")
    identity.routes[("GET", "/identity/users")] = lambda seen: (200, {"items": [
        {"id": "u2", "email": "jean@client.test", "display_name": "Jean Martin", "status": "not_activated",
         "locked": True, "function": "Buyer"}], "total": 21})
    page = client.get("/administration/users?q=jean&status=not_activated").get_data(as_text=True)
    assert "Displaying items 1 - 10 of 21" in page and "Jean Martin" in page and "Unlock Jean Martin" in page
    listed = next(seen for seen in identity.received if seen.path == "/identity/users")
    assert "q=jean" in listed.query and "status=not_activated" in listed.query and "per_page=10" in listed.query
    assert "user-management-administration@c1" in listed.identity.entitlements

    identity.routes[("POST", "/identity/imports")] = lambda seen: (202, {
        "id": "imp-1", "status": "preview", "total": 1, "created": 0, "rejected": [], "preview": [
            {"line": 1, "email": "zoe@client.test", "title": "MME", "last_name": "Léger", "first_name": "Zoé",
             "phone": None, "mobile": None, "language": "fr", "security_level": 2}]})
    data = "MME;Léger;Zoé;zoe@client.test\n".encode("cp1252")
    page = client.post("/administration/users/import", content_type="multipart/form-data", data={
        "csrf_token": token_of(client, "/administration/users/import"),
        "file": (io.BytesIO(data), "users.csv")}).get_data(as_text=True)
    assert "Léger" in page and "Import the 1 users" in page and IMPORT_ID.search(page).group(1) == "imp-1"
    # The page's left bar asks for its counts after the upload: the upload is the last import call.
    sent = next(seen for seen in reversed(identity.received) if seen.path == "/identity/imports")
    assert sent.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="dry_run"\r\n\r\ntrue' in sent.body and data in sent.body
    identity.routes[("POST", "/identity/imports/imp-1/start")] = lambda seen: (202, {"id": "imp-1", "status": "queued"})
    answer = client.post("/administration/users/import/run", data={
        "csrf_token": CSRF.search(page).group(1), "import_id": "imp-1"})
    assert answer.headers["Location"] == "/administration/imports/imp-1"
    started = identity.last
    assert (started.method, started.path, started.body) == ("POST", "/identity/imports/imp-1/start", b"")
    assert started.identity.user_id == "u1"
