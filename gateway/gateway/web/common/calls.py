"""The pages' calls to the services on behalf of the visitor, and reading the contract's error answers.

Every space calls its service through ``call`` (the app's one upstream, see ``gateway.seams``).
"""
from __future__ import annotations

from flask import abort

from portalkit.signed_identity import Identity

from gateway import auth, seams

from . import i18n, visitor


def visitor_identity() -> Identity:
    """The identity to call the services with on behalf of this visitor."""
    user = visitor.current_user()
    if user is not None:
        return auth.identity_for(user, visitor.client_ip())
    return Identity(client_ip=visitor.client_ip(), language=i18n.current_language())


def call(service: str, method: str, path: str, *, json=None, query: dict | None = None,
         identity=None, **extra) -> tuple[int, object]:
    """One round trip to ``service`` as the visitor (or as ``identity``)."""
    return seams.current().upstream.call(service, method, path,
                                         identity if identity is not None else visitor_identity(),
                                         json=json, query=query, **extra)


def identity(method: str, path: str, **kwargs) -> tuple[int, object]:
    return call("identity", method, path, **kwargs)


def fetch(path: str, query: dict | None = None) -> dict:
    """A read the page cannot do without: 404 → the not-found page, any other failure → 503."""
    status, body = identity("GET", path, query=query)
    if status == 404:
        abort(404)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def optional(path: str, query: dict | None = None) -> dict | None:
    """A read for a block of the page: None when it cannot be had (the block says so)."""
    status, body = identity("GET", path, query=query)
    return body if status == 200 and isinstance(body, dict) else None


def error_code(body) -> str | None:
    return ((body or {}).get("error") or {}).get("code") if isinstance(body, dict) else None


def error_fields(body) -> dict:
    fields = ((body or {}).get("error") or {}).get("fields") if isinstance(body, dict) else None
    return fields if isinstance(fields, dict) else {}


def broken_rules(body) -> list[str]:
    """The password rule codes a 400 ``password_rules`` names."""
    codes = error_fields(body).get("password") or []
    return [code for code in codes if isinstance(code, str)] if isinstance(codes, list) else []
