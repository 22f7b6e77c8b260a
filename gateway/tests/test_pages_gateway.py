"""The pages inside the real gateway app: real sessions and upstream, identity faked over HTTP.

Uses the gateway's fixtures (tests/conftest.py): ``client`` is ``gateway.app.create_app``'s.
"""
from __future__ import annotations

import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "en",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}


def token_of(client, path="/login") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def test_sign_in_home_and_sign_out_through_the_gateway(client, services, grant):
    identity = services["identity"]
    identity.routes[("POST", "/auth/login")] = lambda seen: (200, {"user": USER, "password_expired": False})
    answer = client.post("/login", data={"email": "claire@client.test", "password": "Portal-Access-93",
                                         "csrf_token": token_of(client)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert identity.last.identity.client_ip is not None

    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Claire Durand" in home and "Durand Industries" in home
    assert "ADMINISTRATION" not in home
    grant("u1", "user-management-administration", "c1")
    assert 'href="/administration"' in client.get("/").get_data(as_text=True)

    answer = client.post("/logout", data={"csrf_token": token_of(client, "/")})
    assert answer.headers["Location"] == "/login"
    assert client.get("/").headers["Location"] == "/login"


def test_refused_sign_in_through_the_gateway(client, services):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (
        423, {"error": {"code": "account_locked", "message": "Locked."}})
    answer = client.post("/login", data={"email": "claire@client.test", "password": "x",
                                         "csrf_token": token_of(client)})
    assert answer.status_code == 423
    assert "Your account is locked" in answer.get_data(as_text=True)


def test_activation_through_the_gateway(client, services):
    identity = services["identity"]
    profile = {"email": "new@client.test", "title": "M", "first_name": "Jean", "last_name": "Martin",
               "language": "fr", "function": "", "office_phone": "", "mobile_phone": "",
               "security_level": 2, "company": {"id": "c1", "name": "Acme"}}
    identity.routes[("GET", "/auth/activation/tok-1")] = lambda seen: (200, profile)
    identity.routes[("POST", "/auth/activation/tok-1")] = lambda seen: (200, {**profile, "status": "active"})
    identity.routes[("GET", "/auth/activation/used")] = lambda seen: (
        410, {"error": {"code": "token_invalid", "message": "Gone."}})

    page = client.get("/activate/tok-1").get_data(as_text=True)
    assert "Étape 1/3" in page and "Monsieur" in page
    done = client.post("/activate/tok-1", data={
        "csrf_token": CSRF.search(page).group(1), "step": "3", "action": "validate", "title": "M",
        "first_name": "Jean", "last_name": "Martin", "language": "fr", "function": "", "office_phone": "",
        "mobile_phone": "", "password": "Sunny-Harbour-42", "password_confirmation": "Sunny-Harbour-42"})
    assert done.status_code == 200 and "Votre compte est actif" in done.get_data(as_text=True)
    assert identity.last.method == "POST" and b'"password": "Sunny-Harbour-42"' in identity.last.body
    assert client.get("/activate/used").status_code == 410


def test_the_gateway_error_pages_are_the_friendly_ones(client, services):
    answer = client.get("/no/such/page")
    assert answer.status_code == 404 and 'class="site-header"' in answer.get_data(as_text=True)
    api = client.get("/api/no/such/route")
    assert api.get_json()["error"]["code"] == "not_found"
