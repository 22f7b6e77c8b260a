from datetime import timedelta

import pytest
from sqlalchemy import update

from portalkit.db import Database, utcnow
from portalkit.settings import database_url

from gateway.models import UserSession
from gateway.sessions import SessionStore, token_digest


@pytest.fixture
def store(var_dir):
    return SessionStore(Database(database_url("gateway")), idle=timedelta(minutes=60),
                        lifetime=timedelta(hours=12))


@pytest.fixture
def other_process(store):
    """A second store on the same database: what another gateway worker process sees."""
    return SessionStore(Database(store.database.url), store.idle, store.lifetime)


def open_(store, user_id="u1", scope="full"):
    return store.open(user_id, "c1", False, "en", "Ann Lee", "Acme", scope)


def set_times(store, token, **times):
    with store.database.transaction() as session:
        session.execute(update(UserSession).where(UserSession.token_hash == token_digest(token))
                        .values(**times))


def test_a_session_token_is_random_and_kept_only_hashed(store):
    token, expires_at = open_(store)
    other, _ = open_(store)
    assert token != other and len(token) >= 43
    with store.database.sessions() as session:
        stored = session.query(UserSession.token_hash).all()
    assert all(token not in row.token_hash for row in stored)
    assert expires_at - utcnow() > timedelta(hours=11, minutes=59)


def test_an_idle_session_expires(store):
    token, _ = open_(store)
    set_times(store, token, last_seen_at=utcnow() - timedelta(minutes=59))
    assert store.resolve(token) is not None
    set_times(store, token, last_seen_at=utcnow() - timedelta(minutes=61))
    assert store.resolve(token) is None


def test_a_session_ends_at_its_absolute_expiry_however_active(store):
    token, _ = open_(store)
    set_times(store, token, expires_at=utcnow() - timedelta(seconds=1), last_seen_at=utcnow())
    assert store.resolve(token) is None


def test_use_keeps_a_session_alive_but_writes_at_most_once_a_minute(store):
    token, _ = open_(store)
    seen = utcnow() - timedelta(seconds=30)
    set_times(store, token, last_seen_at=seen)
    store.resolve(token)
    with store.database.sessions() as session:
        assert session.query(UserSession).one().last_seen_at == seen
    set_times(store, token, last_seen_at=utcnow() - timedelta(minutes=50))
    store.resolve(token)
    with store.database.sessions() as session:
        assert utcnow() - session.query(UserSession).one().last_seen_at < timedelta(seconds=5)


def test_a_password_change_session_is_short_lived(store):
    _token, expires_at = open_(store, scope="password_change")
    assert expires_at - utcnow() <= timedelta(minutes=30)


def test_signing_out_takes_effect_in_every_process(store, other_process):
    token, _ = open_(store)
    assert store.resolve(token) is not None and other_process.resolve(token) is not None
    assert other_process.end(token) is True
    assert store.resolve(token) is None


def test_a_grant_takes_effect_on_the_next_request_in_every_process(store, other_process):
    from gateway.models import Entitlement
    from gateway.sessions import bump_revision
    token, _ = open_(store)
    assert store.resolve(token).entitlements == frozenset()
    with other_process.database.transaction() as session:
        session.add(Entitlement(subscription_id="s1", user_id="u1", service_code="request-service",
                                scope_company_id="c1"))
        bump_revision(session, "u1")
    assert store.resolve(token).entitlements == frozenset({"request-service@c1"})
    with other_process.database.transaction() as session:
        session.execute(update(Entitlement).values(ended_at=utcnow()))
        bump_revision(session, "u1")
    assert store.resolve(token).entitlements == frozenset()


def test_a_user_sessions_end_together_but_for_the_one_kept(store):
    kept, _ = open_(store)
    ended, _ = open_(store)
    someone_else, _ = open_(store, "u2")
    kept_id = store.resolve(kept).session_id
    assert store.end_user_sessions("u1", except_session_id=kept_id) == 1
    assert store.resolve(kept) is not None and store.resolve(ended) is None
    assert store.resolve(someone_else) is not None
    assert store.end_user_sessions("u1") == 1
    assert store.resolve(kept) is None


def test_unknown_or_absurd_tokens_resolve_to_nobody(store):
    for token in (None, "", "nope", "x" * 10_000):
        assert store.resolve(token) is None
        assert store.end(token) is False


def test_the_app_holds_one_store_that_the_proxy_and_sign_in_share(app):
    from gateway import seams
    gateway = seams.of(app)
    assert gateway.sign_in.sessions is gateway.sessions and gateway.sign_in.upstream is gateway.upstream
    token, _ = gateway.sessions.open("u9", None, True, "fr", "Op", "")
    user = gateway.sign_in.current_user(token)
    assert (user.user_id, user.operator, user.language, user.company_id) == ("u9", True, "fr", None)
    assert gateway.sessions.end_user_sessions("u9") == 1
    assert gateway.sign_in.current_user(token) is None
    # No module of the gateway keeps a process-wide store or pool of its own any more.
    from gateway import auth, sessions, upstream
    assert not hasattr(sessions, "use_store") and not hasattr(upstream, "use_upstream")
    assert not hasattr(auth, "sign_in") and not hasattr(upstream, "upstream")


def test_old_sessions_are_purged(store):
    from gateway.sessions import purge
    old, _ = open_(store)
    recent, _ = open_(store)
    set_times(store, old, expires_at=utcnow() - timedelta(days=8))
    store.end(recent)
    with store.database.transaction() as session:
        assert purge(session, timedelta(days=7)) == 1
    with store.database.sessions() as session:
        assert session.query(UserSession).count() == 1
