"""The fake identity service the page tests run the real gateway against, reached over HTTP.

Accounts, activation links and sign-in answer like identity's ``/auth`` routes; the rest of identity
(profile, users, groups, imports) is ``FakeIdentity``. The gateway opens real sessions; the accounts'
rights are written into its read-model as the catalog's events would (``attach``).
"""
from __future__ import annotations

import json as jsonlib
import re
import secrets
from urllib.parse import parse_qsl

from .identity import FakeIdentity, error
from .rules import broken_rules

ADMINISTRATION = "user-management-administration"


class FakePortal:
    """identity in memory; ``answer(received)`` is its HTTP entry (see conftest's ``FakeService``)."""

    def __init__(self):
        self.accounts: dict[str, dict] = {}
        self.activations: dict[str, dict] = {}
        self.calls: list[tuple] = []  # (service, method, path, json) of every call it answered
        self.identity = FakeIdentity(self)
        self.gateway = None  # the app's seams, once attached

    # -- setting the scene -------------------------------------------------------------------
    def add_account(self, email: str, password: str, *, first_name="Claire", last_name="Durand",
                    company_name="Durand Industries", language="en", state="active",
                    entitlements=(ADMINISTRATION,)) -> dict:
        account = {"id": secrets.token_hex(8), "email": email, "password": password, "state": state,
                   "first_name": first_name, "last_name": last_name, "language": language,
                   "company_id": "c1", "company_name": company_name,
                   "entitlements": frozenset(f"{code}@c1" for code in entitlements)}
        self.accounts[email] = account
        if self.gateway is not None:
            self._grant(account)
        return account

    def add_activation(self, token: str, email: str = "new.user@client.test", **profile) -> dict:
        record = {"used": False, "profile": {
            "id": secrets.token_hex(8), "email": email, "title": "MME", "first_name": "Lovana",
            "last_name": "Dupont", "language": "en", "function": "", "office_phone": "",
            "mobile_phone": "", "security_level": 2, "status": "not_activated",
            "company": {"id": "c1", "name": "Dupont & Fils"}, **profile}}
        self.activations[token] = record
        return record

    def attach(self, gateway) -> "FakePortal":
        """Write the accounts' rights into ``gateway``'s read-model, as the catalog's events do."""
        self.gateway = gateway
        for account in self.accounts.values():
            self._grant(account)
        return self

    def _grant(self, account: dict) -> None:
        from gateway.models import Entitlement
        from gateway.sessions import bump_revision
        with self.gateway.database.transaction() as session:
            for entitlement in account["entitlements"]:
                code, _, company_id = entitlement.rpartition("@")
                session.add(Entitlement(subscription_id=f"{account['id']}-{code}", user_id=account["id"],
                                        service_code=code, scope_company_id=company_id))
            bump_revision(session, account["id"])

    def open_session(self, email: str, scope: str = "full") -> str:
        """A session of the gateway for the account, as signing in opens it; returns its token."""
        account = self.accounts[email]
        token, _ = self.gateway.sessions.open(
            account["id"], account["company_id"], False, account["language"],
            f"{account['first_name']} {account['last_name']}", account["company_name"], scope)
        return token

    def user_of(self, token: str):
        """Who the gateway says the token's session belongs to (None once it has ended)."""
        return self.gateway.sign_in.current_user(token)

    # -- over HTTP -----------------------------------------------------------------------------
    def answer(self, seen) -> tuple[int, object]:
        """One request the gateway sent to identity (``seen``: what the fake service received)."""
        json = None
        if seen.body and seen.headers.get("Content-Type", "").startswith("application/json"):
            json = jsonlib.loads(seen.body)
        query = dict(parse_qsl(seen.query)) or None
        extra = {"body": seen.body} if seen.body and json is None else {}
        # Looked up at each call, so that a test may replace ``call`` to make identity answer otherwise.
        status, body = self.call("identity", seen.method, seen.path, seen.identity, json, query, **extra)
        return status, b"" if body is None else body

    def call(self, service, method, path, identity, json=None, query=None, headers=None, body=None):
        self.calls.append((service, method, path, json))
        if service != "identity":
            return 404, error("not_found", "No such resource.")
        if method == "POST" and path == "/auth/login":
            return self._sign_in(json or {})
        match = re.fullmatch(r"/auth/activation/([^/]+)", path)
        if not match:
            return self.identity(method, path, identity, json, query, body)
        record = self.activations.get(match.group(1))
        if record is None or record["used"]:
            return 410, error("token_invalid", "This link has already been used or has expired.")
        if method == "GET":
            return 200, dict(record["profile"])
        profile = {**record["profile"], **{k: v for k, v in json.items() if k != "password"}}
        broken = broken_rules(json["password"], profile)
        if broken:
            return 400, error("password_rules", "The password does not meet the rules.", {"password": broken})
        record["used"] = True
        self.add_account(profile["email"], json["password"], first_name=profile["first_name"],
                         last_name=profile["last_name"], company_name=profile["company"]["name"],
                         language=profile["language"])
        return 200, {**profile, "status": "active"}

    def _sign_in(self, credentials: dict) -> tuple[int, dict]:
        """identity's POST /auth/login: the user, and whether the password has expired."""
        email, password = credentials.get("email"), credentials.get("password")
        if not email or not password:
            return 400, error("invalid_input", "Some fields are invalid.")
        account = self.accounts.get(email.strip().lower())
        if account is None or account["password"] != password:
            return 401, error("invalid_credentials", "Wrong e-mail or password.")
        if account["state"] == "locked":
            return 423, error("account_locked", "Locked.")
        user = {"id": account["id"], "email": account["email"], "language": account["language"],
                "display_name": f"{account['first_name']} {account['last_name']}", "operator": False,
                "company": {"id": account["company_id"], "name": account["company_name"]}}
        return 200, {"user": user, "password_expired": account["state"] == "expired"}


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
