"""The spaces by product line inside the real gateway app, knowledge and assets faked over HTTP: the
header lists the company's lines, a line's space shows its news, updates and calendar in French, a
line the company does not hold is 404, and operators get no line in their header."""
from __future__ import annotations

import re

from .test_pages_news import OPERATOR, sign_in

LINES = {"items": [{"brand": "Etafi", "products": [{"id": "p1", "code": "PAY", "name": "Paie"}]},
                   {"brand": "Ciel & Co", "products": [{"id": "p2", "code": "ACC", "name": "Compta"}]}]}
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
    assert "L’espace Etafi" in page and "Paie" in page and 'href="/news/n1"' in page
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
