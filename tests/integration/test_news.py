"""The news through the gateway, on both backends: generic items reach everyone, product items the
users of companies holding the product (the holding recorded through assets' API is in knowledge's
read-model when its answer comes), domain items the holders of "Functional preference: <domain>"
(granted by a subscription, in force at its answer); another company's item is 404; the count of
new items drops after a visit; bad input is refused in the contract's shape with nothing stored."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register  # noqa: E402

pytestmark = pytest.mark.mesh
PREFERENCE = "Functional preference: Accounting"


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def _mine(page: dict, tag: str) -> list[str]:
    """The titles of this module's items in a list answer (other tests publish news too)."""
    return [item["title"] for item in page["items"] if tag in item["title"]]


def _news(mesh, session, **params) -> dict:
    answer = session.get(mesh.url("/api/knowledge/news"), params={"per_page": 200, **params}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def scene(mesh):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    holder_company = register(mesh, operator, tag, "Holder", "Hugo")
    other_company = register(mesh, operator, tag, "Other", "Olive")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"NEWS-{tag}", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
        "brand": "Etafi", "domain": "Payroll", "serializable": False, "major_version": 3}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": holder_company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    holder = activate(mesh, holder_company["email"], "Hugo")
    outsider = activate(mesh, other_company["email"], "Olive")
    return {"tag": tag, "operator": operator, "holder": holder, "outsider": outsider, "product": product}


def _publish(mesh, scene, **body) -> dict:
    return _created(scene["operator"].post(mesh.url("/api/operator/news"), timeout=10, json=body))


def test_generic_items_reach_everyone_product_items_the_holders_only(mesh, scene):
    tag = scene["tag"]
    generic = _publish(mesh, scene, kind="general", title_en=f"For all {tag}", body_en="Hello **all**.")
    targeted = _publish(mesh, scene, kind="product", title_fr=f"Pour la paie {tag}", body_fr="Nouvelle *version*.",
                        products=[scene["product"]["code"]])
    assert _mine(_news(mesh, scene["holder"]), tag) == [f"Pour la paie {tag}", f"For all {tag}"]
    assert _mine(_news(mesh, scene["outsider"]), tag) == [f"For all {tag}"]
    assert _mine(_news(mesh, scene["holder"], kind="product"), tag) == [f"Pour la paie {tag}"]
    shown = scene["holder"].get(mesh.url(f"/api/knowledge/news/{targeted['id']}"), timeout=10)
    assert shown.status_code == 200 and shown.json()["language"] == "fr"  # the only language it has
    assert shown.json()["body_html"] == "<p>Nouvelle <em>version</em>.</p>\n"
    refused = scene["outsider"].get(mesh.url(f"/api/knowledge/news/{targeted['id']}"), timeout=10)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert scene["outsider"].get(mesh.url(f"/api/knowledge/news/{generic['id']}"), timeout=10).status_code == 200


def test_domain_items_reach_the_holders_of_the_functional_preference(mesh, scene):
    tag = scene["tag"]
    _publish(mesh, scene, kind="event", title_en=f"Accounting day {tag}", domains=["Accounting"])
    outsider = scene["outsider"]
    assert f"Accounting day {tag}" not in _mine(_news(mesh, outsider), tag)
    offer = outsider.get(mesh.url("/api/catalog/services"), params={"q": PREFERENCE, "per_page": 200}, timeout=10)
    service = next(s for s in offer.json()["items"] if s["title"] == PREFERENCE)
    granted = outsider.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]}, timeout=10)
    assert granted.status_code == 201 and granted.json()["status"] == "accepted", granted.text
    # In force at the subscription's answer: no wait, no retry.
    assert f"Accounting day {tag}" in _mine(_news(mesh, outsider), tag)
    assert f"Accounting day {tag}" not in _mine(_news(mesh, scene["holder"]), tag)


def test_the_new_count_drops_after_a_visit(mesh, scene):
    tag, holder = scene["tag"], scene["holder"]
    _publish(mesh, scene, kind="help", title_en=f"How to {tag}")
    before = _news(mesh, holder)
    assert before["new_since_last_visit"] >= 1 and all(item["new"] for item in before["items"])
    assert _news(mesh, holder)["new_since_last_visit"] == before["new_since_last_visit"]  # reading marks nothing
    visit = holder.post(mesh.url("/api/knowledge/news/visits"), json={"seen_until": before["as_of"]}, timeout=10)
    assert visit.status_code == 200, visit.text
    after = _news(mesh, holder)
    assert after["new_since_last_visit"] == 0 and not any(item["new"] for item in after["items"])
    _publish(mesh, scene, kind="partner", title_en=f"A partner {tag}", products=[scene["product"]["code"]])
    again = _news(mesh, holder)
    assert again["new_since_last_visit"] == 1
    assert [(item["title"], item["new"]) for item in again["items"] if tag in item["title"]][0] == (
        f"A partner {tag}", True)
    # The outsider's mark is their own: they never visited.
    outsider = _news(mesh, scene["outsider"])
    assert outsider["last_visit_at"] is None and outsider["new_since_last_visit"] == outsider["total"]


def test_retired_items_reach_nobody(mesh, scene):
    tag = scene["tag"]
    item = _publish(mesh, scene, kind="legal", title_en=f"Old text {tag}")
    retired = scene["operator"].post(mesh.url(f"/api/operator/news/{item['id']}/retire"), timeout=10)
    assert retired.status_code == 200 and retired.json()["retired_at"]
    assert f"Old text {tag}" not in _mine(_news(mesh, scene["holder"]), tag)
    again = scene["operator"].post(mesh.url(f"/api/operator/news/{item['id']}/retire"), timeout=10)
    assert again.status_code == 409 and again.json()["error"]["code"] == "news_retired"


@pytest.mark.parametrize("body, code, field", [
    ({"kind": "gossip", "title_en": "x"}, "invalid_input", "kind"),
    ({"kind": "general"}, "invalid_input", "title_en"),
    ({"kind": "general", "title_en": "x", "products": ["NO-SUCH-PRODUCT"]}, "unknown_products", "products"),
    ({"kind": "general", "title_en": "x", "products": "PAY"}, "invalid_input", "products"),
    ({"kind": "general", "title_en": ["x"]}, "invalid_input", "title_en"),
])
def test_bad_items_are_refused_in_the_contracts_shape_with_nothing_stored(mesh, scene, body, code, field):
    operator = scene["operator"]
    before = operator.get(mesh.url("/api/operator/news"), params={"per_page": 1}, timeout=10).json()["total"]
    answer = operator.post(mesh.url("/api/operator/news"), json=body, timeout=10)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == code and field in answer.json()["error"]["fields"]
    assert operator.get(mesh.url("/api/operator/news"), params={"per_page": 1}, timeout=10).json()["total"] == before


def test_only_operators_publish_and_only_signed_in_users_read(mesh, scene):
    answer = scene["holder"].post(mesh.url("/api/operator/news"), json={"kind": "general", "title_en": "x"}, timeout=10)
    assert answer.status_code == 403
    assert scene["holder"].get(mesh.url("/api/operator/news"), timeout=10).status_code == 403
    anonymous = requests.get(mesh.url("/api/knowledge/news"), timeout=10)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_signed_in"


def test_the_companys_product_lines_and_their_news(mesh, scene):
    tag, code = scene["tag"], scene["product"]["code"]
    _publish(mesh, scene, kind="product", title_en=f"Line news {tag}", products=[code])
    lines = scene["holder"].get(mesh.url("/api/knowledge/lines"), timeout=10)
    assert lines.status_code == 200, lines.text
    assert lines.json() == {"items": [{"brand": "Etafi", "holdings": 1, "products": [
        {"id": scene["product"]["id"], "code": code, "name": "Payroll"}]}], "main": "Etafi"}
    assert scene["outsider"].get(mesh.url("/api/knowledge/lines"), timeout=10).json() == {"items": [], "main": None}
    in_line = _mine(_news(mesh, scene["holder"], brand="Etafi"), tag)
    assert f"Line news {tag}" in in_line and f"For all {tag}" not in in_line
    assert _mine(_news(mesh, scene["outsider"], brand="Etafi"), tag) == []
