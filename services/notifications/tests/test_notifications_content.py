"""New-content mails: who is in an item's target, once per person, in their language; the sender's
batches, retries and what a worker killed halfway sends again; the daily digest's grouping."""
from __future__ import annotations

import threading
from email import message_from_bytes
from email.policy import default
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from portalkit.consumer import EventConsumer

from notifications import digests, fanout
from notifications.bulk_sending import MailRejected, Rate
from notifications.content_sender import ContentSender
from notifications.handlers import handlers_for
from notifications.models import ContentDelivery, ContentDigest, ContentPublication, HandledEvent, MailPreference
from notifications.sending import MailNotSent, RecipientRefused
from notifications.settings import ContentSettings, MailSettings
from notifications_testkit import BASE_URL, make_event, person

FAQ = "notification-on-new-faq-published"
EVENTS = "notification-on-new-events-published"
ACCOUNTING = "functional-preference-accounting"


class FakeConnection:
    """Keeps what it is handed; ``fail_with(n)`` raises instead for the next n sends."""

    def __init__(self):
        self.sent, self.failures, self.closed = [], [], 0

    def send(self, message):
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message_from_bytes(message.as_bytes(), policy=default))  # as the server reads it

    def close(self):
        self.closed += 1


class Killed(BaseException):
    """The worker dies (SIGKILL): nothing after it runs, no transaction is finished."""


@pytest.fixture
def run(database, postman):
    handlers = handlers_for(postman, BASE_URL)

    def handle(event_type, **data):
        event = make_event(event_type, **data)
        EventConsumer(None, "notifications", database, HandledEvent, handlers).handle(
            event, handlers[event.routing_key])
        return event
    return handle


@pytest.fixture
def content_settings(monkeypatch):
    monkeypatch.setenv("PORTAL_NOTIFICATIONS_SEND_RETRY_DELAY", "0.01")
    return ContentSettings.load()


@pytest.fixture
def make_sender(database, content_settings):
    def make(**changes):
        return ContentSender(database, replace(content_settings, **changes), MailSettings.load())
    return make


def holds(run, who, company, service):
    run("SubscriptionAccepted", **who, subscription_id=f"s-{who['user_id']}-{company}-{service}", service_id="svc",
        service_code=service, company_id=company, scope_company_id=company, automatic=True)


def holding(run, company, product_code, number):
    run("ProductRecorded", product_id=f"p-{product_code}", code=product_code, name_en=product_code,
        name_fr=product_code, kind="software", brand="Etafi", domain="Accounting", serializable=False,
        major_version=1, retired=False)
    run("HoldingRecorded", holding_id=f"h{number}", company_id=company, product_id=f"p-{product_code}", product_code=product_code,
        quantity=1)


def article(run, article_id="a1", products=(), title_en="Closing the year", title_fr="Clôturer l’exercice",
            first=True):
    return run("ArticlePublished", article_id=article_id, version=1, first=first, title_en=title_en,
               title_fr=title_fr, brand="Etafi", domain="Accounting", product_codes=list(products),
               published_on="2026-12-02")


def news(run, news_id="n1", kind="event", products=(), domains=(), title_en="Year-end webinar", title_fr=""):
    return run("NewsPublished", news_id=news_id, kind=kind, title_en=title_en, title_fr=title_fr,
               product_codes=list(products), domains=list(domains), published_on="2026-12-02")


def send_all(sender, connection=None):
    connection = connection or FakeConnection()
    while claimed := sender.claim():
        sender.send_claimed(claimed, connection, threading.Event())
    return connection


def deliver(database, sender, connection=None):
    fanout.expand_pending(database, batch=2)
    return send_all(sender, connection)


def recipients(connection) -> set[str]:
    return {message["To"].addresses[0].addr_spec for message in connection.sent}


@pytest.fixture
def people(run):
    """ann (c1, en) and luc (c1, fr) hold the FAQ notification; zoe (c2) too and holds it for c3;
    bob (c1) holds nothing of it; ann and zoe hold the accounting preference."""
    folks = {name: person(email=f"{name}@test.example", first_name=name.title(), user_id=name, language=language)
             for name, language in (("ann", "en"), ("luc", "fr-FR"), ("zoe", "en"), ("bob", "en"))}
    for name, company in (("ann", "c1"), ("luc", "c1"), ("zoe", "c2"), ("zoe", "c3")):
        holds(run, folks[name], company, FAQ)
        holds(run, folks[name], company, EVENTS)
    holds(run, folks["ann"], "c1", ACCOUNTING)
    holds(run, folks["zoe"], "c2", ACCOUNTING)
    holds(run, folks["bob"], "c1", "download-updates")
    holding(run, "c1", "ACC", 1)
    holding(run, "c3", "PAY", 2)
    return folks


def test_the_handler_only_records_the_publication(run, database, people):
    article(run)
    with database.sessions() as session:
        [publication] = session.scalars(select(ContentPublication))
        assert (publication.kind, publication.service_code, publication.expanded) == ("faq", FAQ, False)
        assert session.scalar(select(func.count()).select_from(ContentDelivery)) == 0


def test_a_generic_item_reaches_every_holder_once(run, database, people, make_sender):
    article(run)
    connection = deliver(database, make_sender())
    assert sorted(recipients(connection)) == ["ann@test.example", "luc@test.example", "zoe@test.example"]
    assert len(connection.sent) == 3  # zoe holds it for two companies: one mail


def test_an_item_for_products_reaches_the_companies_holding_them(run, database, people, make_sender):
    article(run, products=["PAY"])
    assert recipients(deliver(database, make_sender())) == {"zoe@test.example"}
    article(run, article_id="a2", products=["ACC", "PAY"])
    assert recipients(deliver(database, make_sender())) == {"ann@test.example", "luc@test.example",
                                                            "zoe@test.example"}


def test_a_removed_holding_no_longer_targets_its_company(run, database, people, make_sender):
    run("HoldingRemoved", holding_id="h2", company_id="c3", product_id="p-PAY")
    article(run, products=["PAY"])
    assert recipients(deliver(database, make_sender())) == set()


def test_an_item_for_domains_reaches_the_holders_of_the_preference(run, database, people, make_sender):
    news(run, domains=["Accounting"])
    assert recipients(deliver(database, make_sender())) == {"ann@test.example", "zoe@test.example"}


def test_products_and_domains_together_either_reaches(run, database, people, make_sender):
    news(run, products=["PAY"], domains=["Accounting"])
    news(run, news_id="n2", products=["ACC"], domains=["Office and System"])
    connection = deliver(database, make_sender())
    by_news = {}
    for message in connection.sent:
        by_news.setdefault(message["Message-ID"].split(".")[1], set()).add(message["To"].addresses[0].addr_spec)
    assert sorted(map(sorted, by_news.values())) == [["ann@test.example", "luc@test.example"],
                                                      ["ann@test.example", "zoe@test.example"]]


def test_each_kind_of_news_mails_the_holders_of_its_own_service(run, database, people, make_sender):
    news(run, kind="general")  # nobody here holds "… General information …"
    assert recipients(deliver(database, make_sender())) == set()


def test_each_holder_reads_it_in_their_language_with_the_absolute_link(run, database, people, make_sender):
    article(run)
    mails = {m["To"].addresses[0].addr_spec: m for m in deliver(database, make_sender()).sent}
    assert mails["ann@test.example"]["Subject"] == "New FAQ: Closing the year"
    assert mails["luc@test.example"]["Subject"] == "Nouvelle FAQ\u00a0: Clôturer l’exercice"
    text = mails["luc@test.example"].get_body(("plain",)).get_content()
    assert f"{BASE_URL}/knowledge/articles/a1" in text.splitlines()
    assert mails["luc@test.example"]["Content-Language"] == "fr"


def test_an_item_in_one_language_is_mailed_in_it_and_says_so(run, database, people, make_sender):
    news(run, title_en="Year-end webinar", title_fr="")
    mails = {m["To"].addresses[0].addr_spec: m for m in deliver(database, make_sender()).sent}
    luc = mails["luc@test.example"]
    assert luc["Subject"] == "Nouvel événement\u00a0: Year-end webinar"
    text = " ".join(luc.get_body(("plain",)).get_content().split())
    assert "(en anglais seulement)" in text and f"{BASE_URL}/news/n1" in text
    assert "only)" not in mails["ann@test.example"].get_body(("plain",)).get_content()


def test_a_new_version_or_a_second_event_of_an_item_mails_no_one_again(run, database, people, make_sender):
    article(run)
    sender = make_sender()
    assert len(deliver(database, sender).sent) == 3
    article(run, first=False)
    article(run)  # the same article under another event
    assert deliver(database, sender).sent == []


def test_message_ids_are_stable_per_publication_and_person(run, database, people, make_sender):
    article(run)
    ids = [m["Message-ID"] for m in deliver(database, make_sender()).sent]
    assert len(set(ids)) == 3 and all(i.startswith("<content.") and i.endswith("@portal.localhost>") for i in ids)


def test_expansion_goes_in_batches_along_a_cursor(run, database, make_sender):
    for number in range(7):
        holds(run, person(email=f"u{number}@test.example", user_id=f"u{number}"), "c1", FAQ)
    article(run)
    with database.transaction() as session:
        publication = session.scalar(select(ContentPublication))
        assert fanout.expand_batch(session, publication, 3) == 3
        assert (publication.cursor_user_id, publication.expanded) == ("u2", False)
    fanout.expand_pending(database, batch=3)
    with database.sessions() as session:
        publication = session.scalar(select(ContentPublication))
        assert (publication.expanded, publication.recipients) == (True, 7)


def test_a_worker_killed_halfway_resends_at_most_the_mail_in_flight(run, database, make_sender):
    for number in range(12):
        holds(run, person(email=f"u{number:02}@test.example", user_id=f"u{number:02}"), "c1", FAQ)
    article(run)
    fanout.expand_pending(database, batch=5)
    first = make_sender(send_batch=5)
    connection = FakeConnection()
    sent_before_kill = []

    class Dying(FakeConnection):
        def send(self, message):
            if len(sent_before_kill) == 7:
                raise Killed()  # dies while handing the 8th over: it may or may not have gone
            sent_before_kill.append(message_from_bytes(message.as_bytes(), policy=default))

    with pytest.raises(Killed):
        send_all(first, Dying())
    with database.sessions() as session:
        states = dict(session.execute(select(ContentDelivery.state, func.count()).group_by(ContentDelivery.state)).all())
    # The 7th recorded sent with the 8th's "sending"; the 8th in flight; 9-10 claimed; 11-12 not yet.
    assert states == {"sent": 7, "sending": 1, "claimed": 2, "pending": 2}
    restarted = make_sender()  # same host, its own token: takes the dead one's claims over at once
    assert restarted.recover_orphans() == 3
    send_all(restarted, connection)
    ids = [m["Message-ID"] for m in sent_before_kill + connection.sent]
    assert len(set(ids)) == 12
    assert len(ids) - len(set(ids)) <= 1  # only the 8th, the one in flight, may go twice
    with database.sessions() as session:
        assert session.scalar(select(func.count()).where(ContentDelivery.state != "sent")) == 0


def test_a_temporary_failure_is_retried_later_and_pauses_the_lane(run, database, people, make_sender):
    article(run)
    fanout.expand_pending(database)
    sender = make_sender()
    connection = FakeConnection()
    connection.failures = [MailNotSent("421 try later")]
    pause = sender.send_claimed(sender.claim(), connection, threading.Event())
    assert pause > 0 and connection.sent == []
    with database.sessions() as session:
        rows = session.scalars(select(ContentDelivery).order_by(ContentDelivery.id)).all()
        assert [(r.state, r.attempts) for r in rows] == [("pending", 1), ("pending", 0), ("pending", 0)]
        assert rows[0].next_attempt_at > rows[1].next_attempt_at
    send_all(sender, connection)
    import time
    time.sleep(0.02)  # the retry delay of this test (PORTAL_NOTIFICATIONS_SEND_RETRY_DELAY)
    send_all(sender, connection)
    assert len(connection.sent) == 3


def test_refusals_for_good_are_not_retried_and_attempts_end(run, database, people, make_sender):
    article(run)
    fanout.expand_pending(database)
    sender = make_sender(send_max_attempts=1)
    connection = FakeConnection()
    connection.failures = [RecipientRefused("ann", 550, "no such user"), MailRejected("554 spam"),
                           MailNotSent("timeout")]
    send_all(sender, connection)
    with database.sessions() as session:
        states = sorted(session.scalars(select(ContentDelivery.state)))
    assert states == ["failed", "failed", "refused"]


def test_the_rate_spaces_the_mails(monkeypatch):
    now, slept = [0.0], []
    rate = Rate(10, clock=lambda: now[0], sleep=slept.append)
    for _ in range(3):
        rate.acquire()
    assert slept == pytest.approx([0.1, 0.2])


def test_digest_users_get_one_mail_a_day_listing_the_day_s_items(run, database, people, make_sender):
    with database.transaction() as session:
        session.add(MailPreference(user_id="ann", content_mails="daily_digest"))
    article(run)
    news(run, domains=["Accounting"])
    sender = make_sender()
    immediate = deliver(database, sender)
    assert "ann@test.example" not in recipients(immediate)
    before_the_hour = datetime.now(timezone.utc).replace(hour=6, minute=59)
    assert digests.make_digests(database, 7, "UTC", now=before_the_hour) == 0  # the cut before is past
    after = datetime(2099, 1, 1, 7, 0, tzinfo=timezone.utc)
    assert digests.make_digests(database, 7, "UTC", now=after) == 1
    assert digests.make_digests(database, 7, "UTC", now=after) == 0  # made once
    connection = send_all(sender)
    [digest] = connection.sent
    assert digest["Subject"] == "Your daily digest of the client portal: 2 new items"
    text = digest.get_body(("plain",)).get_content()
    assert "Closing the year" in text and "Year-end webinar" in text
    assert f"{BASE_URL}/knowledge/articles/a1" in text and f"{BASE_URL}/news/n1" in text
    assert digest["Message-ID"].startswith("<digest.2099-01-01.")
    with database.sessions() as session:
        assert session.scalar(select(ContentDigest.state)) == "sent"
        assert set(session.scalars(select(ContentDelivery.state).where(ContentDelivery.user_id == "ann"))) == {"sent"}


def test_items_before_the_digest_hour_wait_for_it(database, run, people, make_sender):
    with database.transaction() as session:
        session.add(MailPreference(user_id="ann", content_mails="daily_digest"))
    article(run)
    fanout.expand_pending(database)
    past = datetime(2020, 1, 1, 12, 0, tzinfo=timezone.utc)  # the items were recorded after that day's cut
    assert digests.make_digests(database, 7, "UTC", now=past) == 0


def test_the_cut_is_the_digest_hour_of_the_zone():
    now = datetime(2026, 12, 2, 6, 30, tzinfo=timezone.utc)  # 07:30 in Paris
    assert digests.last_cut(now, 7, "Europe/Paris") == (datetime(2026, 12, 2).date(),
                                                         datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc))
    assert digests.last_cut(now, 7, "UTC")[0] == datetime(2026, 12, 1).date()


def test_switching_to_immediate_sends_the_waiting_items_at_once(run, database, people, make_sender):
    with database.transaction() as session:
        session.add(MailPreference(user_id="ann", content_mails="daily_digest"))
    article(run)
    fanout.expand_pending(database)
    with database.transaction() as session:
        fanout.set_mode_of_pending(session, "ann", "immediate")
    assert "ann@test.example" in recipients(send_all(make_sender()))


def test_the_worker_s_writers_take_turns_first_come_first_served():
    from notifications.turns import FairLock
    lock, order, ready = FairLock(), [], []
    lock.acquire()
    threads = []
    for number in range(5):
        thread = threading.Thread(target=lambda n=number: (lock.acquire(), order.append(n), lock.release()))
        thread.start()
        threads.append(thread)
        while len(lock._waiters) < number + 1:  # each one queued before the next comes
            pass
    lock.release()
    for thread in threads:
        thread.join(timeout=5)
    assert order == [0, 1, 2, 3, 4]


def test_the_sender_runs_on_the_turn_taking_database(run, database, people, content_settings):
    from notifications.turns import TurnTakingDatabase
    article(run)
    shared = TurnTakingDatabase(database.url)
    fanout.expand_pending(shared)
    sender = ContentSender(shared, content_settings, MailSettings.load())
    assert len(send_all(sender).sent) == 3
    shared.engine.dispose()
