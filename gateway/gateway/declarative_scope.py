"""Which space a session may reach: a declarative session (the Etafi declarative portal's own
sign-in) the declarative routes only, and the declarations service's routes a declarative
session only. The proxy answers the refusal named here (401)."""
from __future__ import annotations

from .sessions import DECLARATIVE_SCOPE

PORTAL_REQUIRED, DECLARATIVE_REQUIRED = "portal_sign_in_required", "declarative_sign_in_required"
MESSAGES = {
    PORTAL_REQUIRED: "Sign in to the portal: a declarative session opens the declarative portal only.",
    DECLARATIVE_REQUIRED: "Sign in to the declarative portal with its own login: a portal session does not open it.",
}
# A declarative session reaches these only; the declarations service's routes need one (identity
# refuses its own declarative routes, /auth/declarative/me and .../audits, to any other session).
DECLARATIVE_SPACE = ("/api/declarations", "/api/auth/declarative/")
NEEDS_DECLARATIVE = ("/api/declarations",)
# Anyone checks a deposit receipt offline: its public keys need no session, nor does the service's
# OpenAPI document (as every service's).
PUBLIC = ("/api/declarations/receipts/keys", "/api/declarations/openapi.json")
# A method no route documents (TRACE...) is the service's to refuse, with its 405 and Allow.
SCOPED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def refusal(method: str, path: str, user) -> str | None:
    """The code of the refusal of ``user``'s session (None: anonymous) on ``path``, or None."""
    if method not in SCOPED_METHODS:
        return None
    declarative_session = user is not None and user.scope == DECLARATIVE_SCOPE
    if path in PUBLIC:
        return None
    if declarative_session and not within(path, DECLARATIVE_SPACE):
        return PORTAL_REQUIRED
    if not declarative_session and within(path, NEEDS_DECLARATIVE):
        return DECLARATIVE_REQUIRED
    return None


def within(path: str, prefixes: tuple[str, ...]) -> bool:
    """True when ``path`` is one of the prefixes or below one."""
    return any(path == prefix.rstrip("/") or path.startswith(prefix.rstrip("/") + "/") for prefix in prefixes)
