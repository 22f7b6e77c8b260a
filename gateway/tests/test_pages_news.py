"""The news pages inside the real gateway app, knowledge faked over HTTP: the list with its kind
filter, new marks and the visit it marks, an item's page, the home tile's count and latest items,
and the operators' list, preview, publishing and retirement."""
from __future__ import annotations

import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "fr",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
OPERATOR = {**USER, "id": "op1", "email": "op@vendor.test", "display_name": "Olga Operator", "operator": True,
            "company": None, "language": "en"}
ITEM = {"id": "n1", "kind": "legal", "title": "Nouveau BOI", "language": "fr", "excerpt": "Le texte du BOI",
        "published_at": "2026-12-01T09:30:00+00:00", "new": True, "products": ["PAY"], "domains": []}
OLD = {**ITEM, "id": "n2", "kind": "general", "title": "Old news", "language": "en", "new": False}


def sign_in(client, services, user=USER):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": user["email"], "password": "Portal-Access-93", "csrf_token": token})


def news_list(items, new=1):
    return lambda seen: (200, {"items": items, "total": len(items), "new_since_last_visit": new,
                               "last_visit_at": None, "as_of": "2026-12-02T07:00:00+00:00"})


def test_the_news_page_in_french_marks_the_visit(client, services):
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/news")] = news_list([ITEM, OLD])
    knowledge.routes[("POST", "/knowledge/news/visits")] = lambda seen: (200, {"last_visit_at": "2026-12-02T07:00:00+00:00"})
    sign_in(client, services)
    page = client.get("/news?kind=legal").get_data(as_text=True)
    assert "Actualités" in page and "1 actualité publiée depuis votre dernière visite." in page
    assert 'href="/news/n1"' in page and "Nouveau BOI" in page and "Textes légaux" in page
    assert 'lang="en"' in page  # the English-only item is marked as such
    assert page.count("badge-new") == 1
    assert 'aria-current="page"' in page and 'class="news-link"' in page  # the header's link, here
    listed = [seen for seen in knowledge.received if seen.path == "/knowledge/news"][-1]
    assert "kind=legal" in listed.query and "per_page=10" in listed.query
    [visit] = [seen for seen in knowledge.received if seen.path == "/knowledge/news/visits"]
    assert visit.method == "POST"
    assert json.loads(visit.body) == {"seen_until": "2026-12-02T07:00:00+00:00"}
    # A kind the page does not know is no filter.
    client.get("/news?kind=gossip")
    assert "kind=" not in [seen for seen in knowledge.received if seen.path == "/knowledge/news"][-1].query


def test_an_item_page_shows_its_sanitised_body(client, services):
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/news/n1")] = lambda seen: (200, {**ITEM, "body_html": "<p>Le <strong>texte</strong></p>"})
    knowledge.routes[("GET", "/knowledge/news/nope")] = lambda seen: (404, {"error": {"code": "not_found", "message": "No."}})
    sign_in(client, services)
    page = client.get("/news/n1").get_data(as_text=True)
    assert "<p>Le <strong>texte</strong></p>" in page and "Produits : PAY" in page and "Toutes les actualités" in page
    assert client.get("/news/nope").status_code == 404
    assert not any(seen.path == "/knowledge/news/visits" for seen in knowledge.received)


def test_the_home_tile_counts_the_new_items_and_lists_the_latest(client, services):
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/news")] = news_list([ITEM], new=4)
    sign_in(client, services)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'data-count="news"><span class="tile-count">4</span> <span class="tile-count-label">nouvelles depuis', home)
    assert "Dernières actualités" in home and 'href="/news/n1"' in home
    assert not any(seen.path == "/knowledge/news/visits" for seen in knowledge.received)


def test_capped_counts_show_as_more_than(client, services):
    knowledge = services["knowledge"]
    capped = {"items": [ITEM], "total": 1000, "total_capped": True, "new_since_last_visit": 99,
              "new_since_last_visit_capped": True, "last_visit_at": None, "as_of": "2026-12-02T07:00:00+00:00"}
    knowledge.routes[("GET", "/knowledge/news")] = lambda seen: (200, capped)
    knowledge.routes[("POST", "/knowledge/news/visits")] = lambda seen: (200, {"last_visit_at": capped["as_of"]})
    sign_in(client, services)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'data-count="news"><span class="tile-count">99\+</span>', home)
    page = client.get("/news").get_data(as_text=True)
    assert "99+ actualités publiées depuis votre dernière visite." in page
    assert "sur plus de 1000" in page and "Page 1 sur plus de" in page


def test_the_news_page_needs_a_sign_in(client, services):
    response = client.get("/news")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_operators_preview_publish_and_retire(client, services):
    knowledge = services["knowledge"]
    items = []
    knowledge.routes[("GET", "/operator/news")] = lambda seen: (200, {"items": items, "total": len(items)})
    knowledge.routes[("POST", "/operator/news/preview")] = lambda seen: (200, {"body_html": "<p><em>shown</em></p>"})

    def publish(seen):
        body = json.loads(seen.body)
        if body["products"] == ["NOPE"]:
            return 400, {"error": {"code": "unknown_products", "message": "No.", "fields": {"products": ["Unknown"]}}}
        items.append({"id": "n9", "kind": body["kind"], "title_en": body["title_en"], "title_fr": "", "body_en": "",
                      "body_fr": "", "products": body["products"], "domains": body["domains"],
                      "published_at": "2026-12-02T07:00:00+00:00", "published_by": "op1", "retired_at": None})
        return 201, items[-1]
    knowledge.routes[("POST", "/operator/news")] = publish
    knowledge.routes[("POST", "/operator/news/n9/retire")] = lambda seen: (200, {**items[0], "retired_at": "x"})
    sign_in(client, services, OPERATOR)
    page = client.get("/operator/news").get_data(as_text=True)
    assert "Publish a news item" in page and "No news item yet." in page
    token = CSRF.search(page).group(1)
    form = {"csrf_token": token, "kind": "event", "title_en": "Meet us", "body_en": "*shown*", "title_fr": "",
            "body_fr": "", "products": "PAY, TAX", "domains": "Human resources"}
    preview = client.post("/operator/news", data={**form, "action": "preview"})
    assert preview.status_code == 200 and "<p><em>shown</em></p>" in preview.get_data(as_text=True)
    assert not items
    refused = client.post("/operator/news", data={**form, "products": "NOPE", "action": "publish"})
    assert refused.status_code == 400 and "Unknown product codes" in refused.get_data(as_text=True)
    empty = client.post("/operator/news", data={**form, "title_en": "", "action": "publish"})
    assert empty.status_code == 400 and "A text needs its title." in empty.get_data(as_text=True)
    done = client.post("/operator/news", data={**form, "action": "publish"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/operator/news?done=published")
    assert json.loads(knowledge.last.body) == {"kind": "event", "title_en": "Meet us", "body_en": "*shown*",
                                               "title_fr": "", "body_fr": "", "products": ["PAY", "TAX"],
                                               "domains": ["Human resources"]}
    listed = client.get("/operator/news?done=published").get_data(as_text=True)
    assert "The news item has been published." in listed and "Meet us" in listed and "Products: PAY, TAX" in listed
    retired = client.post("/operator/news/n9/retire", data={"csrf_token": token})
    assert retired.status_code == 303 and retired.headers["Location"].endswith("?done=retired")


def test_others_may_not_open_the_operators_news(client, services):
    sign_in(client, services)
    assert client.get("/operator/news").status_code == 403
