"""The knowledge base through the gateway, on both backends: an operator writes an article about a
product (assets' product, known to knowledge by its event), previews it, publishes it, attaches a
PDF; a holder of "View FAQs" finds it with an accent-less plural query and in its attachment, reads
it, downloads the attachment and says it helped; the operator sees the count; a user without
"View FAQs" gets 403; retired, the article is 404 to readers and gone from the search."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "knowledge" / "tests"))
from management_scene import activate, register, subscribe  # noqa: E402
from pdf_fixture import pdf_with_text  # noqa: E402

pytestmark = pytest.mark.mesh
VIEW_FAQS = "View FAQs"


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




@pytest.fixture(scope="module")
def scene(mesh):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    reader_company = register(mesh, operator, tag, "Reader", "Rita")
    other_company = register(mesh, operator, tag, "Other", "Oscar")
    # "View FAQs" needs a maintenance contract.
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": reader_company["company"]["id"], "starts_on": "2026-01-01"}))
    reader = activate(mesh, reader_company["email"], "Rita")
    outsider = activate(mesh, other_company["email"], "Oscar")
    subscribe(mesh, reader, VIEW_FAQS)
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"ACC-{tag}", "name_en": "Accounting", "name_fr": "Comptabilité", "kind": "software",
        "brand": f"Etafi-{tag}", "domain": "Accounting", "serializable": False, "major_version": 7}))
    return {"tag": tag, "operator": operator, "reader": reader, "outsider": outsider, "product": product}


def test_an_article_goes_from_the_operator_to_its_readers(mesh, scene):
    operator, reader, tag = scene["operator"], scene["reader"], scene["tag"]
    brand = f"Etafi-{tag}"
    body = {"title_fr": f"Saisir une écriture {tag}", "body_fr": "Passer les **écritures** de l'immobilisation.",
            "title_en": f"Journal entries {tag}", "body_en": "Post the *invoices* of the month.",
            "brand": brand, "domain": "Accounting", "products": [scene["product"]["code"]], "keywords": ["saisie"]}
    preview = operator.post(mesh.url("/api/operator/articles/preview"), json=body, timeout=10)
    assert preview.status_code == 200 and "<strong>écritures</strong>" in preview.json()["body_html_fr"]
    article = _created(operator.post(mesh.url("/api/operator/articles"), json=body, timeout=10))
    assert article["status"] == "draft" and article["products"] == [scene["product"]["code"]]
    search = mesh.url("/api/knowledge/search")
    assert reader.get(search, params={"q": "ecritures", "brand": brand}, timeout=10).json()["total"] == 0
    published = operator.post(mesh.url(f"/api/operator/articles/{article['id']}/publish"), timeout=10)
    assert published.status_code == 200 and published.json()["published_version"] == 1
    # Found at once (the answer means it is done), accent- and case-blind, stemmed, elided, and by
    # prefixes longer than the words' stems (immobilis, invoic).
    for query, language in (("ECRITURES", "fr"), ("l'immobilisations", "fr"), ("invoice", "en"), ("saisi*", "fr"),
                            ("immobilisatio*", "fr"), ("invoices*", "en")):
        page = reader.get(search, params={"q": query, "brand": brand, "language": language}, timeout=10).json()
        assert [hit["id"] for hit in page["items"]] == [article["id"]], (query, page)
    hit = reader.get(search, params={"q": "ecriture", "brand": brand, "language": "fr"}, timeout=10).json()["items"][0]
    assert "<mark>écritures</mark>" in hit["snippet"] and hit["language"] == "fr"
    # English reader: the English version first (it matches the brand-only listing).
    listed = reader.get(search, params={"brand": brand}, timeout=10).json()
    assert listed["items"][0]["title"] == f"Journal entries {tag}"
    pdf = pdf_with_text(f"Bareme kilometrique {tag}")
    attached = _created(operator.post(mesh.url(f"/api/operator/articles/{article['id']}/attachments"), timeout=20,
                                      files={"file": ("bareme.pdf", pdf, "application/octet-stream")}))
    assert attached["content_type"] == "application/pdf"
    assert reader.get(search, params={"q": "kilometrique", "brand": brand}, timeout=10).json()["total"] == 1
    shown = reader.get(mesh.url(f"/api/knowledge/articles/{article['id']}"), timeout=10)
    assert shown.status_code == 200, shown.text
    shown = shown.json()
    assert shown["title"] == f"Journal entries {tag}" and "<em>invoices</em>" in shown["body_html"]
    assert shown["products"] == [{"code": scene["product"]["code"], "name": "Accounting"}]
    served = reader.get(mesh.url(shown["attachments"][0]["url"]), timeout=20)
    assert served.status_code == 200 and served.content == pdf
    assert served.headers["Content-Disposition"].startswith('attachment; filename="bareme.pdf"')
    feedback = reader.put(mesh.url(f"/api/knowledge/articles/{article['id']}/feedback"), json={"helpful": True},
                          timeout=10)
    assert feedback.status_code == 200
    counts = operator.get(mesh.url(f"/api/operator/articles/{article['id']}"), timeout=10).json()["helpful"]
    assert counts == {"yes": 1, "no": 0}
    facets = reader.get(mesh.url("/api/knowledge/facets"), timeout=10).json()
    assert brand in facets["brands"]

    retired = operator.post(mesh.url(f"/api/operator/articles/{article['id']}/retire"), timeout=10)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    assert reader.get(mesh.url(f"/api/knowledge/articles/{article['id']}"), timeout=10).status_code == 404
    assert reader.get(search, params={"q": "ecriture", "brand": brand}, timeout=10).json()["total"] == 0


def test_who_may_do_what(mesh, scene):
    reader, outsider, operator = scene["reader"], scene["outsider"], scene["operator"]
    for path in ("/api/knowledge/search?q=x", "/api/knowledge/facets", "/api/knowledge/articles/nope"):
        answer = outsider.get(mesh.url(path), timeout=10)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    assert reader.get(mesh.url("/api/knowledge/articles/nope"), timeout=10).status_code == 404
    refused = reader.post(mesh.url("/api/operator/articles"), json={"title_en": "x", "body_en": "y", "brand": "b",
                                                                  "domain": "d"}, timeout=10)
    assert refused.status_code == 403
    bad = operator.post(mesh.url("/api/operator/articles"), json={"title_en": "x", "brand": "b", "domain": "d"},
                        timeout=10)
    assert bad.status_code == 400 and "body_en" in bad.json()["error"]["fields"]


@pytest.mark.parametrize("query", ['"unbalanced', "*", "AND OR NOT", "(", "-", "😀", "a:b", "NEAR(x y)"])
def test_a_query_in_bad_syntax_is_never_an_error(mesh, scene, query):
    answer = scene["reader"].get(mesh.url("/api/knowledge/search"), params={"q": query}, timeout=10)
    assert answer.status_code == 200, answer.text
