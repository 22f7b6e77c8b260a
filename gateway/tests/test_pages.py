"""The web pages' frame, sign-in, home, sign-out, languages, CSRF and error pages (identity faked over HTTP)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from gateway.web.common import frame, i18n, visitor

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PACKAGE = Path(i18n.__file__).resolve().parents[2]


@pytest.fixture
def client(portal, client):
    """The real app's browser, with identity played by the fake portal."""
    return client


def sign_ins(portal) -> list:
    return [call for call in portal.calls if call[2] == "/auth/login"]


def csrf_token(client, path="/login", **kwargs) -> str:
    return CSRF.search(client.get(path, **kwargs).get_data(as_text=True)).group(1)


def sign_in(client, email="claire@client.test", password="Portal-Access-93", next_page=None):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    if next_page is not None:
        data["next"] = next_page
    return client.post("/login", data=data)


# -- anonymous visitors and languages ---------------------------------------------------------

def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


def test_sign_in_page_in_english_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page and "Forgotten password" in page
    assert 'href="/password/forgot"' in page
    assert 'name="email"' in page and 'type="password"' in page


def test_sign_in_page_follows_the_browser_language(client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Se connecter" in page and "Mot de passe oublié" in page


def test_language_switch_is_remembered_and_wins_over_the_browser(client):
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "fr", "next": "/login?next=/", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/"
    assert "lang=fr" in response.headers["Set-Cookie"]
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Adresse e-mail" in page


def test_language_switch_never_sends_elsewhere(client):
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "fr", "next": "//evil.example/x", "csrf_token": token})
    assert response.headers["Location"] == "/"


# -- CSRF ---------------------------------------------------------------------------------------

def test_a_form_without_its_token_is_refused(client, portal):
    response = client.post("/login", data={"email": "claire@client.test", "password": "Portal-Access-93"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form has expired" in page and "site-header" in page
    assert sign_ins(portal) == []


def test_a_token_of_another_browser_or_key_is_refused(app, client):
    other = app.test_client()
    foreign = csrf_token(other)
    csrf_token(client)  # this browser has its own seed cookie
    data = {"email": "claire@client.test", "password": "Portal-Access-93"}
    assert client.post("/login", data={**data, "csrf_token": foreign}).status_code == 400
    assert client.post("/login", data={**data, "csrf_token": "forged.value"}).status_code == 400
    assert client.post("/login", data={**data, "csrf_token": csrf_token(client)}).status_code == 302


def test_a_token_made_before_sign_in_does_not_work_after_it(client):
    before = csrf_token(client)
    assert sign_in(client).status_code == 302
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_refusal_page_in_french(client):
    client.set_cookie("lang", "fr")
    page = client.post("/logout").get_data(as_text=True)
    assert "Ce formulaire a expiré" in page


# -- signing in ----------------------------------------------------------------------------------

def test_sign_in_sets_a_safe_session_cookie_and_goes_home(client, portal):
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("portal_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert portal.user_of(token).display_name == "Claire Durand"


def test_session_cookie_is_secure_when_configured(app, client):
    app.config["PORTAL_COOKIE_SECURE"] = True
    response = sign_in(client)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("portal_session="))
    assert "Secure" in cookie


@pytest.mark.parametrize("next_page, expected", [
    ("/downloads?page=2", "/downloads?page=2"),
    ("//evil.example/steal", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_sign_in_returns_only_to_pages_of_this_site(client, next_page, expected):
    assert sign_in(client, next_page=next_page).headers["Location"] == expected


def test_signed_in_visitor_of_sign_in_page_goes_home(client):
    sign_in(client)
    assert client.get("/login").headers["Location"] == "/"


@pytest.mark.parametrize("email, password, status, message", [
    ("claire@client.test", "wrong", 401, "The e-mail address or the password is not correct."),
    ("locked@client.test", "Portal-Access-93", 423, "Your account is locked for a while"),
    ("", "", 400, "Enter your e-mail address and your password."),
])
def test_sign_in_refusals_are_explained(client, email, password, status, message):
    response = sign_in(client, email, password)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page and 'role="alert"' in page
    assert "portal_session=" not in response.headers.get("Set-Cookie", "")
    if email:
        assert f'value="{email}"' in page  # the address stays, the password never comes back
    assert 'value="Portal-Access-93"' not in page


def test_sign_in_refusal_in_french(client):
    client.set_cookie("lang", "fr")
    page = sign_in(client, password="wrong").get_data(as_text=True)
    assert "L'adresse e-mail ou le mot de passe est incorrect." in page.replace("&#39;", "'")


def test_missing_fields_are_not_sent_to_sign_in(client, portal):
    response = sign_in(client, "claire@client.test", "")
    assert response.status_code == 400 and sign_ins(portal) == []
    assert "Enter your password." in response.get_data(as_text=True)


def test_expired_password_goes_to_the_renewal_page_and_opens_no_other(client, portal):
    response = sign_in(client, "expired@client.test")
    assert response.status_code == 302 and response.headers["Location"] == "/password/renew"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("portal_renewal="))
    assert "Path=/password/renew" in cookie and "HttpOnly" in cookie
    renewal = portal.user_of(cookie.split(";")[0].split("=", 1)[1])
    assert renewal is not None and renewal.scope == "password_change"  # kept for the renewal
    assert client.get("/").status_code == 302  # the renewal session opens no other page
    assert "Your password has expired" in client.get("/password/renew").get_data(as_text=True)


# -- home, frame, sign-out ---------------------------------------------------------------------

def test_home_welcomes_the_user_with_company_spaces_and_entries(client):
    sign_in(client)
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Claire Durand" in page and "Durand Industries" in page
    assert 'href="/administration"' in page and "ADMINISTRATION" in page
    assert 'href="/profile"' in page and 'href="/administration/users"' in page
    # Tiles and spaces only for pages that exist: no dead links.
    for missing in ("/downloads", "/knowledge", "/support", "/contacts", "/community"):
        assert f'href="{missing}' not in page
    assert "My profile" in page and 'action="/logout"' in page
    assert 'action="/language"' not in page  # a signed-in user's language is the profile's


def test_every_link_of_the_home_page_leads_to_a_page(client):
    sign_in(client)
    page = client.get("/").get_data(as_text=True)
    links = set(re.findall(r'href="(/[^"]*)"', page))
    assert "/profile" in links
    with client.application.test_request_context():
        for link in links:
            assert frame.page_exists(link.split("?")[0]), link
    for link in ("/profile", "/administration", "/administration/users"):
        assert client.get(link).status_code in (200, 302), link


def test_home_speaks_the_profile_language(client, portal):
    portal.add_account("jean@client.test", "Portal-Access-93", first_name="Jean", last_name="Martin",
                       language="fr", entitlements=())
    client.set_cookie("lang", "en")
    sign_in(client, "jean@client.test")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Bienvenue, Jean Martin" in page and "Mon profil" in page
    assert "ADMINISTRATION" not in page  # no subscription opens it
    assert 'href="/administration/users"' not in page


def test_spaces_come_from_the_entitlements():
    assert frame.open_spaces(frozenset()) == []
    spaces = frame.open_spaces({"user-management-administration@c1", "community-area@c2"})
    assert [space.key for space in spaces] == ["administration", "community"]
    # The administrative documents (issue 12) open with either viewing service.
    assert [space.key for space in frame.open_spaces({"invoice-viewing-service@c1"})] == ["documents"]


def test_sign_out_ends_the_session_and_clears_the_cookie(client, portal):
    session = next(c for c in sign_in(client).headers.getlist("Set-Cookie") if c.startswith("portal_session="))
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("portal_session="))
    assert "Expires=Thu, 01 Jan 1970" in cookie
    assert portal.user_of(session.split(";")[0].split("=", 1)[1]) is None
    assert client.get("/").headers["Location"] == "/login"


def test_pages_need_a_full_session(client, portal):
    token = portal.open_session("claire@client.test", scope="password_change")
    client.set_cookie("portal_session", token)
    assert client.get("/").status_code == 302


# -- error pages and headers ----------------------------------------------------------------------

def test_unknown_page_is_a_friendly_404_in_the_frame(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'class="site-header"' in page and 'href="/login"' in page


def test_unknown_page_of_a_signed_in_user_links_home(client):
    sign_in(client)
    page = client.get("/no/such/page", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Page introuvable" not in page  # the profile's language (English) wins
    assert "Page not found" in page and "Claire Durand" in page and 'href="/"' in page


def test_api_paths_keep_the_json_error_shape(client):
    response = client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_crash_is_a_friendly_500_without_trace(portal):
    from gateway.app import create_app
    app = create_app()  # not TESTING: errors are handled as in production

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert "Une erreur s'est produite" in page and "secret detail" not in page and "Traceback" not in page


def test_wrong_method_is_a_friendly_405(client):
    response = client.get("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "site-header" in response.get_data(as_text=True)


def test_pages_carry_protective_headers(client):
    headers = client.get("/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'self': no inline script
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_style_sheet_and_script_are_served(client):
    assert client.get("/static/portal.css").status_code == 200
    assert client.get("/static/portal.js").status_code == 200


def test_safe_next():
    assert visitor.safe_next("/a/b?c=d") == "/a/b?c=d"
    for bad in (None, "", "a/b", "//x", "/\\x", "http://x/", "/a\nb", "/a\\b"):
        assert visitor.safe_next(bad) == "/"


# -- translations ---------------------------------------------------------------------------------

def test_catalogs_are_compiled_when_missing_or_older(tmp_path):
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes((PACKAGE / "translations" / "fr" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert i18n.compiled_catalogs(tmp_path) == tmp_path
    mo = po.with_suffix(".mo")
    assert mo.exists()
    first = mo.stat().st_mtime_ns
    i18n.compiled_catalogs(tmp_path)
    assert mo.stat().st_mtime_ns == first  # up to date: left alone
    po.touch()
    import os
    os.utime(po, ns=(first + 10**9, first + 10**9))
    i18n.compiled_catalogs(tmp_path)
    assert mo.stat().st_mtime_ns > first


def test_every_text_of_the_pages_has_its_french_translation():
    method_map = [("web/**.py", "python"), ("web/**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None}
    texts = {message for _, _, message, *_ in extract_from_dir(str(PACKAGE), method_map, keywords=keywords)}
    catalog = i18n.merged_catalog(PACKAGE / "translations" / "fr" / "LC_MESSAGES")
    missing = sorted(text for text in texts
                     if not catalog.get(text) or not catalog.get(text).string or catalog.get(text).fuzzy)
    assert missing == [], "run pybabel extract/update and translate (translations/README.md)"
