"""knowledge's news: publishing (validation, event), who each item reaches (generic, products,
functional preferences), the last-visit mark and the operators' list and retirement."""
from datetime import datetime, timedelta, timezone

import pytest

PAYROLL = {"product_id": "p1", "code": "PAY", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
           "brand": "Etafi", "domain": "HR"}
TAX = {"product_id": "p2", "code": "TAX", "name_en": "Tax", "name_fr": "Liasse", "kind": "software",
       "brand": "Etafi", "domain": "Tax"}


@pytest.fixture
def products(handle):
    handle("ProductRecorded", PAYROLL)
    handle("ProductRecorded", TAX)
    handle("HoldingRecorded", {"holding_id": "h1", "company_id": "holder", "product_id": "p1", "product_code": "PAY", "quantity": 1})


def publish(client, operator, **body):
    body = {"kind": "general", "title_en": "Hello", "body_en": "Some *news*.", **body}
    response = client.post("/operator/news", json=body, headers=operator)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def titles(client, headers, **query):
    response = client.get("/knowledge/news", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def test_publishing_answers_the_item_and_tells_it(client, operator, events, products):
    item = publish(client, operator, kind="product", title_fr="Bonjour", body_fr="Du **neuf**.",
                   products=["PAY"], domains=["Human resources", "Human  Resources"])
    assert item["products"] == ["PAY"] and item["domains"] == ["Human resources"]
    [(kind, data)] = events()
    assert kind == "NewsPublished"
    assert data["news_id"] == item["id"] and data["kind"] == "product" and data["product_codes"] == ["PAY"]
    assert data["domains"] == ["Human resources"] and data["title_fr"] == "Bonjour"


@pytest.mark.parametrize("body, field", [
    ({"kind": "gossip", "title_en": "x"}, "kind"),
    ({"kind": "general"}, "title_en"),
    ({"kind": "general", "title_en": "", "body_en": "text"}, "title_en"),
    ({"kind": "general", "title_en": "two\nlines"}, "title_en"),
    ({"kind": "general", "title_en": "x", "products": ["NOPE"]}, "products"),
    ({"kind": "general", "title_en": "x", "domains": ["---"]}, "domains"),
    ({"kind": "general", "title_en": "x", "surprise": 1}, "surprise"),
])
def test_bad_items_are_refused_and_nothing_is_stored(client, operator, events, products, body, field):
    response = client.post("/operator/news", json=body, headers=operator)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert events() == []
    assert client.get("/operator/news", headers=operator).get_json()["total"] == 0


def test_only_operators_publish(client, signed):
    response = client.post("/operator/news", json={"kind": "general", "title_en": "x"}, headers=signed("u", "c"))
    assert response.status_code == 403
    assert client.get("/knowledge/news", headers=signed(None)).status_code == 401


def test_generic_items_reach_everyone_targeted_ones_their_target(client, operator, signed, products):
    publish(client, operator, title_en="For all")
    publish(client, operator, kind="product", title_en="For payroll", products=["PAY"])
    publish(client, operator, kind="event", title_en="For HR people", domains=["Human resources"])
    publish(client, operator, kind="legal", title_en="For both", products=["TAX"], domains=["Human resources"])
    preference = "functional-preference-human-resources"
    assert titles(client, signed("u1", "holder")) == ["For payroll", "For all"]
    assert titles(client, signed("u2", "other")) == ["For all"]
    assert titles(client, signed("u3", "other", entitlements=frozenset({f"{preference}@other"}))) == [
        "For both", "For HR people", "For all"]
    # A preference held for another company (a supervised associate) does not count.
    assert titles(client, signed("u4", "other", entitlements=frozenset({f"{preference}@elsewhere"}))) == ["For all"]
    assert titles(client, signed("u1", "holder"), kind="product") == ["For payroll"]
    # Both a product and a preference: either reaches.
    assert titles(client, signed("u5", "holder", entitlements=frozenset({f"{preference}@holder"}))) == [
        "For both", "For HR people", "For payroll", "For all"]
    assert client.get("/knowledge/news", headers=signed("u5", "holder", entitlements=frozenset(
        {f"{preference}@holder"}))).get_json()["total"] == 4


def test_a_removed_holding_no_longer_reaches(client, operator, signed, products, handle):
    publish(client, operator, kind="product", title_en="For payroll", products=["PAY"])
    handle("HoldingRemoved", {"holding_id": "h1", "company_id": "holder", "product_id": "p1"})
    assert titles(client, signed("u1", "holder")) == []


def test_an_item_is_read_in_the_readers_language_or_the_other(client, operator, signed, products):
    both = publish(client, operator, title_en="Hello", body_en="<script>alert(1)</script> **bold**",
                   title_fr="Bonjour", body_fr="En *français*")
    english = publish(client, operator, title_en="Only English", body_en="[x](javascript:alert(1))")
    french = client.get(f"/knowledge/news/{both['id']}", headers=signed("u", "c", language="fr")).get_json()
    assert french["title"] == "Bonjour" and french["language"] == "fr"
    assert french["body_html"] == "<p>En <em>français</em></p>\n"
    shown = client.get(f"/knowledge/news/{both['id']}", headers=signed("u", "c")).get_json()
    assert "<script" not in shown["body_html"] and "<strong>bold</strong>" in shown["body_html"]
    assert shown["excerpt"].endswith("bold")
    fallback = client.get(f"/knowledge/news/{english['id']}", headers=signed("u", "c", language="fr")).get_json()
    assert fallback["language"] == "en" and "href" not in fallback["body_html"]


def test_an_item_outside_the_readers_target_is_not_found(client, operator, signed, products):
    item = publish(client, operator, kind="product", title_en="For payroll", products=["PAY"])
    assert client.get(f"/knowledge/news/{item['id']}", headers=signed("u1", "holder")).status_code == 200
    response = client.get(f"/knowledge/news/{item['id']}", headers=signed("u2", "other"))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client.get("/knowledge/news/" + "x" * 40, headers=signed("u2", "other")).status_code == 404


def test_new_since_the_last_visit(client, operator, signed):
    reader = signed("u1", "c1")
    publish(client, operator, title_en="First")
    publish(client, operator, title_en="Second")
    page = client.get("/knowledge/news", headers=reader).get_json()
    assert page["new_since_last_visit"] == 2 and page["last_visit_at"] is None
    assert [item["new"] for item in page["items"]] == [True, True]
    # Listing changes nothing; the visit marks what the list showed as seen.
    assert client.get("/knowledge/news", headers=reader).get_json()["new_since_last_visit"] == 2
    assert client.get("/knowledge/news/visits", headers=reader).get_json() == {"last_visit_at": None}
    visit = client.post("/knowledge/news/visits", json={"seen_until": page["as_of"]}, headers=reader)
    assert visit.status_code == 200
    assert client.get("/knowledge/news/visits", headers=reader).get_json() == visit.get_json()
    publish(client, operator, title_en="Third")
    page = client.get("/knowledge/news", headers=reader).get_json()
    assert page["new_since_last_visit"] == 1
    assert [(item["title"], item["new"]) for item in page["items"]] == [
        ("Third", True), ("Second", False), ("First", False)]
    # Another reader's mark is their own.
    assert client.get("/knowledge/news", headers=signed("u2", "c1")).get_json()["new_since_last_visit"] == 3
    # A mark never moves back, nor beyond now.
    past = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    client.post("/knowledge/news/visits", json={"seen_until": past}, headers=reader)
    assert client.get("/knowledge/news", headers=reader).get_json()["new_since_last_visit"] == 1
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    assert client.post("/knowledge/news/visits", json={"seen_until": future}, headers=reader).status_code == 200
    publish(client, operator, title_en="Fourth")
    assert client.get("/knowledge/news", headers=reader).get_json()["new_since_last_visit"] == 1
    assert client.post("/knowledge/news/visits", json={"seen_until": "yesterday"}, headers=reader).status_code == 400
    assert client.post("/knowledge/news/visits", headers=reader).status_code == 200
    assert client.get("/knowledge/news", headers=reader).get_json()["new_since_last_visit"] == 0


def test_retired_items_reach_nobody_and_operators_list_them(client, operator, signed):
    first = publish(client, operator, title_en="First")
    publish(client, operator, kind="help", title_en="Second")
    retired = client.post(f"/operator/news/{first['id']}/retire", headers=operator)
    assert retired.status_code == 200 and retired.get_json()["retired_at"]
    again = client.post(f"/operator/news/{first['id']}/retire", headers=operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "news_retired"
    assert client.post("/operator/news/nope/retire", headers=operator).status_code == 404
    assert titles(client, signed("u", "c")) == ["Second"]
    listed = lambda **q: [i["title_en"] for i in client.get("/operator/news", query_string=q,  # noqa: E731
                                                              headers=operator).get_json()["items"]]
    assert listed() == ["Second", "First"]
    assert listed(retired="true") == ["First"]
    assert listed(retired="false", kind="help") == ["Second"]
    assert client.get(f"/operator/news/{first['id']}", headers=operator).get_json()["title_en"] == "First"


def test_the_preview_is_the_sanitised_html(client, operator, signed):
    answer = client.post("/operator/news/preview", json={"body": "# Title\n<img src=x onerror=alert(1)>"},
                         headers=operator)
    assert answer.status_code == 200
    assert answer.get_json()["body_html"].startswith("<h1>Title</h1>")
    assert "onerror" not in answer.get_json()["body_html"].replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert client.post("/operator/news/preview", json={"body": "x"}, headers=signed("u", "c")).status_code == 403


def test_the_product_lines_of_the_company_and_their_news(client, operator, signed, products, handle):
    handle("ProductRecorded", {**TAX, "product_id": "p3", "code": "ACC", "name_en": "Accounting", "name_fr": "Compta",
                               "brand": "Ciel"})
    handle("HoldingRecorded", {"holding_id": "h2", "company_id": "holder", "product_id": "p3", "product_code": "ACC",
                               "quantity": 1})
    answer = client.get("/knowledge/lines", headers=signed("u1", "holder", language="fr")).get_json()
    assert answer["items"] == [{"brand": "Ciel", "holdings": 1, "products": [{"id": "p3", "code": "ACC", "name": "Compta"}]},
                               {"brand": "Etafi", "holdings": 1, "products": [{"id": "p1", "code": "PAY", "name": "Paie"}]}]
    assert answer["main"] == "Ciel"  # one holding each: the first brand by name
    assert client.get("/knowledge/lines", headers=signed("u2", "other")).get_json() == {"items": [], "main": None}
    publish(client, operator, title_en="For all")
    publish(client, operator, kind="product", title_en="Payroll news", products=["PAY"])
    publish(client, operator, kind="product", title_en="Accounting news", products=["ACC"])
    assert titles(client, signed("u1", "holder"), brand="Etafi") == ["Payroll news"]
    assert titles(client, signed("u1", "holder"), brand="Ciel") == ["Accounting news"]
    assert titles(client, signed("u2", "other"), brand="Etafi") == []


def test_the_main_line_is_the_one_of_the_most_holdings(client, signed, products, handle):
    handle("ProductRecorded", {**TAX, "product_id": "p3", "code": "ACC", "name_en": "Accounting", "name_fr": "Compta",
                               "brand": "Ciel"})
    handle("HoldingRecorded", {"holding_id": "h2", "company_id": "holder", "product_id": "p3", "product_code": "ACC",
                               "quantity": 40})
    handle("ProductRecorded", {**TAX, "product_id": "p4", "code": "PAY2", "name_en": "Payroll 2", "name_fr": "Paie 2",
                               "brand": "Etafi"})
    handle("HoldingRecorded", {"holding_id": "h3", "company_id": "holder", "product_id": "p4", "product_code": "PAY2",
                               "quantity": 1})
    answer = client.get("/knowledge/lines", headers=signed("u1", "holder")).get_json()
    assert [(line["brand"], line["holdings"]) for line in answer["items"]] == [("Ciel", 1), ("Etafi", 2)]
    assert answer["main"] == "Etafi"  # two holdings beat one, whatever its quantity
    handle("HoldingRemoved", {"holding_id": "h3", "company_id": "holder", "product_id": "p4"})
    assert client.get("/knowledge/lines", headers=signed("u1", "holder")).get_json()["main"] == "Ciel"


def test_the_total_and_the_new_count_are_capped_and_say_so(client, operator, signed, products, monkeypatch):
    from knowledge import news
    monkeypatch.setattr(news, "NEW_CAP", 2)
    monkeypatch.setattr(news, "TOTAL_AHEAD", 2)
    for n in range(4):
        publish(client, operator, title_en=f"Item {n}")
    publish(client, operator, kind="product", title_en="Not for them", products=["TAX"])
    reader = signed("u1", "holder")

    def page(**query):
        return client.get("/knowledge/news", query_string=query, headers=reader).get_json()
    first = page(per_page=1)
    assert (first["total"], first["total_capped"]) == (2, True)  # 4 reach them: counted 2 past the first
    assert (first["new_since_last_visit"], first["new_since_last_visit_capped"]) == (2, True)
    later = page(per_page=1, page=3)
    assert (later["total"], later["total_capped"]) == (4, False) and [i["title"] for i in later["items"]] == ["Item 1"]
    client.post("/knowledge/news/visits", json={}, headers=reader)
    publish(client, operator, title_en="Item 4")
    fresh = page(per_page=10)
    assert (fresh["total"], fresh["total_capped"]) == (5, False)  # a whole page at least
    assert (fresh["new_since_last_visit"], fresh["new_since_last_visit_capped"]) == (1, False)
    assert [item["new"] for item in fresh["items"]] == [True, False, False, False, False]
