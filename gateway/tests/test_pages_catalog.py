"""The catalog pages inside the real gateway app: real sessions and CSRF, the catalog and identity faked over HTTP."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ADMINISTRATION = "user-management-administration"
TOMORROW = (date.today() + timedelta(days=2)).isoformat()


def error(code: str, message: str = "No.", fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, **({"fields": fields} if fields else {})}}


SUBSCRIPTIONS = [
    {"id": "s1", "service_id": "v1", "service_title": "Store distributor service", "family": "Management",
     "family_title": "Management", "status": "pending", "requested_at": "2026-11-20T09:30:00+00:00",
     "expires_on": None, "reason": None, "renewal_requested_at": None},
    {"id": "s2", "service_id": "v2", "service_title": "Community area", "family": "Community",
     "family_title": "Community", "status": "accepted", "requested_at": "2026-11-01T09:30:00+00:00",
     "expires_on": "2026-12-31", "reason": None, "renewal_requested_at": None},
    {"id": "s3", "service_id": "v3", "service_title": "Web services", "family": "Online services",
     "family_title": "Online services", "status": "refused", "requested_at": "2026-10-01T09:30:00+00:00",
     "expires_on": None, "reason": "Not for your function", "renewal_requested_at": None},
    {"id": "s4", "service_id": "v4", "service_title": "View FAQs", "family": "Support",
     "family_title": "Support", "status": "expired", "requested_at": "2026-09-01T09:30:00+00:00",
     "expires_on": "2026-10-01", "reason": "expiry_date", "renewal_requested_at": None},
]
OFFER = [
    {"id": "v1", "code": "store-distributor-service", "entitlement_code": "store-distributor-service",
     "family": "Management", "family_title": "Management", "title": "Store distributor service",
     "description": "Order through the online store.", "needs_validation": True, "auto_subscribe": False,
     "min_security_level": 1},
    {"id": "v5", "code": "cloud-control-center", "entitlement_code": "cloud-control-center",
     "family": "Support", "family_title": "Support", "title": "Cloud Control Center",
     "description": "Monitor the cloud.", "needs_validation": True, "auto_subscribe": False,
     "min_security_level": 3},
    {"id": "v6", "code": "community-area", "entitlement_code": "community-area", "family": "Community",
     "family_title": "Community", "title": "Community area", "description": "Forum.",
     "needs_validation": False, "auto_subscribe": True, "min_security_level": 1},
]
REQUESTS = [
    {"id": "r1", "kind": "subscription", "company_id": "c1", "company_name": "Durand Industries",
     "user_id": "u2", "display_name": "Bruno Petit", "email": "bruno@client.test", "service_id": "v1",
     "service_title": "Store distributor service", "family": "Management",
     "requested_at": "2026-11-20T09:30:00+00:00", "expires_on": None},
    {"id": "r2", "kind": "renewal", "company_id": "c1", "company_name": "Durand Industries",
     "user_id": "u3", "display_name": "Lina Petit", "email": None, "service_id": "v2",
     "service_title": "Community area", "family": "Community",
     "requested_at": "2026-11-21T09:30:00+00:00", "expires_on": "2026-12-31"},
]


@pytest.fixture
def catalog(services):
    """The fake catalog service with the lists above; ``routes`` may be replaced per test."""
    fake = services["catalog"]
    fake.routes.update({
        ("GET", "/catalog/subscriptions"): lambda seen: (200, {"items": SUBSCRIPTIONS, "total": 14}),
        ("GET", "/catalog/services"): lambda seen: (200, {"items": OFFER, "total": 3}),
        ("GET", "/catalog/requests"): lambda seen: (200, {"items": REQUESTS, "total": 2}),
        ("GET", "/catalog/company-catalog"): lambda seen: (200, {"items": [
            {**OFFER[0], "holders": 4, "subscription": None, "company_id": "c1"},
            {**OFFER[2], "holders": 12, "subscription": {"id": "s9", "status": "accepted", "expires_on": "2027-01-31"},
             "company_id": "c1"},
            {**OFFER[0], "id": "v7", "entitlement_code": ADMINISTRATION, "title": "User Management - Administration",
             "holders": 1, "subscription": None, "company_id": "c1"}], "total": 3, "company_id": "c1"}),
        ("GET", "/catalog/dashboard"): lambda seen: (200, {
            "subscriptions": {"accepted": 5, "pending": 2, "refused": 1},
            "last_subscribed": [{"title": "Community area", "family_title": "Community"}],
            "services_not_subscribed": 21, "new_services_since": 3,
            "latest_services": [{"title": "Web services", "created_at": "2026-11-01T00:00:00+00:00"}],
            "services_without_subscriber": None, "requests_waiting": None}),
    })
    return fake


@pytest.fixture
def signed_in(client, open_session, grant):
    """Sign the test client in as a plain user (``administrator=True``: with the administration right)."""
    def sign_in(administrator=False, language="en", user_id="u1"):
        token = open_session(user_id=user_id, company_id="c1", language=language, display_name="Claire Durand")
        if administrator:
            grant(user_id, ADMINISTRATION, "c1")
        client.set_cookie("portal_session", token)
        return client
    return sign_in


def csrf_of(page: str) -> str:
    return CSRF.search(page).group(1)


def sent(fake, method: str, path: str):
    return [seen for seen in fake.received if seen.method == method and seen.path == path]


def query_of(seen) -> dict:
    return {key: values[0] for key, values in parse_qs(seen.query).items()}


# -- My services ----------------------------------------------------------------------------------

def test_anonymous_visitors_sign_in_first(client, catalog):
    answer = client.get("/services?status=pending")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next=")
    assert catalog.received == []


def test_my_services_lists_the_columns_of_the_manual_with_its_filters(signed_in, catalog):
    client = signed_in()
    answer = client.get("/services?family=Management&status=pending&q=store&page=2")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    for text in ("My services", "Family", "Request date", "Expiry date", "Store distributor service",
                 "Waiting for validation", "Accepted", "Refused", "Not for your function", "Expired",
                 "Expiry date reached", "Displaying items 11 - 14 of 14", "Clear filter"):
        assert text in page, text
    # The criteria panel keeps what was asked for.
    assert '<option value="Management" selected>' in page and '<option value="pending" selected>' in page
    assert 'name="q" type="search" value="store"' in page
    listed = sent(catalog, "GET", "/catalog/subscriptions")[-1]
    assert query_of(listed) == {"family": "Management", "status": "pending", "q": "store", "page": "2",
                                "per_page": "10"}
    assert listed.identity.user_id == "u1"
    # The cross on live subscriptions only; the renewal link on the one with an end date.
    assert 'action="/services/s1/cancel"' in page and 'action="/services/s2/cancel"' in page
    assert 'action="/services/s3/cancel"' not in page and 'action="/services/s4/cancel"' not in page
    assert 'href="/services/renewal/s2"' in page
    assert 'href="/services/catalog?q=Web%20services"' in page and "Subscribe again to Web services" in page
    assert "Withdraw the request for Store distributor service" in page
    assert "Content-Security-Policy" in answer.headers and "<style" not in page and "<script>" not in page


def test_unknown_filter_values_are_not_sent(signed_in, catalog):
    signed_in().get("/services?family=Nope&status=bogus")
    assert query_of(sent(catalog, "GET", "/catalog/subscriptions")[-1]) == {"page": "1", "per_page": "10"}


def test_the_cross_cancels_with_the_form_token_only(signed_in, catalog):
    client = signed_in()
    catalog.routes[("DELETE", "/catalog/subscriptions/s1")] = lambda seen: (204, b"")
    page = client.get("/services?status=pending").get_data(as_text=True)
    refused = client.post("/services/s1/cancel", data={"back": "/services?status=pending"})
    assert refused.status_code == 400 and not sent(catalog, "DELETE", "/catalog/subscriptions/s1")
    answer = client.post("/services/s1/cancel", data={"csrf_token": csrf_of(page), "back": "/services?status=pending"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/services?status=pending&done=cancelled"
    assert len(sent(catalog, "DELETE", "/catalog/subscriptions/s1")) == 1
    assert "The subscription has been cancelled." in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_the_cross_never_sends_elsewhere(signed_in, catalog):
    client = signed_in()
    catalog.routes[("DELETE", "/catalog/subscriptions/s1")] = lambda seen: (204, b"")
    token = csrf_of(client.get("/services").get_data(as_text=True))
    answer = client.post("/services/s1/cancel", data={"csrf_token": token, "back": "//evil.example/x"})
    assert answer.headers["Location"] == "/services?done=cancelled"


def test_cancelling_another_users_subscription_is_not_found(signed_in, catalog):
    client = signed_in()
    catalog.routes[("DELETE", "/catalog/subscriptions/zz")] = lambda seen: (404, error("not_found"))
    token = csrf_of(client.get("/services").get_data(as_text=True))
    assert client.post("/services/zz/cancel", data={"csrf_token": token}).status_code == 404


def test_my_services_in_french(signed_in, catalog):
    page = signed_in(language="fr").get("/services").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Mes services" in page and "En attente de validation" in page and "Date de la demande" in page


def test_a_catalog_that_does_not_answer_gives_the_unavailable_page(signed_in, catalog):
    catalog.routes[("GET", "/catalog/subscriptions")] = lambda seen: (503, error("service_unavailable"))
    assert signed_in().get("/services").status_code == 503


# -- the plain user's catalog ---------------------------------------------------------------------

def test_catalog_offers_subscribe_boxes(signed_in, catalog):
    page = signed_in().get("/services/catalog?family=Support&q=cloud").get_data(as_text=True)
    assert query_of(sent(catalog, "GET", "/catalog/services")[-1]) == {
        "family": "Support", "q": "cloud", "page": "1", "per_page": "10"}
    assert page.count('name="service_ids"') == 3
    assert "Needs validation" in page and "Granted at once" in page
    assert 'Needs a password of level “Strong”' in page.replace("&#34;", '"')


def test_subscribing_shows_granted_waiting_and_refused_with_the_level_needed(signed_in, catalog):
    client = signed_in()
    answers = {"v1": (201, {"id": "s10", "status": "pending"}), "v6": (201, {"id": "s11", "status": "accepted"}),
               "v5": (403, error("security_level_too_low", "Needs strong.", {"min_security_level": 3}))}

    def subscribe(seen):
        return answers[json.loads(seen.body)["service_id"]]
    catalog.routes[("POST", "/catalog/subscriptions")] = subscribe
    token = csrf_of(client.get("/services/catalog").get_data(as_text=True))
    answer = client.post("/services/catalog", data={
        "csrf_token": token, "service_ids": ["v1", "v5", "v6"], "title-v1": "Store distributor service",
        "title-v5": "Cloud Control Center", "title-v6": "Community area", "back": "/services/catalog"})
    page = answer.get_data(as_text=True).replace("&#34;", '"')
    assert answer.status_code == 200
    bodies = [json.loads(seen.body) for seen in sent(catalog, "POST", "/catalog/subscriptions")]
    assert bodies == [{"service_id": "v1"}, {"service_id": "v5"}, {"service_id": "v6"}]
    assert "Granted: you may use them now" in page and "Community area" in page
    assert "Waiting for validation" in page and "Store distributor service" in page
    assert "Cloud Control Center needs a password of security level “Strong”" in page
    assert 'role="alert"' in page


def test_subscribing_to_nothing_says_what_to_do(signed_in, catalog):
    client = signed_in()
    token = csrf_of(client.get("/services/catalog").get_data(as_text=True))
    answer = client.post("/services/catalog", data={"csrf_token": token})
    assert answer.headers["Location"] == "/services/catalog?done=none_selected"
    assert not sent(catalog, "POST", "/catalog/subscriptions")


def test_plain_users_have_no_administration_pages(signed_in, catalog):
    client = signed_in()
    assert client.get("/administration/requests").status_code == 403
    # The catalog mails link to the administrators' catalog: a plain user lands on theirs.
    answer = client.get("/administration/catalog")
    assert answer.status_code == 302 and answer.headers["Location"] == "/services/catalog"
    token = csrf_of(client.get("/services").get_data(as_text=True))
    assert client.post("/administration/requests/r1/accept", data={"csrf_token": token}).status_code == 403
    assert not sent(catalog, "POST", "/catalog/requests/r1/accept")


# -- renewal ---------------------------------------------------------------------------------------

def test_the_renewal_link_changes_nothing_until_its_button(signed_in, catalog):
    client = signed_in()
    catalog.routes[("POST", "/catalog/subscriptions/s2/renewal")] = lambda seen: (
        200, {"id": "s2", "status": "accepted", "expires_on": "2026-12-31"})
    page = client.get("/services/renewal/s2").get_data(as_text=True)
    assert "Ask for the renewal" in page and "Community area" in page
    assert all(seen.method == "GET" for seen in catalog.received)
    answer = client.post("/services/renewal/s2", data={"csrf_token": csrf_of(page)})
    assert answer.status_code == 200 and "Renewal requested" in answer.get_data(as_text=True)
    assert len(sent(catalog, "POST", "/catalog/subscriptions/s2/renewal")) == 1


def test_a_renewal_of_nothing_to_renew(signed_in, catalog):
    client = signed_in()
    catalog.routes[("POST", "/catalog/subscriptions/s3/renewal")] = lambda seen: (409, error("not_expiring"))
    token = csrf_of(client.get("/services/renewal/s3").get_data(as_text=True))
    answer = client.post("/services/renewal/s3", data={"csrf_token": token})
    assert answer.status_code == 409 and "Nothing to renew" in answer.get_data(as_text=True)


def test_the_renewal_link_asks_to_sign_in_first(client, catalog):
    answer = client.get("/services/renewal/s2")
    assert answer.status_code == 302 and "next=%2Fservices%2Frenewal%2Fs2" in answer.headers["Location"]


# -- requests to validate --------------------------------------------------------------------------

def test_requests_list_the_columns_of_the_manual(signed_in, catalog):
    page = signed_in(administrator=True).get("/administration/requests").get_data(as_text=True)
    for text in ("Requests to validate", "Durand Industries", "Bruno Petit", "Store distributor service",
                 "Renewal", "Accept", "Refuse", "Reason (optional)", "Expiry date (optional)",
                 "Displaying items 1 - 2 of 2", 'href="/administration/catalog"', 'href="/services"'):
        assert text in page, text
    assert 'action="/administration/requests/r1/accept"' in page and 'action="/administration/requests/r2/refuse"' in page


def test_accepting_with_an_expiry_date(signed_in, catalog):
    client = signed_in(administrator=True)
    catalog.routes[("POST", "/catalog/requests/r1/accept")] = lambda seen: (200, {"id": "r1", "status": "accepted"})
    token = csrf_of(client.get("/administration/requests").get_data(as_text=True))
    answer = client.post("/administration/requests/r1/accept", data={
        "csrf_token": token, "expires_on": TOMORROW, "back": "/administration/requests?page=1"})
    assert answer.headers["Location"] == "/administration/requests?page=1&done=accepted"
    assert json.loads(sent(catalog, "POST", "/catalog/requests/r1/accept")[0].body) == {"expires_on": TOMORROW}
    assert "The request has been accepted" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_accepting_with_a_past_date_changes_nothing(signed_in, catalog):
    client = signed_in(administrator=True)
    token = csrf_of(client.get("/administration/requests").get_data(as_text=True))
    answer = client.post("/administration/requests/r1/accept", data={"csrf_token": token, "expires_on": "2020-01-01"})
    assert answer.headers["Location"] == "/administration/requests?done=bad_expiry"
    assert not sent(catalog, "POST", "/catalog/requests/r1/accept")


def test_refusing_with_a_reason_and_deciding_twice(signed_in, catalog):
    client = signed_in(administrator=True)
    decisions = iter([(200, {"id": "r1", "status": "refused"}), (409, error("already_decided"))])
    catalog.routes[("POST", "/catalog/requests/r1/refuse")] = lambda seen: next(decisions)
    token = csrf_of(client.get("/administration/requests").get_data(as_text=True))
    first = client.post("/administration/requests/r1/refuse", data={"csrf_token": token, "reason": " Not needed "})
    assert first.headers["Location"] == "/administration/requests?done=refused"
    assert json.loads(sent(catalog, "POST", "/catalog/requests/r1/refuse")[0].body) == {"reason": "Not needed"}
    second = client.post("/administration/requests/r1/refuse", data={"csrf_token": token})
    assert second.headers["Location"] == "/administration/requests?done=already_decided"
    assert "already been decided" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_requests_in_french(signed_in, catalog):
    page = signed_in(administrator=True, language="fr").get("/administration/requests").get_data(as_text=True)
    assert "Demandes à valider" in page and "Accepter" in page and "Refuser" in page


# -- the administrators' catalog ------------------------------------------------------------------

def test_administrators_catalog_with_holders_and_the_user_picker(signed_in, catalog, services):
    services["identity"].routes[("GET", "/identity/users")] = lambda seen: (200, {"items": [
        {"id": "u2", "display_name": "Bruno Petit", "email": "bruno@client.test"}], "total": 1})
    page = signed_in(administrator=True).get("/administration/catalog?user=u2&family=Management").get_data(as_text=True)
    listed = sent(catalog, "GET", "/catalog/company-catalog")[-1]
    assert query_of(listed) == {"user_id": "u2", "family": "Management", "page": "1", "per_page": "10"}
    users_query = query_of(sent(services["identity"], "GET", "/identity/users")[-1])
    assert users_query["status"] == "active"
    for text in ("Holders", "Subscriptions of Bruno Petit", "Expiry date (optional)", "Settings of Community area",
                 "Granted automatically when an account is created", "Save", "until"):
        assert text in page, text
    # Boxes for the services the user does not hold; the administration right's settings are locked.
    assert page.count('name="service_ids"') == 2 and 'value="v6" form="subscribe-user"' not in page
    assert page.count('action="/administration/catalog/settings/') == 2
    assert "it always needs validation" in page


def test_administrator_subscribes_the_picked_user_with_an_expiry_date(signed_in, catalog):
    client = signed_in(administrator=True)
    catalog.routes[("POST", "/catalog/subscriptions")] = lambda seen: (201, {"id": "s20", "status": "accepted"})
    token = csrf_of(client.get("/administration/catalog").get_data(as_text=True))
    answer = client.post("/administration/catalog/subscriptions", data={
        "csrf_token": token, "user_id": "u2", "user_name": "Bruno Petit", "service_ids": ["v1"],
        "title-v1": "Store distributor service", "expires_on": TOMORROW, "back": "/administration/catalog?user=u2"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Subscriptions of Bruno Petit" in page and "Granted" in page
    assert json.loads(sent(catalog, "POST", "/catalog/subscriptions")[0].body) == {
        "service_id": "v1", "user_id": "u2", "expires_on": TOMORROW}
    assert 'href="/administration/catalog?user=u2"' in page


def test_the_sub_menu_saves_the_company_choice(signed_in, catalog):
    client = signed_in(administrator=True)
    catalog.routes[("PUT", "/catalog/settings/services/v6")] = lambda seen: (200, {"service_id": "v6"})
    catalog.routes[("PUT", "/catalog/settings/services/v7")] = lambda seen: (409, error("setting_locked"))
    token = csrf_of(client.get("/administration/catalog").get_data(as_text=True))
    answer = client.post("/administration/catalog/settings/v6", data={
        "csrf_token": token, "needs_validation": "on", "company_id": "c1", "back": "/administration/catalog?page=1"})
    assert answer.headers["Location"] == "/administration/catalog?page=1&done=saved"
    assert json.loads(sent(catalog, "PUT", "/catalog/settings/services/v6")[0].body) == {
        "auto_subscribe": False, "needs_validation": True, "company_id": "c1"}
    locked = client.post("/administration/catalog/settings/v7", data={"csrf_token": token, "auto_subscribe": "on"})
    assert locked.headers["Location"] == "/administration/catalog?done=locked"


# -- frame and dashboard ----------------------------------------------------------------------------

def test_the_management_center_lists_the_catalog_pages(signed_in, catalog):
    page = signed_in(administrator=True).get("/services").get_data(as_text=True)
    nav = page[page.index('class="admin-nav"'):page.index("</nav>", page.index('class="admin-nav"'))]
    for path in ("/services", "/administration/catalog", "/administration/requests"):
        assert f'href="{path}"' in nav


def test_the_home_page_leads_to_my_services(signed_in, catalog):
    assert 'href="/services"' in signed_in().get("/").get_data(as_text=True)


def test_dashboard_blocks_on_the_profile_page(signed_in, catalog, services):
    services["identity"].routes[("GET", "/identity/me/audits")] = lambda seen: (200, {"items": [
        {"succeeded": True, "occurred_at": "2026-11-23T08:00:00+00:00"},
        {"succeeded": False, "occurred_at": "2026-11-22T08:00:00+00:00"},
        {"succeeded": True, "occurred_at": "2026-11-21T08:00:00+00:00"}]})
    page = signed_in().get("/profile").get_data(as_text=True)
    # "since" is the sign-in before this one: the last connection.
    assert query_of(sent(catalog, "GET", "/catalog/dashboard")[-1]) == {"since": "2026-11-21T08:00:00+00:00"}
    for text in ("validated", "waiting for validation", "refused", "<strong>21</strong>",
                 "new services since your last connection", "My last services", "Community area", "Web services",
                 'href="/services?status=pending"', "Last services added to the catalog"):
        assert text in page, text
    assert "services without subscriber" not in page and "subscriptions waiting for validation" not in page


def test_dashboard_blocks_say_when_the_catalog_does_not_answer(signed_in, catalog):
    catalog.routes[("GET", "/catalog/dashboard")] = lambda seen: (503, error("service_unavailable"))
    answer = signed_in().get("/profile")
    assert answer.status_code == 200
    assert answer.get_data(as_text=True).count("This information is not available right now.") >= 2


def test_dashboard_blocks_of_an_administrator(signed_in, catalog, services):
    catalog.routes[("GET", "/catalog/dashboard")] = lambda seen: (200, {
        "subscriptions": {"accepted": 1, "pending": 0, "refused": 0}, "last_subscribed": [],
        "services_not_subscribed": 4, "new_services_since": None, "latest_services": [],
        "services_without_subscriber": 7, "requests_waiting": 2})
    page = signed_in(administrator=True).get("/profile").get_data(as_text=True)
    assert "<strong>7</strong> services without subscriber" in page
    assert "<strong>2</strong> subscriptions waiting for validation" in page
    assert 'href="/administration/requests"' in page and "new services since" not in page


def test_a_user_of_another_company_is_dropped_from_the_picker(signed_in, catalog):
    catalog.routes[("GET", "/catalog/company-catalog")] = lambda seen: (
        (404, error("not_found")) if "user_id" in seen.query else (200, {"items": [], "total": 0}))
    answer = signed_in(administrator=True).get("/administration/catalog?user=elsewhere&q=web")
    assert answer.status_code == 302 and answer.headers["Location"] == "/administration/catalog?q=web"
