"""Secret feed links: a holder of "Download updates" makes, renews and revokes the link of the
release calendar (any company user that of their planning); the gateway resolves a secret (only the live one, only its hash is kept)."""
from __future__ import annotations

from assets.feed_links import digest
from assets.models import FeedLink

DOWNLOAD = "download-updates"
RESOLVE = "/_portal/feed-links/resolve"


def test_a_link_is_made_shown_once_renewed_and_revoked(client, signed, database):
    holder = signed("u1", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}), language="fr")
    anonymous = signed(None)
    assert client.get("/assets/feed-links/release_calendar", headers=holder).status_code == 404
    made = client.post("/assets/feed-links/release_calendar", headers=holder)
    assert made.status_code == 201
    first = made.get_json()
    assert first["path"] == f"/feeds/release-calendar/{first['secret']}.ics" and len(first["secret"]) >= 43
    with database.transaction() as session:
        row = session.query(FeedLink).one()
        assert row.secret_hash == digest(first["secret"]) and first["secret"] not in repr(vars(row))
    shown = client.get("/assets/feed-links/release_calendar", headers=holder).get_json()
    assert "secret" not in shown and shown["purpose"] == "release_calendar"
    resolved = client.post(RESOLVE, json={"purpose": "release_calendar", "secret": first["secret"]}, headers=anonymous)
    assert resolved.status_code == 200
    assert resolved.get_json() == {"user_id": "u1", "company_id": "c1", "language": "fr",
                                   "purpose": "release_calendar"}
    assert client.get("/assets/feed-links/release_calendar", headers=holder).get_json()["last_read_at"]
    second = client.post("/assets/feed-links/release_calendar", headers=holder).get_json()
    assert second["secret"] != first["secret"]
    old = client.post(RESOLVE, json={"purpose": "release_calendar", "secret": first["secret"]}, headers=anonymous)
    assert old.status_code == 404 and old.get_json()["error"]["code"] == "not_found"
    assert client.post(RESOLVE, json={"purpose": "planning", "secret": second["secret"]},
                       headers=anonymous).status_code == 404
    assert client.post(RESOLVE, json={"purpose": "release_calendar", "secret": "x" * 500},
                       headers=anonymous).status_code == 404
    assert client.post(RESOLVE, json=["not", "an", "object"], headers=anonymous).status_code in (400, 404)
    assert client.delete("/assets/feed-links/release_calendar", headers=holder).status_code == 204
    assert client.post(RESOLVE, json={"purpose": "release_calendar", "secret": second["secret"]},
                       headers=anonymous).status_code == 404
    assert client.delete("/assets/feed-links/release_calendar", headers=holder).status_code == 404


def test_who_may_have_a_link(client, signed):
    assert client.post("/assets/feed-links/release_calendar", headers=signed(None)).status_code == 401
    without = signed("u2", "c1", entitlements=frozenset())
    assert client.post("/assets/feed-links/release_calendar", headers=without).status_code == 403
    assert client.post("/assets/feed-links/planning", headers=without).status_code == 201  # any company user
    operator = signed("op", operator=True)
    assert client.post("/assets/feed-links/release_calendar", headers=operator).status_code == 403
    holder = signed("u1", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}))
    assert client.post("/assets/feed-links/nothing", headers=holder).status_code == 404
    # Each user's link is their own: another user's renewal does not touch it.
    mine = client.post("/assets/feed-links/release_calendar", headers=holder).get_json()["secret"]
    other = signed("u3", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}))
    client.post("/assets/feed-links/release_calendar", headers=other)
    assert client.post(RESOLVE, json={"purpose": "release_calendar", "secret": mine},
                       headers=signed(None)).get_json()["user_id"] == "u1"
    assert client.post(RESOLVE, json={"purpose": "release_calendar", "secret": mine}).status_code == 401


def test_a_deleted_users_links_are_gone(client, signed, database, handle):
    holder = signed("u1", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}))
    secret = client.post("/assets/feed-links/planning", headers=holder).get_json()["secret"]
    kept = client.post("/assets/feed-links/planning", headers=signed("u2", "c1")).get_json()["secret"]
    handle("UserDeleted", {"user_id": "u1", "company_id": "c1", "email": "a@b.test", "language": "en"})
    assert client.post(RESOLVE, json={"purpose": "planning", "secret": secret},
                       headers=signed(None)).status_code == 404
    assert client.post(RESOLVE, json={"purpose": "planning", "secret": kept},
                       headers=signed(None)).status_code == 200
    with database.transaction() as session:
        assert [row.user_id for row in session.query(FeedLink)] == ["u2"]
