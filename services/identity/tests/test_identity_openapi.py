"""identity's OpenAPI document tells the refusals its routes answer, and its routes do not
advertise methods of a neighbouring path (issue 8: the documents disagreed with the API)."""
from __future__ import annotations


def _document(client) -> dict:
    return client.get("/identity/openapi.json").get_json()


def test_no_operation_uses_openapi_2_form_parameters(client):
    document = _document(client)
    for item in document["paths"].values():
        for method, operation in item.items():
            if method != "parameters":
                assert all(p["in"] != "formData" for p in operation.get("parameters", [])), method
    upload = document["paths"]["/identity/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert "schema" in upload


def test_mailed_tokens_document_410_and_password_routes_their_rules(client):
    paths = _document(client)["paths"]
    for path, method in (("/auth/activation/{token}", "get"), ("/auth/activation/{token}", "post"),
                         ("/auth/password/reset/{token}", "get"), ("/auth/password/reset", "post"),
                         ("/identity/email-change/{token}", "post")):
        assert "410" in paths[path][method]["responses"], (path, method)
    for path in ("/auth/activation/{token}", "/auth/password/reset", "/identity/me/password"):
        assert "fields.password" in paths[path]["post"]["responses"]["400"]["description"]
    login = paths["/auth/login"]["post"]["responses"]
    assert {"401", "423", "429"} <= set(login)


def test_patch_bodies_may_be_left_out(client):
    paths = _document(client)["paths"]
    assert paths["/identity/me"]["patch"]["requestBody"]["required"] is False
    assert paths["/identity/users/{user_id}"]["patch"]["requestBody"]["required"] is False


def test_user_counts_answer_only_get(portal):
    portal.register("C1")
    headers = portal.admin_of("C1")
    assert set(portal.client.open("/identity/users/counts", method="OPTIONS", headers=headers)
               .headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    refused = portal.client.delete("/identity/users/counts", headers=headers)
    assert refused.status_code == 405 and "DELETE" not in refused.headers["Allow"]
    assert refused.get_json()["error"]["code"] == "method_not_allowed"
    mails = portal.client.open("/identity/users/activation-mails", method="OPTIONS", headers=headers)
    assert set(mails.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_every_error_response_has_the_portals_shape(client):
    document = _document(client)

    def resolve(node):
        while "$ref" in node:
            target = document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    error = document["components"]["schemas"]["Error"]
    assert resolve(error["properties"]["error"])["required"] == ["code", "message"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status == "default" or status[0] in "45":
                    schema = resolve(resolve(response)["content"]["application/json"]["schema"])
                    assert schema == error or "error" in schema.get("required", []), (method, path, status)
