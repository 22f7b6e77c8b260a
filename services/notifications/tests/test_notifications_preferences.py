"""``/notifications/preferences``: one's choice between a mail per item and a daily digest."""
from __future__ import annotations

import pytest

from portalkit.testing import signed_headers

from notifications.app import create_app


@pytest.fixture
def client(database, monkeypatch):
    monkeypatch.setenv("PORTAL_NOTIFICATIONS_DATABASE_URL", database.url)
    monkeypatch.setenv("PORTAL_NOTIFICATIONS_DIGEST_HOUR", "8")
    return create_app({"TESTING": True}).test_client()


def me(user_id="u1"):
    return signed_headers(user_id=user_id, company_id="c1")


def test_immediate_until_one_chooses(client):
    answer = client.get("/notifications/preferences", headers=me())
    assert answer.status_code == 200
    assert answer.get_json() == {"content_mails": "immediate", "digest_hour": 8, "time_zone": "UTC"}


def test_a_choice_is_kept_per_user(client):
    answer = client.put("/notifications/preferences", json={"content_mails": "daily_digest"}, headers=me())
    assert answer.status_code == 200 and answer.get_json()["content_mails"] == "daily_digest"
    assert client.get("/notifications/preferences", headers=me()).get_json()["content_mails"] == "daily_digest"
    assert client.get("/notifications/preferences", headers=me("u2")).get_json()["content_mails"] == "immediate"
    client.put("/notifications/preferences", json={"content_mails": "immediate"}, headers=me())
    assert client.get("/notifications/preferences", headers=me()).get_json()["content_mails"] == "immediate"


@pytest.mark.parametrize("body", [{"content_mails": "weekly"}, {}, {"content_mails": 1},
                                  {"content_mails": "immediate", "extra": True}, ["immediate"]])
def test_bad_input_is_400_in_the_contract_shape(client, body):
    answer = client.put("/notifications/preferences", json=body, headers=me())
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"]


def test_anonymous_callers_are_refused(client):
    assert client.get("/notifications/preferences", headers=signed_headers()).status_code == 401
    assert client.get("/notifications/preferences").status_code == 401
