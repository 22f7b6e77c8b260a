"""The supervisor's page of the declarative portal: its criteria reach the service, the summary,
the rows (state in words, late and stuck marked in text, codes explained, the timeline's link),
the pager of 50, the evidence ZIP streamed through; a declarant gets the 403 page and no entry."""
from __future__ import annotations

import pytest
from werkzeug.wrappers import Response

from fake_portal.identity import error
from test_pages_declarations import DECLARANT, declarative, post  # noqa: F401 - the fixture is used by name

PASSWORD = "Liasse-Fiscale-2031!"
SUPERVISOR = {**DECLARANT, "id": "s1", "login": "super.one", "role": "supervisor", "display_name": "Sophie Blanc",
              "company": {"id": "g1", "name": "Groupe Durand", "siren": "552100554"},
              "entities": [{"id": "g1", "name": "Groupe Durand", "siren": "552100554"},
                           {"id": "c1", "name": "Durand Industries", "siren": "732829320"}]}
ROWS = [{"entity_id": "c1", "entity_name": "Durand Industries", "siren": "732829320", "obligation": "liasse",
         "obligation_name": "Liasse fiscale (2065, 2031, 2033…)", "period_end": "2023-12-31", "due_on": "2024-05-21",
         "state": "rejected", "late": True, "stuck": False, "deposit_id": "dep1",
         "codes": [{"code": "009", "text": "SIREN inconnu de l’administration.", "action": "Vérifiez le SIREN."}]},
        {"entity_id": "g1", "entity_name": "Groupe Durand", "siren": "552100554", "obligation": "vat",
         "obligation_name": "Déclaration annuelle de TVA (CA12)", "period_end": "2023-12-31", "due_on": "2024-05-21",
         "state": "deposited", "late": True, "stuck": True, "deposit_id": "dep2", "codes": []},
        {"entity_id": "g1", "entity_name": "Groupe Durand", "siren": "552100554", "obligation": "cvae",
         "obligation_name": "CVAE (1330-CVAE)", "period_end": "2023-12-31", "due_on": "2024-05-21",
         "state": "expected", "late": False, "stuck": False, "deposit_id": None, "codes": []}]
SUMMARY = {"expected": 1, "deposited": 1, "accepted": 0, "partly_rejected": 0, "rejected": 1,
           "refused_by_partner": 0, "late": 2, "stuck": 1}


@pytest.fixture
def supervision(portal, services, declarative):
    """identity's supervisor account beside the declarant, and the service's supervision routes."""
    inner = portal.call

    def call(service, method, path, identity, json=None, query=None, headers=None, body=None):
        if service == "identity" and path == "/auth/declarative/login" and (json or {}).get("login") == "super.one":
            return (200, {"declarant": SUPERVISOR}) if json.get("password") == PASSWORD else \
                (401, error("invalid_credentials", "Wrong login or password."))
        if service == "identity" and path == "/auth/declarative/me" and identity.declarant_role == "supervisor":
            return 200, SUPERVISOR
        return inner(service, method, path, identity, json, query, headers, body)

    portal.call = call

    def table(seen):
        if getattr(seen.identity, "declarant_role", None) != "supervisor":
            return 403, error("supervisor_only", "Only a supervisor's account sees its subsidiaries' table.")
        return 200, {"year": 2023, "items": ROWS, "total": 61, "summary": SUMMARY}

    def archive(seen):
        def chunks():
            yield b"PK\x03\x04"
            yield b"z" * 70_000
        return Response(chunks(), 200, content_type="application/zip",
                        headers={"Content-Disposition": 'attachment; filename="supervision-2023.zip"'})

    services["declarations"].routes[("GET", "/declarations/supervision")] = table
    services["declarations"].routes[("GET", "/declarations/supervision/evidence")] = archive
    services["declarations"].routes[("GET", "/declarations/deadlines")] = lambda seen: (200, {"items": [], "total": 0})
    return services["declarations"]


def test_the_supervisor_sees_the_table_with_its_codes_explained_and_marks_in_words(client, supervision):
    assert client.get("/declarations/supervision").headers["Location"] == "/declarations/signin"
    post(client, "/declarations/signin", login="super.one", password=PASSWORD)
    home = client.get("/declarations").get_data(as_text=True)
    assert 'href="/declarations/supervision"' in home and "Les déclarations de vos filiales" in home
    answer = client.get("/declarations/supervision?year=2023&obligation=liasse&state=late&entity=Durand&page=2")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    query = supervision.last.query
    for pair in ("year=2023", "obligation=liasse", "state=late", "entity=Durand", "page=2", "per_page=50"):
        assert pair in query
    assert "Éléments 51 à 61 sur 61" in page and "Les périodes closes en 2023" in page
    assert "Durand Industries" in page and "SIREN 732829320" in page and "Liasse fiscale" in page
    assert "Rejetée par l’administration" in page and "En retard" in page and "Bloquée" in page
    assert "Attendue, non déposée" in page and "Déposée, réponse attendue" in page
    assert "<strong>009</strong> — SIREN inconnu de l’administration." in page and "Vérifiez le SIREN." in page
    assert 'href="/declarations/deposits/dep1"' in page and 'href="/declarations/deposits/dep2"' in page
    assert page.count("Suivre la déclaration") == 2  # the expected row has no deposit to follow
    assert '<li data-count="stuck"><a href="/declarations/supervision?year=2023&amp;obligation=liasse&amp;state=stuck' \
           '&amp;entity=Durand"><span class="count">1</span> Bloquée</a></li>' in page
    assert 'href="/declarations/supervision/evidence?year=2023&amp;obligation=liasse&amp;entity=Durand"' in page
    assert 'rel="prev"' in page and 'rel="next"' not in page


def test_criteria_the_service_would_refuse_are_left_out(client, supervision):
    post(client, "/declarations/signin", login="super.one", password=PASSWORD)
    page = client.get("/declarations/supervision?year=1999&obligation=tea&state=lost").get_data(as_text=True)
    query = supervision.last.query
    assert "year" not in query and "obligation" not in query and "state" not in query
    assert "Éléments 1 à 50 sur 61" in page and 'rel="next"' in page


def test_the_evidence_zip_streams_through_with_the_criteria_but_the_state(client, supervision):
    post(client, "/declarations/signin", login="super.one", password=PASSWORD)
    answer = client.get("/declarations/supervision/evidence?year=2023&entity=732829320&state=rejected")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="supervision-2023.zip"'
    assert answer.data == b"PK\x03\x04" + b"z" * 70_000
    assert supervision.last.query == "year=2023&entity=732829320"


def test_a_declarant_has_no_entry_and_gets_the_403_page(client, supervision):
    post(client, "/declarations/signin", login="decl.one", password=PASSWORD)
    assert 'href="/declarations/supervision"' not in client.get("/declarations").get_data(as_text=True)
    asked = len(supervision.received)
    for path in ("/declarations/supervision", "/declarations/supervision/evidence"):
        refused = client.get(path)
        assert refused.status_code == 403 and "Seul un compte superviseur" in refused.get_data(as_text=True)
    assert len(supervision.received) == asked  # refused by the page, the service not even asked


def test_a_portal_session_alone_is_sent_to_the_declarative_sign_in(administrator_pages, supervision):
    answer = administrator_pages.get("/declarations/supervision")
    assert answer.status_code == 302 and answer.headers["Location"] == "/declarations/signin"


def test_the_page_in_english(client, supervision, portal):
    english = {**SUPERVISOR, "language": "en"}
    inner = portal.call

    def call(service, method, path, identity, json=None, query=None, headers=None, body=None):
        if service == "identity" and path in ("/auth/declarative/login", "/auth/declarative/me") \
                and ((json or {}).get("login") == "super.one" or identity.declarant_role == "supervisor"):
            return 200, ({"declarant": english} if path.endswith("login") else english)
        return inner(service, method, path, identity, json, query, headers, body)

    portal.call = call
    post(client, "/declarations/signin", login="super.one", password=PASSWORD)
    page = client.get("/declarations/supervision").get_data(as_text=True)
    assert "<h1>Your subsidiaries' declarations</h1>" in page and "Displaying items 1 - 50 of 61" in page
    assert "Rejected by the administration" in page and "Late" in page and "Stuck" in page
    assert "Download the evidence (ZIP)" in page and "Clear filter" in page


def test_the_service_s_refusal_or_silence_is_a_page_not_a_500(client, supervision):
    post(client, "/declarations/signin", login="super.one", password=PASSWORD)
    supervision.routes[("GET", "/declarations/supervision")] = lambda seen: (
        403, error("supervisor_only", "Only a supervisor's account sees its subsidiaries' table."))
    assert client.get("/declarations/supervision").status_code == 403
    supervision.routes[("GET", "/declarations/supervision")] = lambda seen: (503, None)
    assert client.get("/declarations/supervision").status_code == 503
    supervision.routes[("GET", "/declarations/supervision/evidence")] = lambda seen: (
        403, error("supervisor_only", "Only a supervisor's account sees its subsidiaries' table."))
    refused = client.get("/declarations/supervision/evidence")
    assert refused.status_code == 403 and "Seul un compte superviseur" in refused.get_data(as_text=True)
