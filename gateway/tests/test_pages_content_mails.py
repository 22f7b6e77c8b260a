"""The notifications page's block on new content (notifications faked over HTTP): one's choice
between a mail per item and a daily digest, shown and saved by a plain form, in both languages."""
from __future__ import annotations

import json
import re

import pytest

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def page(client, open_session, services):
    services["catalog"].routes[("GET", "/catalog/notifications")] = lambda seen: (200, {"items": [], "total": 0})
    chosen = {"content_mails": "immediate", "digest_hour": 7, "time_zone": "UTC"}
    services["notifications"].routes[("GET", "/notifications/preferences")] = lambda seen: (200, chosen)

    def put(seen):
        chosen["content_mails"] = json.loads(seen.body)["content_mails"]
        return 200, chosen
    services["notifications"].routes[("PUT", "/notifications/preferences")] = put

    def sign_in(language="en"):
        client.set_cookie("portal_session", open_session(user_id="u1", company_id="c1", language=language))
        return client
    return sign_in


def html(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&amp;", "&")


def test_the_choice_is_shown_with_the_digest_hour(page):
    text = html(page().get("/notifications"))
    assert "New content: when to tell you" in text
    assert re.search(r'value="immediate" checked', text) and 'value="daily_digest">' in text
    assert "(at 07:00 (UTC))" in text


def test_choosing_the_digest_saves_it_and_says_so(page, services):
    client = page()
    token = CSRF.search(html(client.get("/notifications"))).group(1)
    answer = client.post("/notifications/content-mails", data={"csrf_token": token, "content_mails": "daily_digest"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/notifications?done=content_mails"
    [put] = [seen for seen in services["notifications"].received if seen.method == "PUT"]
    assert json.loads(put.body) == {"content_mails": "daily_digest"} and put.identity.user_id == "u1"
    text = html(client.get(answer.headers["Location"]))
    assert "Your choice is saved" in text and re.search(r'value="daily_digest" checked', text)


def test_a_bad_choice_or_a_missing_token_changes_nothing(page, services):
    client = page()
    token = CSRF.search(html(client.get("/notifications"))).group(1)
    assert client.post("/notifications/content-mails", data={"csrf_token": token, "content_mails": "weekly"}).status_code == 400
    assert client.post("/notifications/content-mails", data={"content_mails": "immediate"}).status_code == 400
    assert not [seen for seen in services["notifications"].received if seen.method == "PUT"]


def test_in_french(page):
    text = html(page("fr").get("/notifications"))
    assert "Nouveaux contenus\u00a0: quand vous prévenir" in text and "Un message par jour listant les nouveautés" in text


def test_when_notifications_cannot_answer_the_block_says_so(page, services):
    services["notifications"].routes[("GET", "/notifications/preferences")] = lambda seen: (503, {})
    text = html(page().get("/notifications"))
    assert "This choice cannot be shown right now" in text


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.post("/notifications/content-mails", data={"content_mails": "immediate"})
    assert answer.status_code in (302, 400)
