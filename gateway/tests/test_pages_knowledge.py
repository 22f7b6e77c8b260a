"""The knowledge base's pages inside the real gateway app, knowledge faked over HTTP: the search with
its highlighted extracts, the printable article with "Was this helpful?", and the operators' articles
(list, preview, save, publish) — in French; 403 without the rights."""
from __future__ import annotations

import json
import re

from markupsafe import escape

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "fr",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
OPERATOR = {**USER, "id": "op1", "email": "op@vendor.test", "display_name": "Olga Operator", "operator": True,
            "company": None}
HIT = {"id": "a1", "title": "Saisir une écriture", "language": "fr", "brand": "Etafi", "domain": "Comptabilité",
       "published_on": "2026-11-20", "snippet": "Passer une <mark>écriture</mark> &lt;script&gt; comptable"}
ARTICLE = {"id": "a1", "language": "fr", "languages": ["en", "fr"], "title": "Saisir une écriture",
           "body_html": "<p>Passer une <strong>écriture</strong>.</p>", "brand": "Etafi", "domain": "Comptabilité",
           "products": [{"code": "ACC", "name": "Comptabilité générale"}], "keywords": ["saisie"],
           "published_on": "2026-11-20", "version": 2, "helpful": None,
           "attachments": [{"id": "f1", "file_name": "bareme.pdf", "content_type": "application/pdf", "size": 2048,
                            "sha256": "ab" * 32, "url": "/api/knowledge/articles/a1/attachments/f1"}]}


def sign_in(client, services, user=USER):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": user["email"], "password": "Portal-Access-93", "csrf_token": token})


def test_the_search_page_shows_highlighted_extracts_and_pages(client, services, grant):
    grant("u1", "view-faqs", "c1")
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/facets")] = lambda seen: (200, {"brands": ["Etafi"], "domains": ["Comptabilité"]})
    knowledge.routes[("GET", "/knowledge/search")] = lambda seen: (200, {"items": [HIT] * 10, "total": 12})
    sign_in(client, services)
    page = client.get("/knowledge?q=ecritures&brand=Etafi").get_data(as_text=True)
    assert "Base de connaissances" in page and "Éléments 1 à 10 sur 12" in page
    assert "Passer une <mark>écriture</mark> &lt;script&gt; comptable" in page
    assert '<option value="Etafi" selected>Etafi</option>' in page and "Domaine fonctionnel" in page
    assert 'href="/knowledge/articles/a1"' in page and "20 novembre 2026" in page
    assert 'href="/knowledge?q=ecritures&amp;brand=Etafi&amp;page=2"' in page
    # (the header also asks knowledge for the company's product lines)
    seen = next(call for call in reversed(knowledge.received) if call.path == "/knowledge/search")
    assert "q=ecritures" in seen.query and "brand=Etafi" in seen.query
    # The header's entry of the knowledge base.
    assert re.search(r'href="/knowledge"( aria-current="page")?>BASE DE CONNAISSANCES', page)


def test_a_capped_search_total_shows_as_more_than(client, services, grant):
    grant("u1", "view-faqs", "c1")
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/facets")] = lambda seen: (200, {"brands": [], "domains": []})
    knowledge.routes[("GET", "/knowledge/search")] = lambda seen: (
        200, {"items": [HIT] * 10, "total": 1000, "total_capped": True})
    sign_in(client, services)
    page = client.get("/knowledge?q=clients").get_data(as_text=True)
    assert "sur plus de 1000" in page and "Page 1 sur plus de" in page


def test_the_article_page_prints_cleanly_and_records_the_answer(client, services, grant):
    grant("u1", "view-faqs", "c1")
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/articles/a1")] = lambda seen: (200, ARTICLE)
    knowledge.routes[("PUT", "/knowledge/articles/a1/feedback")] = lambda seen: (200, {"helpful": True})
    sign_in(client, services)
    page = client.get("/knowledge/articles/a1").get_data(as_text=True)
    assert "<h1>Saisir une écriture</h1>" in page and "<p>Passer une <strong>écriture</strong>.</p>" in page
    assert "Etafi" in page and "Comptabilité générale" in page and "20 novembre 2026" in page
    assert 'href="/api/knowledge/articles/a1/attachments/f1" download>bareme.pdf' in page
    assert 'href="/knowledge/articles/a1?language=en"' in page
    assert "Cet article vous a-t-il aidé ?" in page and "knowledge.css" in page
    css = client.get("/static/knowledge.css").get_data(as_text=True)
    assert re.search(r"@media print \{\s*\.site-header, \.site-footer, \.skip-link, nav, \.no-print, \.helpful, form, button", css)
    token = CSRF.search(page).group(1)
    answered = client.post("/knowledge/articles/a1/helpful", data={"helpful": "yes", "csrf_token": token})
    assert answered.status_code == 303 and answered.headers["Location"].endswith("/knowledge/articles/a1?answered=1")
    assert json.loads(knowledge.last.body) == {"helpful": True}
    assert "Merci pour votre réponse." in client.get("/knowledge/articles/a1?answered=1").get_data(as_text=True)
    assert client.post("/knowledge/articles/a1/helpful", data={"helpful": "maybe", "csrf_token": token}).status_code == 400


def test_without_view_faqs_the_pages_are_refused(client, services):
    refusal = lambda seen: (403, {"error": {"code": "forbidden", "message": "No."}})  # noqa: E731
    services["knowledge"].routes[("GET", "/knowledge/facets")] = refusal
    services["knowledge"].routes[("GET", "/knowledge/articles/a1")] = refusal
    sign_in(client, services)
    assert client.get("/knowledge").status_code == 403
    assert client.get("/knowledge/articles/a1").status_code == 403
    assert "BASE DE CONNAISSANCES" not in client.get("/profile").get_data(as_text=True)
    assert client.get("/operator/articles").status_code == 403


def test_an_operator_previews_saves_and_publishes_an_article(client, services):
    knowledge = services["knowledge"]
    created = {}
    operator_view = {"id": "a1", "status": "draft", "latest_version": 1, "published_version": None,
                     "unpublished_changes": True, "title_en": "", "body_en": "", "title_fr": "Clôture",
                     "body_fr": "Texte", "brand": "Etafi", "domain": "Comptabilité", "products": [], "keywords": [],
                     "published_on": None, "created_at": "2026-12-01T10:00:00+00:00",
                     "updated_at": "2026-12-01T10:00:00+00:00", "retired_at": None, "attachments": [],
                     "versions": [{"number": 1, "created_at": "2026-12-01T10:00:00+00:00", "created_by": "op1"}],
                     "helpful": {"yes": 3, "no": 1}}
    knowledge.routes[("POST", "/operator/articles/preview")] = lambda seen: (200, {
        "title_en": "", "body_html_en": "", "title_fr": "Clôture", "body_html_fr": "<p><em>Texte</em> &lt;b&gt;</p>"})

    def create(seen):
        created.update(json.loads(seen.body))
        return 201, operator_view
    knowledge.routes[("POST", "/operator/articles")] = create
    knowledge.routes[("GET", "/operator/articles/a1")] = lambda seen: (200, operator_view)
    knowledge.routes[("POST", "/operator/articles/a1/publish")] = lambda seen: (200, {**operator_view, "status": "published"})
    knowledge.routes[("GET", "/operator/articles")] = lambda seen: (200, {"items": [operator_view], "total": 1})
    sign_in(client, services, OPERATOR)
    listing = client.get("/operator/articles?status=draft").get_data(as_text=True)
    assert "Rédiger un article" in listing and "Clôture" in listing and "3 oui, 1 non" in listing
    assert "Brouillon" in listing and "status=draft" in knowledge.last.query
    form = client.get("/operator/articles/new").get_data(as_text=True)
    token = CSRF.search(form).group(1)
    fields = {"brand": "Etafi", "domain": "Comptabilité", "products": "ACC, PAY", "keywords": "clôture; exercice",
              "title_fr": "Clôture", "body_fr": "*Texte* <b>", "title_en": "", "body_en": "", "csrf_token": token}
    preview = client.post("/operator/articles/new", data={**fields, "action": "preview"}).get_data(as_text=True)
    assert "Aperçu" in preview and "<p><em>Texte</em> &lt;b&gt;</p>" in preview
    assert str(escape("*Texte* <b>")) in preview  # the form keeps what was written
    saved = client.post("/operator/articles/new", data={**fields, "action": "save"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/operator/articles/a1?done=created")
    assert created["products"] == ["ACC", "PAY"] and created["keywords"] == ["clôture", "exercice"]
    page = client.get("/operator/articles/a1?done=created").get_data(as_text=True)
    assert "L’article a été enregistré comme brouillon." in page and "Publier la version 1" in page
    published = client.post("/operator/articles/a1/publish", data={"csrf_token": token})
    assert published.status_code == 303 and published.headers["Location"].endswith("?done=published")


def test_the_service_refusals_show_on_the_form(client, services):
    services["knowledge"].routes[("POST", "/operator/articles")] = lambda seen: (400, {"error": {
        "code": "invalid_input", "message": "x", "fields": {"body_fr": ["Write the body."], "products": ["No."]}}})
    sign_in(client, services, OPERATOR)
    token = CSRF.search(client.get("/operator/articles/new").get_data(as_text=True)).group(1)
    refused = client.post("/operator/articles/new", data={"brand": "E", "domain": "D", "title_fr": "T", "body_fr": "",
                                                         "action": "save", "csrf_token": token})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Un code produit est inconnu." in page and "chaque langue" in page
    missing = client.post("/operator/articles/new", data={"brand": "", "domain": "", "action": "save", "csrf_token": token})
    assert missing.status_code == 400 and "Ce champ est obligatoire." in missing.get_data(as_text=True)
