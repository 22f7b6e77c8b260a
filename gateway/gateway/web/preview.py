"""Look at the pages without the mesh: fake sign-in and a fake identity service behind the real pages.

``python -m gateway.web.preview [port]`` serves them on http://127.0.0.1:5000 with a demo account
(claire@client.test / Portal-Access-93, an administrator), an activation link at /activate/demo and a
reset link at /password/reset/demo-reset; expired@client.test shows the renewal. The unit tests
use the same fakes. Nothing here runs in the mesh.
"""
from __future__ import annotations

import importlib
import re
import secrets
import sys
import types
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from flask import Flask

from portalkit.signed_identity import Identity

ADMINISTRATION = "user-management-administration"


@dataclass(frozen=True)
class FakeUser:
    """Shaped like ``gateway.auth.CurrentUser``."""

    session_id: str
    user_id: str
    company_id: str | None
    operator: bool
    language: str
    display_name: str
    company_name: str
    scope: str = "full"
    entitlements: frozenset[str] = field(default_factory=frozenset)


@dataclass
class FakeSignIn:
    """Shaped like ``gateway.auth.SignInResult``."""

    status: int
    body: dict
    token: str | None = None
    expires_at: datetime | None = None


def _error(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


class FakePortal:
    """Accounts, sessions and activation links in memory, answering like gateway.auth and identity."""

    def __init__(self):
        self.accounts: dict[str, dict] = {}
        self.sessions: dict[str, FakeUser] = {}
        self.activations: dict[str, dict] = {}
        self.calls: list[tuple] = []
        self.signed_out: list[str] = []
        from .preview_identity import FakeIdentity
        self.identity = FakeIdentity(self)

    # -- setting the scene -------------------------------------------------------------------
    def add_account(self, email: str, password: str, *, first_name="Claire", last_name="Durand",
                    company_name="Durand Industries", language="en", state="active",
                    entitlements=(ADMINISTRATION,)) -> dict:
        account = {"id": secrets.token_hex(8), "email": email, "password": password, "state": state,
                   "first_name": first_name, "last_name": last_name, "language": language,
                   "company_id": "c1", "company_name": company_name,
                   "entitlements": frozenset(f"{code}@c1" for code in entitlements)}
        self.accounts[email] = account
        return account

    def add_activation(self, token: str, email: str = "new.user@client.test", **profile) -> dict:
        record = {"used": False, "profile": {
            "id": secrets.token_hex(8), "email": email, "title": "MME", "first_name": "Lovana",
            "last_name": "Dupont", "language": "en", "function": "", "office_phone": "",
            "mobile_phone": "", "security_level": 2, "status": "not_activated",
            "company": {"id": "c1", "name": "Dupont & Fils"}, **profile}}
        self.activations[token] = record
        return record

    def open_session(self, email: str, **changes) -> str:
        account = self.accounts[email]
        token = secrets.token_urlsafe(16)
        self.sessions[token] = replace(FakeUser(
            session_id=secrets.token_hex(4), user_id=account["id"], company_id=account["company_id"],
            operator=False, language=account["language"],
            display_name=f"{account['first_name']} {account['last_name']}",
            company_name=account["company_name"], entitlements=account["entitlements"]), **changes)
        return token

    # -- gateway.auth ------------------------------------------------------------------------
    COOKIE_NAME = "portal_session"

    def sign_in(self, email, password, client_ip, user_agent) -> FakeSignIn:
        if not email or not password:
            return FakeSignIn(400, _error("invalid_input", "Some fields are invalid."))
        account = self.accounts.get(email.strip().lower())
        if account is None or account["password"] != password:
            return FakeSignIn(401, _error("invalid_credentials", "Wrong e-mail or password."))
        if account["state"] == "locked":
            return FakeSignIn(423, _error("account_locked", "Locked."))
        if account["state"] == "expired":
            return FakeSignIn(403, _error("password_expired", "Expired."),
                              self.open_session(email, scope="password_change"))
        expires_at = datetime.now(timezone.utc) + timedelta(hours=8)
        return FakeSignIn(200, {"token": "t", "user": {"email": email}}, self.open_session(email), expires_at)

    def sign_out(self, token) -> bool:
        self.signed_out.append(token)
        return self.sessions.pop(token, None) is not None

    def current_user(self, token):
        return self.sessions.get(token)

    def identity_for(self, user, client_ip, language=None) -> Identity:
        return Identity(user_id=user.user_id, company_id=user.company_id, language=user.language,
                        session_id=user.session_id, client_ip=client_ip, entitlements=user.entitlements)

    # -- gateway.upstream ----------------------------------------------------------------------
    def upstream(self) -> "FakePortal":
        return self

    def call(self, service, method, path, identity, json=None, query=None, headers=None, body=None):
        self.calls.append((service, method, path, json))
        match = re.fullmatch(r"/auth/activation/([^/]+)", path)
        if service == "identity" and not match:
            return self.identity(method, path, identity, json, query, body)
        if service != "identity":
            return 404, _error("not_found", "No such resource.")
        record = self.activations.get(match.group(1))
        if record is None or record["used"]:
            return 410, _error("token_invalid", "This link has already been used or has expired.")
        if method == "GET":
            return 200, dict(record["profile"])
        profile = {**record["profile"], **{k: v for k, v in json.items() if k != "password"}}
        broken = broken_rules(json["password"], profile)
        if broken:
            return 400, _error("password_rules", "The password does not meet the rules.", {"password": broken})
        record["used"] = True
        self.add_account(profile["email"], json["password"], first_name=profile["first_name"],
                         last_name=profile["last_name"], company_name=profile["company"]["name"],
                         language=profile["language"])
        return 200, {**profile, "status": "active"}


def broken_rules(password: str, profile: dict) -> list[str]:
    """A short stand-in for identity's rules (the pages only show the codes identity answers)."""
    level = profile.get("security_level", 2)
    minimum = 10 if level == 3 else 8
    broken = [f"min_length_{minimum}"] if len(password) < minimum else []
    if len(password) > 128:
        broken.append("max_length_128")
    if level >= 2:
        if sum(bool(re.search(p, password)) for p in ("[a-z]", "[A-Z]", "[0-9]", "[^a-zA-Z0-9]")) < 3:
            broken.append("three_character_classes")
        names = (profile.get("first_name", ""), profile.get("last_name", ""))
        if any(name.lower()[i:i + 3] in password.lower() for name in names for i in range(len(name) - 2)):
            broken.append("no_part_of_name")
    if password.lower() == profile.get("email", "").lower():
        broken.append("not_email")
    if password == "Password123!":
        broken.append("common_password")
    return broken


def _module(name: str) -> types.ModuleType:
    """The gateway's module ``name``, or an empty stand-in while it is not written yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        module = types.ModuleType(name)
        sys.modules[name] = module
        setattr(importlib.import_module(name.rpartition(".")[0]), name.rpartition(".")[2], module)
        return module


def install(portal: FakePortal, setattr=setattr) -> FakePortal:
    """Put ``portal`` behind gateway.auth and gateway.upstream (``setattr``: e.g. pytest's monkeypatch)."""
    auth, upstream = _module("gateway.auth"), _module("gateway.upstream")
    setattr(auth, "COOKIE_NAME", portal.COOKIE_NAME)
    for name in ("sign_in", "sign_out", "current_user", "identity_for"):
        setattr(auth, name, _delegate(portal, name))
    setattr(upstream, "upstream", _delegate(portal, "upstream"))
    return portal


def _delegate(portal: FakePortal, name: str):
    # Looked up at each call, so that a test may replace one method of the portal afterwards.
    return lambda *args, **kwargs: getattr(portal, name)(*args, **kwargs)


def create_preview_app(portal: FakePortal | None = None, setattr=setattr, **config) -> Flask:
    """A bare Flask app with the pages on ``portal`` (the demo one by default), as the tests use it."""
    portal = install(portal or demo_portal(), setattr)
    from . import init_web

    app = Flask("gateway.preview")
    app.config.update(SECRET_KEY="preview only", **config)
    app.extensions["portal.preview"] = portal
    init_web(app)
    return app


def demo_portal() -> FakePortal:
    portal = FakePortal()
    portal.add_account("claire@client.test", "Portal-Access-93")
    portal.add_account("locked@client.test", "Portal-Access-93", state="locked")
    portal.add_account("expired@client.test", "Portal-Access-93", state="expired")
    portal.identity.resets["demo-reset"] = "claire@client.test"
    for number, (first, last, status) in enumerate((("Jean", "Martin", "active"), ("Paul", "Bernard", "not_activated"),
                                                     ("Lina", "Petit", "no_email"))):
        portal.identity.add_user(f"{first.lower()}@client.test" if status != "no_email" else None,
                                 first, last, status, function="Accountant" if number else "Buyer",
                                 locked=number == 0)
    portal.add_activation("demo")
    portal.add_activation("strong", email="jean.martin@client.test", first_name="Jean", last_name="Martin",
                          title="M", security_level=3, language="fr")
    return portal


if __name__ == "__main__":
    create_preview_app().run(port=int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
