"""Helpers of identity's tests (a unique module name: every service's tests share one run)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from sqlalchemy import select

from identity.handlers import HANDLERS
from identity.models import OutboxMessage, User
from portalkit.events import load_event, new_envelope

ADMINISTRATION = "user-management-administration"
SUPERVISION = "user-management-supervision-administration"
PASSWORD = "Portal-Access-93"
PROFILE = {"title": "MME", "first_name": "Claire", "last_name": "Durand", "language": "fr",
           "function": "DSI", "office_phone": "", "mobile_phone": ""}


class Portal:
    """identity's routes with the scene-setting the tests share: companies, users, rights."""

    def __init__(self, client, as_caller, database):
        self.client, self.as_caller, self.database = client, as_caller, database
        self.operator = as_caller(user_id="op", operator=True)
        self.companies: dict[str, str] = {}

    # --- reading what identity recorded -----------------------------------------------------
    def events(self, event_type: str) -> list[dict]:
        with self.database.sessions() as session:
            rows = session.scalars(select(OutboxMessage).where(OutboxMessage.routing_key == f"identity.{event_type}")
                                   .order_by(OutboxMessage.id))
            return [json.loads(row.body)["data"] for row in rows]

    def user(self, email: str) -> User:
        with self.database.sessions() as session:
            return session.scalar(select(User).where(User.email == email.lower()))

    def update_user(self, email: str, **values) -> None:
        with self.database.transaction() as session:
            user = session.scalar(select(User).where(User.email == email.lower()))
            for key, value in values.items():
                setattr(user, key, value)

    # --- setting the scene through the routes -----------------------------------------------
    def register(self, number: str, email: str | None = None, parent: str | None = None, level: int = 2,
                 activate: bool = True, first_name: str = "Claire", last_name: str = "Durand") -> str:
        """A company with its administrator (active, holding the right unless ``activate`` is
        False); returns the company id."""
        email = email or f"admin@{number.lower()}.test"
        body = {"number": number, "name": f"Company {number}", "parent_id": self.companies.get(parent),
                "administrator": {"email": email, "title": "MME", "first_name": first_name,
                                  "last_name": last_name, "language": "fr", "security_level": level}}
        response = self.client.post("/operator/companies", json=body, headers=self.operator)
        assert response.status_code == 201, response.json
        company_id = response.json["company"]["id"]
        self.companies[number] = company_id
        if activate:
            self.activate(email, PASSWORD, first_name=first_name, last_name=last_name)
            self.grant(self.user(email).id, company_id, ADMINISTRATION)
        return company_id

    def activation_token(self, email: str) -> str:
        return [e for e in self.events("UserCreated") if e["email"] == email.lower()][-1]["activation_token"]

    def activate(self, email: str, password: str = PASSWORD, **profile):
        token = self.activation_token(email)
        response = self.client.post(f"/auth/activation/{token}", json={**PROFILE, **profile, "password": password},
                                    headers=self.as_caller())
        assert response.status_code == 200, response.json
        return response

    def login(self, email: str, password: str = PASSWORD, **identity):
        return self.client.post("/auth/login", json={"email": email, "password": password},
                                headers=self.as_caller(**identity))

    def fail_sign_ins(self, email: str, times: int) -> None:
        for _ in range(times):
            assert self.login(email, "Wrong-Password-1").status_code == 401

    def grant(self, user_id: str, company_id: str, code: str, subscription_id: str | None = None,
              event: str = "SubscriptionAccepted", at: datetime | None = None) -> None:
        """What catalog's SubscriptionAccepted (or Cancelled / Expired) does to identity."""
        data = {"user_id": user_id, "email": None, "subscription_id": subscription_id or hashlib.sha1(f"{user_id}{code}{company_id}".encode()).hexdigest(),
                "service_id": code, "service_code": code, "company_id": company_id,
                "scope_company_id": company_id}
        envelope = new_envelope(event, data)
        if at is not None:
            envelope["occurred_at"] = at.astimezone(timezone.utc).isoformat()
        with self.database.transaction() as session:
            HANDLERS[f"catalog.{event}"](session, load_event(envelope))

    def caller(self, email: str, rights: dict[str, str] | None = None, **extra) -> dict:
        """Headers of a call by the user ``email``; ``rights`` maps company numbers to codes."""
        user = self.user(email)
        entitlements = frozenset(f"{code}@{self.companies[number]}" for number, code in (rights or {}).items())
        return self.as_caller(user_id=user.id, company_id=user.company_id, entitlements=entitlements,
                              session_id=extra.pop("session_id", "s1"), **extra)

    def admin_of(self, number: str) -> dict:
        return self.caller(f"admin@{number.lower()}.test", {number: ADMINISTRATION})

    def create_user(self, headers: dict, email: str, **fields):
        body = {"email": email, "last_name": fields.pop("last_name", "Petit"),
                "first_name": fields.pop("first_name", "Bruno"), "security_level": fields.pop("security_level", 1),
                **fields}
        return self.client.post("/identity/users", json=body, headers=headers)
