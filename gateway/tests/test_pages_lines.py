"""The spaces by product line inside the real gateway app, knowledge and assets faked over HTTP: the
header lists the company's lines, a line's space shows its news, events, legal texts, updates and
calendar in French, a line the company does not hold is 404, operators get no line in their header, and
a user signing in lands in the space of the company's main line (a ``next`` wins; no line: home)."""
from __future__ import annotations

import re

from .test_pages_news import CSRF, OPERATOR, USER, sign_in

LINES = {"items": [{"brand": "Etafi", "holdings": 1, "products": [{"id": "p1", "code": "PAY", "name": "Paie"}]},
                   {"brand": "Ciel & Co", "holdings": 2, "products": [{"id": "p2", "code": "ACC", "name": "Compta"}]}],
         "main": "Ciel & Co"}
NEWS = {"items": [{"id": "n1", "kind": "legal", "title": "Nouveau BOI", "language": "fr", "excerpt": "",
                   "published_at": "2026-12-01T09:30:00+00:00", "new": True, "products": ["PAY"], "domains": []}],
        "total": 1, "new_since_last_visit": 1, "last_visit_at": None, "as_of": "2026-12-02T07:00:00+00:00"}
RELEASE = {"id": "r1", "product": {"id": "p1", "code": "PAY", "name": "Paie"}, "version": "7.1",
           "released_on": "2026-11-20", "file_url": "/api/assets/releases/r1/file", "waiting": True}


def test_the_header_lists_the_lines_and_a_space_shows_them(client, services):
    knowledge, assets = services["knowledge"], services["assets"]
    knowledge.routes[("GET", "/knowledge/lines")] = lambda seen: (200, LINES)
    knowledge.routes[("GET", "/knowledge/news")] = lambda seen: (200, NEWS)
    assets.routes[("GET", "/assets/releases")] = lambda seen: (200, {"items": [RELEASE] if "p1" in seen.query else [],
                                                                     "total": 1, "waiting_total": 1})
    assets.routes[("GET", "/assets/calendar")] = lambda seen: (200, {"items": [
        {"product": RELEASE["product"], "version": "8.0", "forecast_on": "2027-03-01", "released_on": None}]
        if "p1" in seen.query else []})
    sign_in(client, services)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/spaces/Etafi"' in home and ">ETAFI<" in home and 'href="/spaces/Ciel%20%26%20Co"' in home
    assert 'aria-label="Gammes de produits"' in home
    page = client.get("/spaces/Etafi").get_data(as_text=True)
    assert "L’espace Etafi" in page and 'href="/"' in page and "Paie" in page and 'href="/news/n1"' in page
    assert 'href="/api/assets/releases/r1/file"' in page and "2027-03-01" in page and "Pas encore" in page
    assert re.search(r'href="/spaces/Etafi" aria-current="page"', page)
    # The support entry opens a request on the line's product.
    assert 'href="/support/requests/new?product=PAY"' in page and "Ouvrir une demande sur Paie." in page
    asked = [seen for seen in knowledge.received if seen.path == "/knowledge/news"][-1]
    assert "brand=Etafi" in asked.query
    assert client.get("/spaces/Ciel%20%26%20Co").status_code == 200
    assert client.get("/spaces/Sage").status_code == 404


def test_without_the_downloads_right_the_space_says_so(client, services):
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (200, LINES)
    services["knowledge"].routes[("GET", "/knowledge/news")] = lambda seen: (200, {**NEWS, "items": []})
    services["assets"].routes[("GET", "/assets/releases")] = lambda seen: (403, {"error": {"code": "forbidden",
                                                                                       "message": "No."}})
    sign_in(client, services)
    page = client.get("/spaces/Etafi").get_data(as_text=True)
    assert "Vos abonnements n’incluent pas le téléchargement des mises à jour." in page
    assert "Aucune actualité pour Etafi pour l’instant." in page


def test_operators_have_no_line_spaces(client, services):
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (200, LINES)
    sign_in(client, services, OPERATOR)
    assert "/spaces/" not in client.get("/operator").get_data(as_text=True)
    assert not any(seen.path == "/knowledge/lines" for seen in services["knowledge"].received)


def by_kind(seen):
    """The space's reads of the news: the legal text in its block, the rest in the news block."""
    legal = {**NEWS["items"][0], "id": "n9", "title": "Un BOI à part"}
    general = {**NEWS["items"][0], "id": "n8", "kind": "product", "title": "Nouvelle version"}
    items = [legal] if "kind=legal" in seen.query else [] if "kind=event" in seen.query else [legal, general]
    return 200, {**NEWS, "items": items, "total": len(items)}


def test_events_and_legal_texts_have_blocks_of_their_own(client, services):
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (200, LINES)
    services["knowledge"].routes[("GET", "/knowledge/news")] = by_kind
    sign_in(client, services)
    page = client.get("/spaces/Etafi").get_data(as_text=True)
    news = page[page.index('id="line-news"'):page.index('data-block="event"')]
    events = page[page.index('data-block="event"'):page.index('data-block="legal"')]
    legal = page[page.index('data-block="legal"'):page.index('id="line-updates"')]
    assert 'href="/news/n8"' in news and 'href="/news/n9"' not in news
    assert "Événements" in events and "Rien de ce genre pour Etafi pour l’instant." in events
    assert "Textes légaux" in legal and 'href="/news/n9"' in legal and 'href="/news?kind=legal"' in legal


def test_signing_in_lands_in_the_space_of_the_main_line(client, services):
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (200, LINES)
    services["knowledge"].routes[("GET", "/knowledge/news")] = lambda seen: (200, NEWS)
    response = sign_in(client, services)
    assert response.status_code == 302 and response.headers["Location"] == "/spaces/Ciel%20%26%20Co"
    asked = [seen for seen in services["knowledge"].received if seen.path == "/knowledge/lines"]
    assert len(asked) == 1
    # The home stays reachable (the logo), with the tiles and the header's spaces.
    home = client.get("/")
    assert home.status_code == 200 and 'href="/spaces/Etafi"' in home.get_data(as_text=True)


def test_an_explicit_next_wins_over_the_main_line(client, services):
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (200, LINES)
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": USER, "password_expired": False})
    token = CSRF.search(client.get("/login?next=/news").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": USER["email"], "password": "Portal-Access-93", "next": "/news",
                                           "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/news"
    assert not any(seen.path == "/knowledge/lines" for seen in services["knowledge"].received)


def test_a_company_without_lines_or_without_knowledge_lands_home(client, services):
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (200, {"items": [], "main": None})
    assert sign_in(client, services).headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": CSRF.search(client.get("/").get_data(as_text=True)).group(1)})
    services["knowledge"].routes[("GET", "/knowledge/lines")] = lambda seen: (503, {"error": {"code": "unavailable",
                                                                                          "message": "Down."}})
    assert sign_in(client, services).headers["Location"] == "/"
