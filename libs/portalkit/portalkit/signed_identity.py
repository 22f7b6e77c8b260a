"""The identity the gateway forwards to the services: a short-lived token signed with a shared key.

A service never trusts a caller's word about who it is: every request must carry this token,
and the service verifies its signature, audience and expiry itself.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import jwt

HEADER = "X-Portal-Identity"
AUDIENCE = "portal-services"
ISSUER = "portal-gateway"
ALGORITHM = "HS256"


class InvalidIdentity(Exception):
    """The forwarded identity is missing, forged or expired."""


@dataclass(frozen=True)
class Identity:
    """Who is calling: a signed-in user, an operator, or an anonymous visitor of the gateway.

    ``entitlements`` holds ``<service_code>@<company_id>``: the services of the catalog the user
    holds, each for the company it applies to (their own, or a supervised associate).

    A session of the Etafi declarative portal has the ``declarative`` scope: ``user_id`` is then
    the declarant account's, ``declarant_role`` its role (declarant or supervisor) and
    ``entities`` the ids of the companies it declares for.
    """

    user_id: str | None = None
    company_id: str | None = None
    operator: bool = False
    language: str = "en"
    session_id: str | None = None
    scope: str = "full"
    client_ip: str | None = None
    entitlements: frozenset[str] = field(default_factory=frozenset)
    declarant_role: str | None = None
    entities: frozenset[str] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def holds(self, service_code: str, company_id: str | None = None) -> bool:
        return f"{service_code}@{company_id or self.company_id}" in self.entitlements

    def companies_with(self, service_code: str) -> set[str]:
        prefix = service_code + "@"
        return {e[len(prefix):] for e in self.entitlements if e.startswith(prefix)}


ANONYMOUS = Identity()


def sign(identity: Identity, secret: str, ttl: int = 30) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + ttl,
        "sub": identity.user_id, "cid": identity.company_id, "op": identity.operator,
        "lang": identity.language, "sid": identity.session_id, "scp": identity.scope,
        "ip": identity.client_ip,
        "ent": sorted(identity.entitlements),
        "drl": identity.declarant_role, "eid": sorted(identity.entities) if identity.entities else None,
    }
    # PyJWT insists that a present "sub" is a string: an anonymous visitor has none.
    claims = {key: value for key, value in claims.items() if value is not None}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: str | None, secret: str) -> Identity:
    if not token:
        raise InvalidIdentity("missing")
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                            options={"require": ["exp", "iat", "aud", "iss"]})
    except jwt.PyJWTError as error:
        raise InvalidIdentity(str(error)) from None
    return Identity(
        user_id=claims.get("sub"), company_id=claims.get("cid"), operator=bool(claims.get("op")),
        language=claims.get("lang") or "en", session_id=claims.get("sid"),
        scope=claims.get("scp") or "full", client_ip=claims.get("ip"), entitlements=frozenset(claims.get("ent") or ()),
        declarant_role=claims.get("drl"), entities=frozenset(claims.get("eid") or ()),
    )
