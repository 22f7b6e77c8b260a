"""The Management Center pages of issue 10 inside the real gateway app (identity and catalog faked over
HTTP): Administrators, the third-party associates screen, Notifications and the home's live tiles."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ADMINISTRATION = "user-management-administration"
SUPERVISION = "user-management-supervision-administration"

ADMINISTRATORS = {"items": [
    {"role": "administrator", "supervises": None, "user": {
        "id": "a1", "display_name": "Alice Martin", "email": "alice@client.test", "function": "IT manager",
        "office_phone": "+33 1 23 45 67 89", "mobile_phone": "", "company": {"id": "c2", "name": "Shop Lyon"}}},
    {"role": "supervisor", "supervises": {"id": "c1", "number": "HQ", "name": "Durand Holding"}, "user": {
        "id": "s1", "display_name": "Sam Boss", "email": "sam@hq.test", "function": "", "office_phone": "",
        "mobile_phone": "+33 6 00 00 00 00", "company": {"id": "c1", "name": "Durand Holding"}}}], "total": 2}
COMPANIES = {"items": [
    {"relation": "own", "company": {"id": "c1", "number": "HQ", "name": "Durand Holding", "parent_id": None}},
    {"relation": "associate", "company": {"id": "c2", "number": "LYO", "name": "Shop Lyon", "parent_id": "c1",
                                          "city": "Lyon"}},
    {"relation": "associate", "company": {"id": "c3", "number": "LYO-2", "name": "Kiosk Part-Dieu",
                                          "parent_id": "c2"}},
    {"relation": "associate", "company": {"id": "c4", "number": "PAR", "name": "Shop Paris", "parent_id": "c1"}}],
    "total": 4}
USERS = {"items": [
    {"id": "u7", "display_name": "Nina Roux", "email": "nina@lyon.test", "function": "Clerk",
     "status": "not_activated", "company": {"id": "c2", "name": "Shop Lyon"}}], "total": 1}
NOTIFICATIONS = [
    {"id": "n1", "code": "notification-on-new-faq-published", "family": "Notifications",
     "title": "Notification on new FAQ published", "description": "Be told.", "needs_validation": False,
     "subscription": {"id": "sub1", "status": "accepted", "expires_on": None}},
    {"id": "n2", "code": "receive-sales-news", "family": "Information flow", "title": "Receive sales news",
     "description": "News.", "needs_validation": True, "subscription": None},
    {"id": "n3", "code": "receive-general-news-updates", "family": "Information flow",
     "title": "Receive general news updates", "description": "News.", "needs_validation": True,
     "subscription": {"id": "sub3", "status": "pending", "expires_on": None}}]


@pytest.fixture
def fakes(services):
    services["identity"].routes.update({
        ("GET", "/identity/administrators"): lambda seen: (200, ADMINISTRATORS),
        ("GET", "/identity/companies"): lambda seen: (200, COMPANIES),
        ("GET", "/identity/users"): lambda seen: (200, USERS),
        ("GET", "/identity/functions"): lambda seen: (200, {"items": ["Clerk"], "total": 1}),
        ("GET", "/identity/groups"): lambda seen: (200, {"items": [
            {"id": "g2", "company_id": "c2", "name": "Cashiers"}, {"id": "g9", "company_id": "c1", "name": "HQ"}],
            "total": 2}),
        ("GET", "/identity/users/counts"): lambda seen: (200, {"active": 3, "not_activated": 4, "no_email": 0,
                                                              "new_since_last_sign_in": 0, "groups": 1}),
    })
    services["catalog"].routes.update({
        ("GET", "/catalog/notifications"): lambda seen: (200, {"items": NOTIFICATIONS, "total": 3}),
        ("GET", "/catalog/requests"): lambda seen: (200, {"items": [{"id": "r1"}], "total": 2}),
    })
    return services


@pytest.fixture
def signed_in(client, open_session, grant):
    def sign_in(*rights, language="en", user_id="u1"):
        token = open_session(user_id=user_id, company_id="c1", language=language, display_name="Claire Durand")
        for code, company in rights:
            grant(user_id, code, company)
        client.set_cookie("portal_session", token)
        return client
    return sign_in


def text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&amp;", "&")


def sent(fake, method, path):
    return [seen for seen in fake.received if seen.method == method and seen.path == path]


# -- Administrators ---------------------------------------------------------------------------

def test_every_user_sees_the_administrators_with_their_contact_details(signed_in, fakes):
    page = text(signed_in().get("/administrators"))
    for expected in ("Administrators of your company", "Alice Martin", 'href="mailto:alice@client.test"',
                     'href="tel:+33123456789"', "IT manager", "Supervisors", "Sam Boss",
                     "Supervises Durand Holding and its associates"):
        assert expected in page, expected
    assert 'class="admin-nav"' not in page  # a plain user has no left bar
    admin = text(signed_in((ADMINISTRATION, "c1"), user_id="u2").get("/administrators"))
    assert 'href="/administrators" aria-current="page"' in admin


def test_the_profile_block_leads_to_the_page(signed_in, fakes):
    fakes["identity"].routes[("GET", "/identity/me")] = lambda seen: (200, {"id": "u1", "language": "en"})
    assert 'href="/administrators"' in text(signed_in().get("/profile"))


# -- Third-party associates ----------------------------------------------------------------------

def test_only_supervisors_open_the_associates_screen(signed_in, fakes):
    client = signed_in((ADMINISTRATION, "c1"))
    assert client.get("/administration/associates").status_code == 403
    fakes["identity"].routes[("GET", "/identity/users")] = lambda seen: (200, USERS)
    admin = text(client.get("/administration/users"))
    assert "/administration/associates" not in admin


def test_the_picker_shows_the_subtree_and_lists_every_company_at_first(signed_in, fakes):
    client = signed_in((SUPERVISION, "c2"), (SUPERVISION, "c4"))
    page = text(client.get("/administration/associates"))
    assert "Durand Holding" not in page.split("<fieldset")[1].split("</fieldset>")[0]  # own company: not a pick
    assert page.index("Shop Lyon") < page.index("Kiosk Part-Dieu") < page.index("Shop Paris")
    assert 'class="depth-1"' in page and "Nina Roux" in page and "Displaying items 1 - 1 of 1" in page
    for label in ("All", "None", "Administrators only", "Send the activation e-mail", "Add a user", "Import users"):
        assert label in page
    listed = parse_qs(sent(fakes["identity"], "GET", "/identity/users")[-1].query)
    assert sorted(listed["companies"]) == ["c2", "c3", "c4"]
    assert 'href="/administration/associates" aria-current="page"' in page


def test_one_company_ticked_the_buttons_act_on_it(signed_in, fakes):
    client = signed_in((SUPERVISION, "c2"))
    page = text(client.get("/administration/associates?companies=&companies=c2&status=not_activated&group=g2"))
    assert "The buttons below act on Shop Lyon." in page
    listed = parse_qs(sent(fakes["identity"], "GET", "/identity/users")[-1].query)
    assert listed["companies"] == ["c2"] and listed["status"] == ["not_activated"] and listed["group"] == ["g2"]
    assert '<option value="g2" selected>Cashiers</option>' in page and "g9" not in page
    add = re.search(r'href="(/administration/users/new\?[^"]+)"', page).group(1)
    query = parse_qs(urlsplit(add.replace("&amp;", "&")).query)
    assert query["company"] == ["c2"] and query["back"][0].startswith("/administration/associates?")
    form = text(client.get(add.replace("&amp;", "&")))
    assert '<option value="c2" selected>Shop Lyon</option>' in form
    assert 'name="back" value="/administration/associates?' in form
    imported = text(client.get("/administration/users/import?company=c2"))
    assert '<option value="c2" selected>Shop Lyon</option>' in imported


def test_all_and_none(signed_in, fakes):
    client = signed_in((SUPERVISION, "c2"))
    none = client.get("/administration/associates?pick=none&q=nina")
    assert none.status_code == 302 and none.headers["Location"] == "/administration/associates?q=nina&companies="
    before = len(sent(fakes["identity"], "GET", "/identity/users"))
    page = text(client.get(none.headers["Location"]))
    assert "Tick the companies whose users to list." in page
    assert len(sent(fakes["identity"], "GET", "/identity/users")) == before  # nothing asked
    every = client.get("/administration/associates?pick=all&companies=c2")
    assert every.headers["Location"] == "/administration/associates"


def test_a_company_outside_the_subtree_is_not_found(signed_in, fakes):
    client = signed_in((SUPERVISION, "c2"))
    assert client.get("/administration/associates?companies=c1").status_code == 404  # above: own company
    assert client.get("/administration/associates?companies=elsewhere").status_code == 404
    fakes["identity"].routes[("GET", "/identity/users")] = lambda seen: (404, {"error": {"code": "not_found"}})
    assert client.get("/administration/associates?companies=c2").status_code == 404


def test_activation_mails_come_back_to_the_screen(signed_in, fakes):
    fakes["identity"].routes[("POST", "/identity/users/activation-mails")] = lambda seen: (
        202, {"sent": ["u7"], "skipped": []})
    client = signed_in((SUPERVISION, "c2"))
    page = text(client.get("/administration/associates?companies=c2"))
    back = re.search(r'name="back" value="([^"]+)"', page).group(1)
    answer = client.post("/administration/users/activation-mails", data={
        "csrf_token": CSRF.search(page).group(1), "user_ids": "u7", "back": back})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/administration/associates?")
    assert "1 activation e-mail sent." in text(client.get(answer.headers["Location"]))
    foreign = client.post("/administration/users/activation-mails", data={
        "csrf_token": CSRF.search(page).group(1), "user_ids": "u7", "back": "/elsewhere"})
    assert foreign.headers["Location"].startswith("/administration/users?")


# -- Notifications --------------------------------------------------------------------------------

def test_notifications_list_each_state_with_its_switch(signed_in, fakes):
    page = text(signed_in().get("/notifications"))
    assert page.index("Notifications by e-mail") < page.index("Newsletters")
    assert 'name="switch" value="off"' in page and 'name="switch" value="on"' in page
    assert "Waiting for validation" in page and "Withdraw the request" in page
    assert "(an administrator validates it)" in page
    assert 'href="/notifications"' in page  # the user menu's entry


def test_switching_off_cancels_ones_own_subscription(signed_in, fakes):
    fakes["catalog"].routes[("DELETE", "/catalog/subscriptions/sub1")] = lambda seen: (204, b"")
    client = signed_in()
    token = CSRF.search(text(client.get("/notifications"))).group(1)
    answer = client.post("/notifications", data={"csrf_token": token, "service_id": "n1", "switch": "off"})
    assert answer.headers["Location"] == "/notifications?done=off&service=n1"
    assert len(sent(fakes["catalog"], "DELETE", "/catalog/subscriptions/sub1")) == 1
    assert "“Notification on new FAQ published” is switched off." in text(client.get(answer.headers["Location"]))


def test_switching_on_may_wait_for_validation(signed_in, fakes):
    fakes["catalog"].routes[("POST", "/catalog/subscriptions")] = lambda seen: (201, {"id": "x", "status": "pending"})
    client = signed_in()
    token = CSRF.search(text(client.get("/notifications"))).group(1)
    answer = client.post("/notifications", data={"csrf_token": token, "service_id": "n2", "switch": "on"})
    assert answer.headers["Location"] == "/notifications?done=pending&service=n2"
    assert sent(fakes["catalog"], "POST", "/catalog/subscriptions")[-1].body == b'{"service_id": "n2"}'
    # A service not in one's own list is never switched, whatever the form says.
    stranger = client.post("/notifications", data={"csrf_token": token, "service_id": "zz", "switch": "off"})
    assert stranger.headers["Location"] == "/notifications?refused=gone&service=zz"
    assert client.post("/notifications", data={"csrf_token": token, "service_id": "n1"}).status_code == 400
    assert client.post("/notifications", data={"service_id": "n1", "switch": "off"}).status_code == 400  # CSRF


# -- Home -----------------------------------------------------------------------------------------

def test_the_home_tiles_count_live_for_administrators(signed_in, fakes):
    page = text(signed_in((ADMINISTRATION, "c1")).get("/"))
    assert re.search(r'data-count="requests"><span class="tile-count">2</span>', page)
    assert re.search(r'data-count="users"><span class="tile-count">4</span>', page)
    assert "Third-party associates" not in page  # not a supervisor


def test_a_plain_users_home_has_no_administration_tiles_and_no_dead_links(signed_in, fakes):
    page = text(signed_in().get("/"))
    assert "tile-requests" not in page and "tile-users" not in page and "tile-count" not in page
    assert 'class="news-link" href="/news"' in page  # the news page exists (web/news): the frame's link shows
    assert sent(fakes["catalog"], "GET", "/catalog/requests") == []


def test_a_space_tile_shows_to_the_holders_of_a_service_opening_it(monkeypatch):
    from types import SimpleNamespace

    from gateway.web.account import home
    monkeypatch.setattr(home.frame, "page_exists", lambda path: True)  # as if every space had its pages
    holder = SimpleNamespace(entitlements=frozenset({"download-updates@c1", "request-service@c1"}))
    keys = {entry.key for entry in home.entries_for(holder)}
    assert {"downloads", "support"} <= keys and "knowledge" not in keys
    assert not {"users", "requests", "associates"} & keys
    supervisor = SimpleNamespace(entitlements=frozenset({f"{SUPERVISION}@c2"}))
    assert {"users", "requests", "associates"} <= {entry.key for entry in home.entries_for(supervisor)}


def test_the_news_link_appears_once_a_news_page_exists(app, signed_in, fakes):
    app.add_url_rule("/news", "news_page_of_a_later_space", lambda: "news")
    page = text(signed_in().get("/"))
    assert 'class="news-link" href="/news"' in page
