"""Hostile input on a tiny service app: every route refuses it in the error shape, never a 500."""
from __future__ import annotations

import io

import marshmallow as ma
import pytest
from flask import request

from portalkit.request_input import MAX_BODY_BYTES, MAX_JSON_DEPTH, UnreadableInput, load_json
from portalkit.signed_identity import ANONYMOUS, HEADER, sign
from portalkit.web import Blueprint, create_service_app, settings

NOT_TEXT = ('"\\ud800"', '"\\udfff and more"', '"a\\u0000b"')


class Thing(ma.Schema):
    name = ma.fields.String(required=True)
    tags = ma.fields.List(ma.fields.String())


class Search(ma.Schema):
    q = ma.fields.String()


@pytest.fixture
def client():
    blp = Blueprint("tiny", __name__, url_prefix="/tiny")

    @blp.route("/things", methods=["POST"])
    @blp.arguments(Thing)
    def create(thing):
        return {"name": thing["name"]}, 201

    @blp.route("/things", methods=["GET"])
    @blp.arguments(Search, location="query")
    def search(args):
        return {"q": args.get("q", "")}

    @blp.route("/things/<name>", methods=["GET"])
    def show(name):
        return {"name": name}

    @blp.route("/raw", methods=["POST"])
    def raw():
        # A view that reads JSON by hand goes through the same reader.
        return {"keys": sorted(request.get_json())}

    @blp.route("/form", methods=["POST"])
    def form():
        return {"name": request.form.get("name", "")}

    app = create_service_app("tiny", [blp])
    with app.app_context():
        header = sign(ANONYMOUS, settings().identity_secret)
    client = app.test_client()
    client.environ_base[f"HTTP_{HEADER.upper().replace('-', '_')}"] = header
    return client


def post_json(client, path, text, **kwargs):
    return client.post(path, data=text, content_type="application/json", **kwargs)


def assert_refused(response, status=400, code="invalid_input"):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("path", ["/tiny/things", "/tiny/raw"])
def test_json_nested_a_thousand_deep_is_400_not_500(client, path):
    error = assert_refused(post_json(client, path, "[" * 1000 + "]" * 1000))
    assert "nested too deeply" in error["message"]
    assert_refused(post_json(client, path, '{"name": "x", "tags": ' + "[" * 950 + "]" * 950 + "}"))


def test_depth_within_the_limit_reaches_the_schema(client):
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    error = assert_refused(post_json(client, "/tiny/things", '{"name": "x", "tags": ' + nested + "}"))
    assert "tags" in error["fields"]  # the schema's own refusal, not the reader's


@pytest.mark.parametrize("text", NOT_TEXT)
@pytest.mark.parametrize("path", ["/tiny/things", "/tiny/raw"])
def test_a_lone_surrogate_or_nul_in_a_json_string_is_400(client, path, text):
    error = assert_refused(post_json(client, path, '{"name": %s}' % text))
    assert list(error["fields"]) == ["name"]


def test_lone_surrogates_hidden_in_keys_nesting_or_raw_bytes_are_refused(client):
    assert_refused(post_json(client, "/tiny/raw", '{"\\ud800": 1}'))
    assert_refused(post_json(client, "/tiny/raw", '{"a": {"b": ["ok", "\\udc00"]}}'))
    # Encoded surrogates are not UTF-8 (Python's own JSON reader would let them through).
    assert_refused(post_json(client, "/tiny/raw", b'{"name": "\xed\xa0\x80"}'))


def test_a_surrogate_pair_and_ordinary_text_pass(client):
    response = post_json(client, "/tiny/things", '{"name": "\\ud83d\\ude00 \u00e9t\u00e9"}')
    assert response.status_code == 201 and response.get_json() == {"name": "\U0001F600 \u00e9t\u00e9"}


def test_not_json_is_400_in_the_error_shape(client):
    for text in ("{", '{"name": NaN}', '{"name": Infinity}'):
        assert_refused(post_json(client, "/tiny/things", text))
        assert_refused(post_json(client, "/tiny/raw", text))


def test_nul_in_query_path_and_form_values_is_400(client):
    assert "q" in assert_refused(client.get("/tiny/things?q=a%00b"))["fields"]
    assert "name" in assert_refused(client.get("/tiny/things/a%00b"))["fields"]
    assert "name" in assert_refused(client.post("/tiny/form", data={"name": "a\x00b"}))["fields"]
    multipart = client.post("/tiny/form", data={"name": "a\x00b", "file": (io.BytesIO(b"x"), "f.csv")},
                            content_type="multipart/form-data")
    assert "name" in assert_refused(multipart)["fields"]
    assert client.get("/tiny/things?q=caf%C3%A9").get_json() == {"q": "caf\u00e9"}


def test_a_streamed_body_over_the_limit_is_413(client):
    body = b'{"name": "' + b"a" * MAX_BODY_BYTES + b'"}'
    streamed = client.post("/tiny/things", input_stream=io.BytesIO(body), content_type="application/json",
                           environ_overrides={"wsgi.input_terminated": True})
    assert_refused(streamed, 413, "too_large")
    raw = client.post("/tiny/raw", input_stream=io.BytesIO(body), content_type="application/json",
                      environ_overrides={"wsgi.input_terminated": True})
    assert_refused(raw, 413, "too_large")
    assert_refused(post_json(client, "/tiny/things", body), 413, "too_large")  # with a Content-Length


def test_a_streamed_body_within_the_limit_is_read_whole(client):
    body = b'{"name": "' + b"a" * (MAX_BODY_BYTES - 20) + b'"}'
    streamed = client.post("/tiny/things", input_stream=io.BytesIO(body), content_type="application/json",
                           environ_overrides={"wsgi.input_terminated": True})
    assert streamed.status_code == 201 and len(streamed.get_json()["name"]) == MAX_BODY_BYTES - 20


def test_every_answer_says_nosniff_and_no_store(client):
    for response in (client.get("/tiny/things?q=a"), client.get("/tiny/nowhere"),
                     post_json(client, "/tiny/things", "{")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_a_view_that_sets_its_own_caching_keeps_it():
    blp = Blueprint("files", __name__, url_prefix="/files")

    @blp.route("/one")
    def one():
        return "x", 200, {"Cache-Control": "private, max-age=60", "ETag": '"abc"'}

    app = create_service_app("files", [blp])
    with app.app_context():
        header = sign(ANONYMOUS, settings().identity_secret)
    response = app.test_client().get("/files/one", headers={HEADER: header})
    assert response.headers["Cache-Control"] == "private, max-age=60"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_load_json_alone():
    assert load_json(b'\xef\xbb\xbf{"a": [1, "b"]}') == {"a": [1, "b"]}
    with pytest.raises(UnreadableInput):
        load_json("[" * 5000 + "]" * 5000)
    with pytest.raises(UnreadableInput):
        load_json('"\\ud800"')
