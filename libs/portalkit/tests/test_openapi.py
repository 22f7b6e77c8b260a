"""The services' OpenAPI documents say what their routes accept and answer (portalkit.openapi)."""
from __future__ import annotations

import marshmallow as ma
import pytest

from portalkit import signed_identity as si
from portalkit.settings import Settings, identity_secret
from portalkit.web import Blueprint, create_service_app, signed_in


class NoteIn(ma.Schema):
    text = ma.fields.String(required=True)


class NotePatch(ma.Schema):
    text = ma.fields.String()


class UploadForm(ma.Schema):
    dry_run = ma.fields.Boolean(load_default=False)


class UploadFile(ma.Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"}, required=True)


def _blueprint() -> Blueprint:
    blp = Blueprint("notes", __name__, url_prefix="/notes", description="Notes")
    note = '<other_than("counts"):note_id>'

    @blp.route("/counts", methods=["GET"])
    @signed_in
    @blp.response(200)
    def counts():
        """Count the notes."""
        return {"total": 0}

    @blp.route(f"/{note}", methods=["PATCH"])
    @blp.refuses(409)
    @signed_in
    @blp.arguments(NotePatch)
    @blp.response(200)
    def edit(data, note_id):
        """Edit a note."""
        return {"id": note_id, **data}

    @blp.route(f"/{note}", methods=["DELETE"])
    @signed_in
    @blp.response(204)
    def delete(note_id):
        """Delete a note."""
        return ""

    @blp.route("", methods=["POST"])
    @blp.arguments(NoteIn)
    @blp.response(201)
    def create(data):
        """Write a note (public)."""
        return data

    @blp.route("/uploads", methods=["POST"])
    @blp.throttled
    @blp.arguments(UploadForm, location="form")
    @blp.arguments(UploadFile, location="files")
    @blp.response(202)
    def upload(form, files):
        """Upload notes."""
        return {"dry_run": form["dry_run"]}

    return blp


@pytest.fixture
def app():
    return create_service_app("notes", [_blueprint()], Settings.load("notes"))


@pytest.fixture
def document(app):
    return app.test_client().get("/notes/openapi.json").get_json()


def resolve(document: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_every_error_response_is_the_portals_shape(document):
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    detail = resolve(document, error["properties"]["error"])
    assert set(detail["required"]) == {"code", "message"}
    assert detail["properties"]["code"]["type"] == "string" and "fields" in detail["properties"]
    for item in document["paths"].values():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status == "default" or status[0] in "45":
                    schema = resolve(document, response)["content"]["application/json"]["schema"]
                    assert resolve(document, schema) == error, (method, status)


def test_refusals_are_documented_where_routes_answer_them(document):
    edit = document["paths"]["/notes/{note_id}"]["patch"]
    assert {"400", "401", "403", "404", "409", "413"} <= set(edit["responses"])
    assert edit["security"] == [{"bearer": []}]
    create = document["paths"]["/notes"]["post"]
    assert create["security"] == [] and "401" not in create["responses"]
    upload = document["paths"]["/notes/uploads"]["post"]
    assert "Retry-After" in upload["responses"]["429"]["headers"]
    assert document["servers"] == [{"url": "/api", "description": "The gateway, which serves every service"}]


def test_a_body_is_required_only_when_it_has_a_required_field(document):
    assert document["paths"]["/notes"]["post"]["requestBody"]["required"] is True
    assert document["paths"]["/notes/{note_id}"]["patch"]["requestBody"]["required"] is False


def test_a_form_and_its_file_are_one_multipart_body(document):
    upload = document["paths"]["/notes/uploads"]["post"]
    assert "parameters" not in upload  # no OpenAPI 2 "formData"
    schema = resolve(document, upload["requestBody"]["content"]["multipart/form-data"]["schema"])
    assert set(schema["properties"]) == {"dry_run", "file"} and schema["required"] == ["file"]


def test_a_sibling_path_is_not_taken_for_an_identifier(app):
    client = app.test_client()
    headers = {si.HEADER: si.sign(si.Identity(user_id="u1", company_id="c1"), identity_secret())}
    assert set(client.open("/notes/counts", method="OPTIONS", headers=headers).headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    refused = client.delete("/notes/counts", headers=headers)
    assert refused.status_code == 405 and "DELETE" not in refused.headers["Allow"]
    assert refused.get_json()["error"]["code"] == "method_not_allowed"
    assert client.delete("/notes/n1", headers=headers).status_code == 204
