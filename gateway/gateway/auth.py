"""Signing in and out, and who the caller is: the interface the API proxy and the pages share.

identity checks the credentials; the gateway opens the session. An expired password opens a
session scoped to changing it, refused by every service route but the password change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portalkit.errors import error_body
from portalkit.signed_identity import Identity

from .sessions import DECLARATIVE_SCOPE, CurrentUser, SessionStore
from .throttle import TooManyTries
from .upstream import Upstream

COOKIE_NAME = "portal_session"
# The Etafi declarative portal's pages keep their own cookie: a portal session never opens them.
DECLARATIVE_COOKIE_NAME = "declarative_session"


@dataclass
class SignInResult:
    """What a sign-in answers: the status and JSON body of POST /api/auth/login, and the session."""

    status: int
    body: dict
    token: str | None = None
    expires_at: datetime | None = None
    retry_after: int | None = None  # seconds, when the throttle refused the attempt (429)


class SignIn:
    """Signing in and out against identity and the gateway's sessions (one per app, see ``seams``)."""

    def __init__(self, upstream: Upstream, sessions: SessionStore):
        self.upstream, self.sessions = upstream, sessions

    def sign_in(self, email: str | None, password: str | None, client_ip: str | None,
                user_agent: str | None) -> SignInResult:
        """Check the credentials with identity and open a session (see POST /api/auth/login)."""
        credentials = {key: value for key, value in (("email", email), ("password", password))
                       if value is not None}
        try:
            status, answer = self.upstream.call("identity", "POST", "/auth/login", Identity(client_ip=client_ip),
                                                json=credentials,
                                                headers={"User-Agent": user_agent} if user_agent else None)
        except TooManyTries as refusal:  # the throttle, per address and per account (throttle.py)
            return SignInResult(429, refusal.body(), retry_after=refusal.seconds)
        if status != 200:
            # identity's refusals (400, 401, 423, 429) and the gateway's 503/504 pass unchanged.
            if not isinstance(answer, dict):
                answer = error_body("sign_in_failed", "Signing in is not possible right now.")
            return SignInResult(status, answer)
        user = answer.get("user") if isinstance(answer, dict) else None
        if not isinstance(user, dict) or not user.get("id"):
            return SignInResult(502, error_body("bad_gateway", "The identity service gave an unreadable answer."))
        company = user.get("company") or {}
        password_expired = bool(answer.get("password_expired"))
        token, expires_at = self.sessions.open(
            user_id=user["id"], company_id=company.get("id"), operator=bool(user.get("operator")),
            language=user.get("language") or "en", display_name=user.get("display_name") or "",
            company_name=company.get("name") or "",
            scope="password_change" if password_expired else "full")
        if password_expired:
            body = error_body("password_expired", "Your password has expired: choose a new one.")
            body.update(token=token, expires_at=expires_at.isoformat())
            return SignInResult(403, body, token, expires_at)
        return SignInResult(200, {"token": token, "expires_at": expires_at.isoformat(), "user": user},
                            token, expires_at)

    def declarative_sign_in(self, login: str | None, password: str | None, client_ip: str | None,
                            user_agent: str | None) -> SignInResult:
        """Check a declarant's credentials with identity and open a declarative session: its
        identity names the declarant and the role; the services derive the entities from the company
        (a supervisor's 10,000 subsidiaries would not fit a header) (POST /api/auth/declarative/login)."""
        credentials = {key: value for key, value in (("login", login), ("password", password)) if value is not None}
        try:
            status, answer = self.upstream.call("identity", "POST", "/auth/declarative/login",
                                                Identity(client_ip=client_ip), json=credentials,
                                                headers={"User-Agent": user_agent} if user_agent else None)
        except TooManyTries as refusal:
            return SignInResult(429, refusal.body(), retry_after=refusal.seconds)
        if status != 200:
            if not isinstance(answer, dict):
                answer = error_body("sign_in_failed", "Signing in is not possible right now.")
            return SignInResult(status, answer)
        declarant = answer.get("declarant") if isinstance(answer, dict) else None
        if not isinstance(declarant, dict) or not declarant.get("id"):
            return SignInResult(502, error_body("bad_gateway", "The identity service gave an unreadable answer."))
        company = declarant.get("company") or {}
        token, expires_at = self.sessions.open(
            user_id=declarant["id"], company_id=company.get("id"), operator=False,
            language=declarant.get("language") or "en", display_name=declarant.get("display_name") or "",
            company_name=company.get("name") or "", scope=DECLARATIVE_SCOPE,
            declarant_role=declarant.get("role") or "declarant")
        return SignInResult(200, {"token": token, "expires_at": expires_at.isoformat(), "declarant": declarant},
                            token, expires_at)

    def sign_out(self, token: str | None) -> bool:
        """End the token's session at once (on every gateway process); False if it was not live."""
        return self.sessions.end(token)

    def current_user(self, token: str | None) -> CurrentUser | None:
        """The user of a live session token, or None."""
        return self.sessions.resolve(token)


def identity_for(user: CurrentUser | None, client_ip: str | None, language: str | None = None) -> Identity:
    """The identity forwarded to the services for ``user`` (anonymous when None)."""
    if user is None:
        return Identity(client_ip=client_ip, language=language or "en")
    return Identity(user_id=user.user_id, company_id=user.company_id, operator=user.operator,
                    language=user.language, session_id=user.session_id, scope=user.scope,
                    client_ip=client_ip, entitlements=user.entitlements,
                    declarant_role=user.declarant_role)
