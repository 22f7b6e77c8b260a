"""The articles' routes: operators write, edit (versions), preview, publish (``ArticlePublished``),
retire and attach files; holders of "View FAQs" search, read, download and answer "Was this helpful?"."""
from __future__ import annotations

import io

import pytest

from knowledge.models import ArticleVersion, Product
from pdf_fixture import pdf_with_text

ARTICLE = {"title_fr": "Saisir une écriture", "body_fr": "Passer une **écriture** comptable.",
           "title_en": "Entering a journal entry", "body_en": "Post an accounting **entry**.",
           "brand": "Etafi", "domain": "Accounting", "products": ["ACC"], "keywords": ["saisie", "journal"]}


@pytest.fixture
def products(database):
    with database.transaction() as session:
        session.add(Product(id="p1", code="ACC", name_en="Accounting", name_fr="Comptabilité"))


def write(client, operator, **fields):
    return client.post("/operator/articles", json={**ARTICLE, **fields}, headers=operator)


def published(client, operator, **fields):
    article = write(client, operator, **fields).get_json()
    assert client.post(f"/operator/articles/{article['id']}/publish", headers=operator).status_code == 200
    return article["id"]


def test_an_article_written_then_published_is_searched_and_read(client, products, operator, reader, events):
    created = write(client, operator)
    assert created.status_code == 201
    article = created.get_json()
    assert (article["status"], article["latest_version"], article["published_version"]) == ("draft", 1, None)
    # A draft is neither found nor read.
    assert client.get("/knowledge/search?q=ecriture", headers=reader).get_json()["total"] == 0
    assert client.get(f"/knowledge/articles/{article['id']}", headers=reader).status_code == 404
    assert client.post(f"/operator/articles/{article['id']}/publish", headers=operator).get_json()["status"] == "published"
    page = client.get("/knowledge/search?q=ecriture", headers=reader).get_json()
    assert page["total"] == 1
    hit = page["items"][0]
    assert (hit["id"], hit["title"], hit["language"], hit["brand"], hit["domain"]) == (
        article["id"], "Saisir une écriture", "fr", "Etafi", "Accounting")
    assert "<mark>écriture</mark>" in hit["snippet"]
    # A form's empty language select is no language given, not a wrong one.
    assert client.get("/knowledge/search?q=ecriture&language=&brand=", headers=reader).get_json()["total"] == 1
    assert client.get(f"/knowledge/articles/{article['id']}?language=", headers=reader).status_code == 200
    assert client.get("/knowledge/search?q=ecriture&language=de", headers=reader).status_code == 400
    shown = client.get(f"/knowledge/articles/{article['id']}", headers=reader).get_json()
    assert shown["title"] == "Saisir une écriture" and "<strong>écriture</strong>" in shown["body_html"]
    assert shown["products"] == [{"code": "ACC", "name": "Comptabilité"}] and shown["languages"] == ["en", "fr"]
    english = client.get(f"/knowledge/articles/{article['id']}?language=en-GB", headers=reader).get_json()
    assert english["title"] == "Entering a journal entry"
    [(kind, data)] = events()
    assert kind == "ArticlePublished"
    assert (data["article_id"], data["first"], data["version"], data["product_codes"]) == (article["id"], True, 1, ["ACC"])


def test_each_edit_is_a_version_and_readers_keep_the_published_one(client, products, operator, reader, events):
    article_id = published(client, operator)
    edited = client.patch(f"/operator/articles/{article_id}", json={"title_fr": "Saisir une écriture (2026)"},
                          headers=operator).get_json()
    assert (edited["latest_version"], edited["published_version"], edited["unpublished_changes"]) == (2, 1, True)
    assert [v["number"] for v in edited["versions"]] == [2, 1]
    assert client.get(f"/knowledge/articles/{article_id}", headers=reader).get_json()["title"] == "Saisir une écriture"
    client.post(f"/operator/articles/{article_id}/publish", headers=operator)
    assert client.get(f"/knowledge/articles/{article_id}", headers=reader).get_json()["title"] == \
        "Saisir une écriture (2026)"
    assert [data["first"] for _kind, data in events()] == [True, False]
    assert client.post(f"/operator/articles/{article_id}/publish", headers=operator).status_code == 409


def test_a_retired_article_is_gone_for_readers_and_comes_back_when_published(client, products, operator, reader):
    article_id = published(client, operator)
    assert client.post(f"/operator/articles/{article_id}/retire", headers=operator).get_json()["status"] == "retired"
    assert client.get(f"/knowledge/articles/{article_id}", headers=reader).status_code == 404
    assert client.get("/knowledge/search?q=ecriture", headers=reader).get_json()["total"] == 0
    client.post(f"/operator/articles/{article_id}/publish", headers=operator)
    assert client.get("/knowledge/search?q=ecriture", headers=reader).get_json()["total"] == 1


@pytest.mark.parametrize("fields, bad", [
    ({"title_fr": "", "body_fr": "", "title_en": "", "body_en": ""}, "title_en"),
    ({"title_fr": "Titre", "body_fr": "", "title_en": "", "body_en": ""}, "body_fr"),
    ({"title_en": "", "body_en": "Body only"}, "title_en"),
    ({"brand": ""}, "brand"),
    ({"domain": None}, "domain"),
    ({"products": ["NOPE"]}, "products"),
    ({"title_fr": "Deux\nlignes"}, "title_fr"),
    ({"keywords": "not a list"}, "keywords"),
    ({"unknown": 1}, "unknown"),
])
def test_bad_fields_answer_400_and_store_nothing(client, products, operator, database, fields, bad):
    answer = write(client, operator, **fields)
    assert answer.status_code == 400
    assert bad in answer.get_json()["error"]["fields"]
    with database.sessions() as session:
        assert session.query(ArticleVersion).count() == 0


def test_an_article_in_one_language_only(client, operator, reader):
    article_id = published(client, operator, title_en="", body_en="", products=[])
    shown = client.get(f"/knowledge/articles/{article_id}?language=en", headers=reader).get_json()
    assert (shown["language"], shown["languages"]) == ("fr", ["fr"])


def test_preview_renders_without_storing(client, operator, database):
    answer = client.post("/operator/articles/preview", json={"title_en": "T", "body_en": "<script>x</script> *hi*"},
                         headers=operator).get_json()
    assert answer["body_html_en"] == "<p>&lt;script&gt;x&lt;/script&gt; <em>hi</em></p>\n"
    with database.sessions() as session:
        assert session.query(ArticleVersion).count() == 0


def test_who_may_do_what(client, products, operator, reader, signed):
    article_id = published(client, operator)
    stranger = signed("u2", "c2", entitlements=frozenset({"request-service@c2"}))
    for path in ("/knowledge/search?q=x", "/knowledge/facets", f"/knowledge/articles/{article_id}"):
        assert client.get(path, headers=stranger).status_code == 403
        assert client.get(path, headers=signed(None)).status_code == 401
        assert client.get(path, headers=operator).status_code == 200
    assert client.put(f"/knowledge/articles/{article_id}/feedback", json={"helpful": True},
                      headers=stranger).status_code == 403
    assert write(client, reader).status_code == 403
    assert client.get("/operator/articles", headers=reader).status_code == 403
    for action in ("publish", "retire"):
        assert client.post(f"/operator/articles/{article_id}/{action}", headers=reader).status_code == 403
    assert client.get("/operator/articles/nope", headers=operator).status_code == 404
    assert client.post("/operator/articles/" + "x" * 40 + "/publish", headers=operator).status_code == 404


def test_was_this_helpful_is_counted_once_per_reader_and_changeable(client, products, operator, reader, signed):
    article_id = published(client, operator)
    other = signed("u3", "c9", entitlements=frozenset({"view-faqs@c9"}))
    assert client.put(f"/knowledge/articles/{article_id}/feedback", json={"helpful": True},
                      headers=reader).get_json() == {"helpful": True}
    client.put(f"/knowledge/articles/{article_id}/feedback", json={"helpful": False}, headers=reader)
    client.put(f"/knowledge/articles/{article_id}/feedback", json={"helpful": True}, headers=other)
    assert client.get(f"/knowledge/articles/{article_id}", headers=reader).get_json()["helpful"] is False
    assert client.get(f"/operator/articles/{article_id}", headers=operator).get_json()["helpful"] == {"yes": 1, "no": 1}
    listed = client.get("/operator/articles", headers=operator).get_json()["items"][0]
    assert listed["helpful"] == {"yes": 1, "no": 1}
    assert client.put(f"/knowledge/articles/{article_id}/feedback", json={"helpful": "yes"},
                      headers=reader).status_code == 400


def attach(client, operator, article_id, data: bytes, name: str):
    return client.post(f"/operator/articles/{article_id}/attachments", headers=operator,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_attachments_are_searched_served_and_checked_by_content(client, products, operator, reader, store,
                                                               monkeypatch):
    article_id = published(client, operator)
    pdf = attach(client, operator, article_id, pdf_with_text("Bareme kilometrique 2026"), "bareme.pdf")
    assert pdf.status_code == 201 and pdf.get_json()["content_type"] == "application/pdf"
    text = attach(client, operator, article_id, "Notes sur la clôture annuelle".encode(), "notes.txt")
    assert text.status_code == 201
    assert client.get("/knowledge/search?q=kilometrique", headers=reader).get_json()["total"] == 1
    assert client.get("/knowledge/search?q=clôture", headers=reader).get_json()["total"] == 1
    shown = client.get(f"/knowledge/articles/{article_id}", headers=reader).get_json()
    assert [a["file_name"] for a in shown["attachments"]] == ["bareme.pdf", "notes.txt"]
    served = client.get(shown["attachments"][1]["url"].removeprefix("/api"), headers=reader)
    assert served.status_code == 200 and served.data == "Notes sur la clôture annuelle".encode()
    assert served.headers["Content-Disposition"].startswith('attachment; filename="notes.txt"')
    # Not a PDF nor text (a PNG named .pdf), a broken PDF: refused, nothing kept.
    before = sorted(p for p in store.rglob("*") if p.is_file())
    assert attach(client, operator, article_id, b"\x89PNG\r\n\x1a\n\x00\x00", "fake.pdf").status_code == 415
    assert attach(client, operator, article_id, b"%PDF-1.4 garbage", "broken.pdf").status_code == 400
    monkeypatch.setenv("PORTAL_KNOWLEDGE_ATTACHMENT_MAX_BYTES", "100")
    assert attach(client, operator, article_id, b"a" * 500, "big.txt").status_code == 413
    assert sorted(p for p in store.rglob("*") if p.is_file()) == before
    # Removed: no longer searched.
    client.delete(f"/operator/articles/{article_id}/attachments/{pdf.get_json()['id']}", headers=operator)
    assert client.get("/knowledge/search?q=kilometrique", headers=reader).get_json()["total"] == 0


def test_operators_list_by_criteria_and_facets_name_the_published(client, products, operator, reader):
    published(client, operator)
    write(client, operator, brand="Other", domain="Payroll", title_fr="Bulletin de paie", body_fr="x",
          title_en="", body_en="")
    everything = client.get("/operator/articles", headers=operator).get_json()
    assert everything["total"] == 2
    drafts = client.get("/operator/articles?status=draft", headers=operator).get_json()["items"]
    assert [a["title_fr"] for a in drafts] == ["Bulletin de paie"]
    assert client.get("/operator/articles?q=bulletin", headers=operator).get_json()["total"] == 1
    assert client.get("/operator/articles?brand=Etafi&domain=Accounting", headers=operator).get_json()["total"] == 1
    assert client.get("/operator/articles?status=nope", headers=operator).status_code == 400
    assert client.get("/knowledge/facets", headers=reader).get_json() == {"brands": ["Etafi"], "domains": ["Accounting"]}
    filtered = client.get("/knowledge/search?q=&brand=Other", headers=reader).get_json()
    assert filtered["total"] == 0


@pytest.mark.parametrize("query", ["q=%22", "q=*", "q=AND%20OR%20NOT", "q=(", "q=-", "q=%F0%9F%98%80",
                                   "per_page=201", "page=0", "language=de", "q=" + "a" * 501])
def test_the_search_never_fails_on_bad_input(client, products, operator, reader, query):
    published(client, operator)
    answer = client.get(f"/knowledge/search?{query}", headers=reader)
    assert answer.status_code in (200, 400)
    if answer.status_code == 400:
        assert answer.get_json()["error"]["code"] == "invalid_input"
