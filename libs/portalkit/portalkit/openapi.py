"""The services' OpenAPI documents, true to what the API answers: every refusal a route can give is
documented in the portal's error shape, bodies are required only when they have a required field,
and a form with a file is one multipart body. Paths are the services' own, served under ``/api``."""
from __future__ import annotations

import http
from copy import deepcopy

import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint

from .routing import register_converters

# The gateway serves every service's paths under this prefix (gateway/gateway/routes.py).
PUBLIC_BASE_PATH = "/api"
BEARER = "bearer"
_BODY_LOCATIONS = ("json", "form", "files")


class ErrorDetail(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Stable snake_case code", "example": "not_found"})
    message = ma.fields.String(required=True, metadata={"description": "Human text"})
    fields = ma.fields.Dict(metadata={"description": "Each bad field and why (400 only)"})


class ErrorSchema(ma.Schema):
    """The portal's one error shape: ``{"error": {"code", "message", "fields"}}``."""

    error = ma.fields.Nested(ErrorDetail, required=True)


def refuses(*statuses: int, headers: dict | None = None, description: str | None = None):
    """Document that a view may answer these error statuses, in the portal's error shape.

    Works as flask-smorest's ``alt_response(status, response=<HTTPStatus name>)`` does, but needs no
    blueprint, so that the access decorators (``signed_in``, ``administrator``…) document their
    own 401/403. ``headers`` (e.g. ``Retry-After``) and ``description`` say more about them.
    """
    def decorator(view):
        view._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        responses = view._apidoc.setdefault("response", {}).setdefault("responses", {})
        for status in statuses:
            if headers or description:
                entry = {"description": description or http.HTTPStatus(status).phrase,
                         "schema": ErrorSchema(), "content_type": None}
                if headers:
                    entry["headers"] = headers
            else:
                entry = http.HTTPStatus(status).name
            if entry not in responses.get(status, []):
                responses.setdefault(status, []).append(entry)
        return view
    return decorator


def needs_sign_in(view):
    """Document a view as needing the bearer token: 401 without it, 403 when it is not enough."""
    view = refuses(401, 403)(view)
    manual = view._apidoc.setdefault("manual_doc", {})
    manual["security"] = [{BEARER: []}]
    return view


def _has_required_field(schema) -> bool:
    instance = schema() if isinstance(schema, type) else schema
    return any(field.required for field in getattr(instance, "fields", {}).values())


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 0}}}


def throttled(view):
    """Document the 429 of a route the gateway throttles per client and per account."""
    return refuses(429, headers=RETRY_AFTER)(view)


PASSWORD_RULES = ("Invalid input. A refused password is named in `fields.password` by the codes of the "
                  "rules it fails (`min_length_8`, `common_password`…: GET /auth/password-rules/{level}).")


def password_rules_checked(view):
    """Document the 400 of a route that sets a password: the rules it fails, by code."""
    return refuses(400, description=PASSWORD_RULES)(view)


class DocumentedBlueprint(SmorestBlueprint):
    """A blueprint whose documents say what the routes accept and answer."""

    refuses = staticmethod(refuses)
    throttled = staticmethod(throttled)
    password_rules_checked = staticmethod(password_rules_checked)

    def arguments(self, schema, *, location="json", required=None, **kwargs):
        # A body without required fields may be left out: webargs then loads it as ``{}``.
        if required is None:
            required = location not in _BODY_LOCATIONS or _has_required_field(schema)
        return super().arguments(schema, location=location, required=required, **kwargs)

    def _prepare_arguments_doc(self, doc, doc_info, *, api, spec, **kwargs):
        # flask-smorest keeps one body per operation and leaves a second one (a form beside its
        # file) as OpenAPI 2's ``formData`` parameters: merge them into one multipart body.
        operation = doc_info.get("arguments")
        parameters = operation.get("parameters", []) if operation else []
        locations = {p["in"] for p in parameters if isinstance(p, dict)}
        if {"form", "files"} <= locations:
            parts = [p for p in parameters if isinstance(p, dict) and p["in"] in ("form", "files")]
            merged = {"in": "files", "required": any(p["required"] for p in parts),
                      "schema": _merged_form(p["schema"] for p in parts)}
            operation["parameters"] = [p for p in parameters if p not in parts] + [merged]
        return super()._prepare_arguments_doc(doc, doc_info, api=api, spec=spec, **kwargs)


def _merged_form(schemas) -> ma.Schema:
    fields, names = {}, []
    for schema in schemas:
        instance = schema() if isinstance(schema, type) else schema
        names.append(type(instance).__name__.removesuffix("Schema"))
        fields.update({name: deepcopy(field) for name, field in instance.declared_fields.items()})
    return ma.Schema.from_dict(fields, name="".join(names) + "Multipart")()


class RefusalsPlugin(BasePlugin):
    """Adds the refusals every route of a kind can answer, whatever its view says:
    404 where the path names a resource (410 instead where it is a mailed token, documented by
    the view), 400 and 413 where a body is read."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            if "{" in (path or "") and 410 not in responses and "410" not in responses:
                _document(responses, 404)
            if "requestBody" in operation:
                _document(responses, 400)
                _document(responses, 413)
            operation.setdefault("security", [])


def _document(responses: dict, status: int) -> None:
    if status not in responses and str(status) not in responses:
        responses[status] = http.HTTPStatus(status).name


class PortalApi(Api):
    """flask-smorest's Api with the portal's error shape for every error response it documents."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app=None, **kwargs):
        spec_kwargs = kwargs.pop("spec_kwargs", {}) or {}
        spec_kwargs.setdefault("extra_plugins", [RefusalsPlugin()])
        spec_kwargs.setdefault("servers", [{"url": PUBLIC_BASE_PATH,
                                            "description": "The gateway, which serves every service"}])
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        register_converters(app, self)
        self.spec.components.security_scheme(
            BEARER, {"type": "http", "scheme": "bearer", "description": "Token from POST /api/auth/login"})
