"""The declarative portal's pages: its own sign-in and cookie, the password link with the strong
level's rules, the landing page with the entities; a portal session never opens them."""
from __future__ import annotations

import io
import re

import pytest
from werkzeug.wrappers import Response

from fake_portal.identity import error

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DECLARANT = {"id": "d1", "login": "decl.one", "role": "declarant", "display_name": "Denis Martin",
             "language": "fr", "email": "denis@client.test", "first_name": "Denis", "last_name": "Martin",
             "security_level": 3, "company": {"id": "c1", "name": "Durand Industries", "siren": "732829320"},
             "entities": [{"id": "c1", "name": "Durand Industries", "siren": "732829320"}]}


@pytest.fixture
def declarative(portal):
    """identity's declarative routes, beside the fake portal's own."""
    seen = {"passwords": [], "forgotten": []}
    portal_call = portal.call

    def call(service, method, path, identity, json=None, query=None, headers=None, body=None):
        if service == "identity" and path == "/auth/declarative/login":
            if (json or {}).get("password") != "Liasse-Fiscale-2031!":
                return 401, error("invalid_credentials", "Wrong login or password.")
            return 200, {"declarant": DECLARANT}
        if service == "identity" and path == "/auth/declarative/me":
            if identity.scope != "declarative":
                return 401, error("declarative_sign_in_required", "Sign in first.")
            return 200, DECLARANT
        if service == "identity" and path == "/auth/declarative/password/forgot":
            seen["forgotten"].append(json["login"])
            return 202, None
        if service == "identity" and path.startswith("/auth/declarative/password/"):
            if not path.endswith("/t1"):
                return 410, error("token_invalid", "Used or expired.")
            if method == "GET":
                return 200, {key: DECLARANT[key] for key in ("login", "email", "first_name", "last_name",
                                                              "language", "security_level")}
            if len(json["password"]) < 10:
                return 400, error("password_rules", "The password does not meet the rules.",
                                  {"password": ["min_length_10"]})
            seen["passwords"].append(json["password"])
            return 204, None
        return portal_call(service, method, path, identity, json, query, headers, body)

    portal.call = call
    return seen


def post(client, path, form_path=None, **data):
    token = CSRF.search(client.get(form_path or path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **data})


def test_the_sign_in_opens_the_landing_page_with_the_entities(client, declarative):
    page = client.get("/declarations/signin").get_data(as_text=True)
    assert 'name="login"' in page and 'href="/declarations/password/forgot"' in page
    refused = post(client, "/declarations/signin", login="decl.one", password="wrong")
    assert refused.status_code == 401 and "The login or the password is not correct." in refused.get_data(as_text=True)
    signed_in = post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/declarations"
    cookie = signed_in.headers["Set-Cookie"]
    assert cookie.startswith("declarative_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/declarations" in cookie
    home = client.get("/declarations").get_data(as_text=True)
    assert "732829320" in home and "Durand Industries" in home and "Vos entités déclarantes" in home
    signed_out = post(client, "/declarations/signout", form_path="/declarations")
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == "/declarations/signin"
    assert client.get("/declarations").status_code == 302


def test_a_portal_session_alone_never_opens_the_declarative_pages(administrator_pages, declarative):
    answer = administrator_pages.get("/declarations")
    assert answer.status_code == 302 and answer.headers["Location"] == "/declarations/signin"


def test_the_password_link_lists_the_strong_rules_and_sets_the_password(client, declarative):
    page = client.get("/declarations/password/t1").get_data(as_text=True)
    assert "decl.one" in page and 'data-rule="min_length_10"' in page and 'data-rule="passwords_match"' in page
    short = post(client, "/declarations/password/t1", password="Short-1", password_confirmation="Short-1")
    assert short.status_code == 400 and 'class="rule rule-unmet" data-rule="min_length_10"' in short.get_data(as_text=True)
    done = post(client, "/declarations/password/t1", password="Liasse-Fiscale-2031!",
                password_confirmation="Liasse-Fiscale-2031!")
    assert done.status_code == 200 and declarative["passwords"] == ["Liasse-Fiscale-2031!"]
    assert client.get("/declarations/password/spent").status_code == 410


def test_the_forgotten_password_asks_for_the_login(client, declarative):
    answer = post(client, "/declarations/password/forgot", login="decl.one")
    assert answer.status_code == 200 and declarative["forgotten"] == ["decl.one"]
    assert post(client, "/declarations/password/forgot", login="").status_code == 400


def test_the_sign_in_page_in_french(client, declarative):
    page = client.get("/declarations/signin", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Connexion au portail déclaratif" in page and "Identifiant" in page


@pytest.fixture
def deposits(services, declarative):
    """The declarations service's deposit routes: a file holding ``UNT+97`` is accepted."""
    kept = []

    def answer(seen):
        if seen.path != "/declarations/deposits":
            return 404, error("not_found", "No such resource.")
        if getattr(seen.identity, "scope", None) != "declarative":
            return 401, error("declarative_sign_in_required", "Sign in first.")
        if seen.method == "GET":
            return 200, {"items": kept, "total": len(kept)}
        if b"UNT+97" not in seen.body:
            count = {"segment": "UNT", "index": 99, "element": 1}
            faults = [{"code": "wrong_count", "location": count,
                       "message": "UNT annonce 542 (segments de UNH à UNT), mais le fichier en contient 97."}]
            if b"999999999" in seen.body:
                faults.append({"code": "invalid_siren", "location": {"segment": "NAD", "index": 9, "element": 2},
                               "message": "Le SIREN du déclarant « 999999999 » (NAD+DT) n'est pas valide : sa clé est fausse."})
            return 400, error("wrong_count", faults[0]["message"], {"location": count, "faults": faults})
        kept.append({"id": "dep1", "deposited_at": "2026-12-02T16:00:00Z", "siren": "732829320",
                     "period_start": "2023-01-01", "period_end": "2023-12-31", "corrective": False,
                     "file_name": "liasse.ped", "sha256": "ab" * 32})
        return 201, {"id": "dep1"}

    services["declarations"].fallback = answer
    return kept


def _deposit(client, data: bytes):
    page = client.get("/declarations/deposit").get_data(as_text=True)
    action = re.search(r'action="(/declarations/deposit\?csrf_token=[^"]+)"', page).group(1).replace("&amp;", "&")
    return client.post(action, data={"file": (io.BytesIO(data), "liasse.ped")}, content_type="multipart/form-data")


def test_the_deposit_page_streams_the_file_and_shows_the_refusal_in_plain_words(client, deposits):
    assert client.get("/declarations/deposit").headers["Location"] == "/declarations/signin"
    post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    assert 'href="/declarations/deposit"' in client.get("/declarations").get_data(as_text=True)
    refused = _deposit(client, b"UNB+UNOL:3...UNT+542+00001'")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "La déclaration est refusée" in page
    assert "UNT annonce 542" in page and "segment UNT, numéro 99 du fichier" in page and deposits == []
    assert "Les contrôles ont trouvé" not in page  # one fault: said once, not listed
    # Two faults: both listed, each with its place.
    both = _deposit(client, b"UNB+UNOL:3...NAD+DT+999999999:100...UNT+542+00001'").get_data(as_text=True)
    assert "Les contrôles ont trouvé 2 anomalies" in both
    faults = re.findall(r"<li><p>(.*?)</p><p>(.*?)</p></li>", both, re.S)
    assert [(message[:12], place.split(".")[0]) for message, place in faults] == [
        ("UNT annonce ", "Où : segment UNT, numéro 99 du fichier"),
        ("Le SIREN du ", "Où : segment NAD, numéro 9 du fichier")]
    accepted = _deposit(client, b"UNB+UNOL:3...UNT+97+00001'")
    assert accepted.status_code == 303 and accepted.headers["Location"] == "/declarations/deposit?done=dep1"
    listed = client.get(accepted.headers["Location"]).get_data(as_text=True)
    assert "Votre déclaration est déposée" in listed and "732829320" in listed and "liasse.ped" in listed


def test_a_deposit_past_declarations_limit_is_413_on_the_page_before_a_byte_is_forwarded(client, deposits,
                                                                                          services):
    post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    refused = _deposit(client, b"UNA:+.? '" + b"x" * (50 * 1024 * 1024))
    assert refused.status_code == 413
    assert "Le fichier dépasse la taille acceptée par le portail déclaratif." in refused.get_data(as_text=True)
    assert [seen for seen in services["declarations"].received if seen.method == "POST"] == []


def test_the_deposit_form_without_its_token_is_refused(client, deposits):
    post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    answer = client.post("/declarations/deposit", data={"file": (io.BytesIO(b"x"), "a.ped")},
                         content_type="multipart/form-data")
    assert answer.status_code in (400, 403) and deposits == []


def test_the_landing_page_shows_the_next_deadlines(client, declarative, services):
    items = [{"entity_id": "c1", "entity_name": "Durand Industries", "siren": "732829320", "obligation": "liasse",
              "obligation_name": "Liasse fiscale (2065, 2031, 2033…)", "period_end": "2025-12-31",
              "due_on": "2026-05-20", "filed": False, "deposit_id": None, "days_left": 1},
             {"entity_id": "c1", "entity_name": "Durand Industries", "siren": "732829320", "obligation": "vat",
              "obligation_name": "Déclaration annuelle de TVA (CA12, régime simplifié)", "period_end": "2025-12-31",
              "due_on": "2026-05-20", "filed": True, "deposit_id": "dep1", "days_left": 1}]
    services["declarations"].routes[("GET", "/declarations/deadlines")] = lambda seen: (200, {"items": items, "total": 2})
    post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    home = client.get("/declarations").get_data(as_text=True)
    assert "Vos prochaines échéances" in home and "2026-05-20" in home and "Liasse fiscale" in home
    assert "1 jour restant" in home and "déposée" in home and "plus proches" not in home
    services["declarations"].routes[("GET", "/declarations/deadlines")] = lambda seen: (200, {"items": items, "total": 50_000})
    assert "Les 2 plus proches des 50000 échéances." in client.get("/declarations").get_data(as_text=True)
    services["declarations"].routes[("GET", "/declarations/deadlines")] = lambda seen: (503, None)
    assert "Les échéances ne peuvent pas être affichées" in client.get("/declarations").get_data(as_text=True)
SIMULATED = {"id": "dep1", "entity_id": "c1", "siren": "732829320", "file_name": "liasse.ped", "sha256": "ab" * 32,
             "status": "rejected", "simulation": True, "obligation": "liasse", "corrective": False,
             "period_start": "2023-01-01", "period_end": "2023-12-31", "deposited_at": "2026-12-02T16:00:00Z",
             "transmitted_at": "2026-12-02T16:00:01Z", "acknowledged_at": "2026-12-02T16:00:02Z",
             "partner_reference": "SIM-1",
             "codes": [{"code": "009", "text": "SIREN inconnu.", "action": "Vérifiez le SIREN."}],
             "timeline": [{"step": "received", "at": "2026-12-02T16:00:00Z", "source": "portal", "code": "",
                           "explanation": [], "detail": "", "error": False, "final": False, "simulation": False},
                          {"step": "reports_unavailable", "at": "2026-12-02T16:00:01Z", "source": "partner",
                           "code": "", "explanation": [], "detail": "HTTP 503", "error": True, "final": False,
                           "simulation": True},
                          {"step": "rejected", "at": "2026-12-02T16:00:02Z", "source": "administration",
                           "code": "009", "detail": "SIMULATION rejected", "error": True, "final": True,
                           "simulation": True,
                           "explanation": [{"code": "009", "text": "SIREN inconnu.", "action": "Vérifiez le SIREN."}]}]}


@pytest.fixture
def followed(services, declarative):
    """The declarations service's following routes: one simulated deposit, rejected, and its evidence."""
    def answer(seen):
        if getattr(seen.identity, "scope", None) != "declarative":
            return 401, error("declarative_sign_in_required", "Sign in first.")
        if seen.path == "/declarations/deposits":
            return 200, {"items": [SIMULATED] if "status=rejected" in seen.query or not seen.query.count("status")
                         else [], "total": 1 if "status=accepted" not in seen.query else 0}
        if seen.path == "/declarations/deposits/dep1":
            return 200, SIMULATED
        if seen.path == "/declarations/deposits/dep1/evidence":
            def chunks():
                yield b"PK\x03\x04"
                yield b"x" * 100_000
            return Response(chunks(), 200, content_type="application/zip",
                            headers={"Content-Disposition": 'attachment; filename="evidence-dep1.zip"'})
        return 404, error("not_found", "No such deposit.")

    services["declarations"].fallback = answer


def test_the_deposits_list_and_the_declaration_page_mark_the_simulation(client, followed, services):
    post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    listed = client.get("/declarations/deposits?status=rejected&closing=2023-12-31&entity=c1&obligation=tea")
    page = listed.get_data(as_text=True)
    assert listed.status_code == 200 and "Éléments 1 à 1 sur 1" in page and "SIMULATION" in page
    assert 'href="/declarations/deposits/dep1"' in page and "Rejetée par l’administration" in page
    query = services["declarations"].last.query
    assert "status=rejected" in query and "closing=2023-12-31" in query and "entity=c1" in query
    assert "obligation" not in query  # not one of the obligations: left out
    detail = client.get("/declarations/deposits/dep1").get_data(as_text=True)
    assert 'role="note"' in detail and "SIMULATION" in detail and "partenaire EDI simulé" in detail
    assert "009" in detail and "SIREN inconnu." in detail and "Vérifiez le SIREN." in detail
    assert "Comptes rendus du partenaire EDI indisponibles : le portail redemande" in detail
    for what in ("file", "receipt", "evidence"):
        assert f'href="/declarations/deposits/dep1/{what}"' in detail
    assert client.get("/declarations/deposits/nothing").status_code == 404


def test_the_evidence_bundle_streams_through_the_page(client, followed):
    assert client.get("/declarations/deposits/dep1/evidence").status_code == 302  # signed in first
    post(client, "/declarations/signin", login="decl.one", password="Liasse-Fiscale-2031!")
    answer = client.get("/declarations/deposits/dep1/evidence")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="evidence-dep1.zip"'
    assert answer.data == b"PK\x03\x04" + b"x" * 100_000
    assert client.get("/declarations/deposits/other/evidence").status_code == 404
