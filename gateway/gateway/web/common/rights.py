"""Who may open the administration pages (holders of a user-management right of some company) and
the operators' pages (the vendor's staff)."""
from __future__ import annotations

import functools

from flask import abort

from . import visitor

ADMINISTRATION_SERVICES = frozenset({"user-management-administration",
                                     "user-management-supervision-administration"})


def is_administrator(user) -> bool:
    return user is not None and any(entitlement.rsplit("@", 1)[0] in ADMINISTRATION_SERVICES
                                    for entitlement in user.entitlements or ())


def is_supervisor(user) -> bool:
    return user is not None and any(entitlement.startswith("user-management-supervision-administration@")
                                    for entitlement in user.entitlements or ())


def administrator_page(view):
    """Signed in and holding an administration right, else the 403 page (identity checks the rest)."""
    @visitor.signed_in_page
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not is_administrator(visitor.current_user()):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def is_operator(user) -> bool:
    """The vendor's staff: identity says so at sign-in (``operator`` of the session)."""
    return user is not None and bool(getattr(user, "operator", False))


def operator_page(view):
    """Signed in as one of the vendor's operators, else the 403 page (identity checks it again)."""
    @visitor.signed_in_page
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not is_operator(visitor.current_user()):
            abort(403)
        return view(*args, **kwargs)
    return wrapper
