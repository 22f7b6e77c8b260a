"""Handlers: an event in, the mails out through a fake sender, and their records, once."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portalkit.consumer import EventConsumer
from portalkit.events import CONTRACTS, PRODUCER_OF

from notifications import declarant_mails, holders, update_mails
from notifications.handlers import COMPOSERS, HANDLERS, RECORDERS, SESSION_COMPOSERS, handlers_for
from notifications.models import HandledEvent, SentMail
from notifications.sending import MailNotSent, RecipientRefused
from notifications_testkit import BASE_URL, later, make_event, person


@pytest.fixture
def handlers(postman):
    return handlers_for(postman, BASE_URL)


@pytest.fixture
def consumer(database):
    """The bus consumer's own handling (transaction + handled-event record), without a broker."""
    def run(event, handlers):
        worker = EventConsumer(None, "notifications", database, HandledEvent, handlers)
        return worker.handle(event, handlers[event.routing_key])
    return run


def user_created(language="fr", email="ldupont@company.ws"):
    return make_event("UserCreated", **person(email=email, language=language), company_id="c1",
                      company_name="Dupont SA", activation_token="tok-1", activation_expires_at=later())


def count(database, model):
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_activation_mail_is_sent_in_the_users_language_and_recorded(database, consumer, handlers, sender):
    event = user_created("fr")
    assert consumer(event, handlers) is True
    [message] = sender.sent
    assert message["To"] == "Lovana Dupont <ldupont@company.ws>"
    assert message["From"] == "Client portal <no-reply@portal.example.com>"
    assert message["Subject"] == "Activez votre compte du portail client"
    assert message["Content-Language"] == "fr"
    assert message["Message-ID"].startswith(f"<{event.id}.activation.")
    assert message["Message-ID"].endswith("@portal.example.com>")
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_content() for part in message.iter_parts())
    assert f"{BASE_URL}/activate/tok-1" in text and f'href="{BASE_URL}/activate/tok-1"' in html
    with database.sessions() as session:
        [sent] = session.scalars(select(SentMail)).all()
    assert (sent.event_id, sent.kind, sent.recipient) == (event.id, "activation", "ldupont@company.ws")
    assert (sent.subject, sent.message_id) == (message["Subject"], message["Message-ID"])


def test_every_mail_names_the_request_its_event_followed(database, handlers, sender):
    from portalkit import correlation
    from portalkit.events import new_envelope
    created = new_envelope("UserCreated", {**person(), "company_id": "c1", "company_name": "Dupont SA",
                                           "activation_token": "tok-1", "activation_expires_at": later()},
                           "req-0123456789")
    locked = new_envelope("UserLocked", {**person(), "company_id": "c1", "locked_until": later(0),
                                         "administrators": [person(email="admin@company.ws", user_id="a1")]},
                          "req-9876543210")
    worker = EventConsumer(None, "notifications", database, HandledEvent, handlers)
    for envelope in (created, locked):
        worker.on_message(json.loads(json.dumps(envelope)), _Acked())
    assert [(m["To"].addresses[0].addr_spec, m[correlation.MAIL_HEADER]) for m in sender.sent] == [
        ("ldupont@company.ws", "req-0123456789"), ("ldupont@company.ws", "req-9876543210"),
        ("admin@company.ws", "req-9876543210")]


def test_a_mail_of_an_event_without_an_id_names_its_handlings(database, consumer, handlers, sender):
    from portalkit import correlation
    with correlation.handling(None, "event-0000001", "identity.UserCreated"):
        assert consumer(user_created(), handlers) is True
    assert sender.sent[0][correlation.MAIL_HEADER] == "event-0000001"


class _Acked:
    headers: dict = {}
    channel = None

    def ack(self):
        pass


def test_a_redelivered_event_is_not_mailed_twice(database, consumer, handlers, sender):
    event = user_created()
    assert consumer(event, handlers) is True
    assert consumer(event, handlers) is False
    assert len(sender.sent) == 1


def test_a_resent_mail_keeps_its_message_id(postman):
    event = user_created()
    mail = COMPOSERS[event.routing_key](event, BASE_URL)[0]
    assert postman.message(event, mail)["Message-ID"] == postman.message(event, mail)["Message-ID"]
    other = user_created()
    assert postman.message(other, mail)["Message-ID"] != postman.message(event, mail)["Message-ID"]


def test_every_administrator_gets_their_own_mail(database, consumer, handlers, sender):
    event = make_event("SubscriptionRequested", **person(first_name="Jean"), subscription_id="s1",
                       service_id="svc", service_code="request-service", service_title="Request service",
                       company_id="c1", scope_company_id="c1",
                       administrators=[person("anne@company.ws", "Anne", "fr", "a1"),
                                       person("bob@company.ws", "Bob", "en", "a2")])
    consumer(event, handlers)
    assert [(m["To"].addresses[0].addr_spec, m["Content-Language"], m["Subject"]) for m in sender.sent] == [
        ("anne@company.ws", "fr", "Abonnement à valider\u00a0: Request service"),
        ("bob@company.ws", "en", "Subscription to validate: Request service")]
    assert len({m["Message-ID"] for m in sender.sent}) == 2
    assert count(database, SentMail) == 2


def test_both_addresses_hear_of_a_changed_address(database, consumer, handlers, sender):
    event = make_event("UserEmailChanged", **person(email="new@company.ws"), company_id="c1",
                       previous_email="old@company.ws")
    consumer(event, handlers)
    assert [m["To"].addresses[0].addr_spec for m in sender.sent] == ["old@company.ws", "new@company.ws"]


def test_a_recipient_without_address_is_skipped(database, consumer, handlers, sender, caplog):
    caplog.set_level("INFO")
    consumer(user_created(email=None), handlers)
    assert sender.sent == [] and count(database, SentMail) == 0
    assert count(database, HandledEvent) == 1
    assert "no e-mail address" in caplog.text


def test_a_refused_recipient_is_logged_and_not_retried(database, consumer, handlers, sender, caplog):
    sender.failure = RecipientRefused("ldupont@company.ws", 550, "No such user")
    assert consumer(user_created(), handlers) is True
    assert count(database, SentMail) == 0 and count(database, HandledEvent) == 1
    assert "550 No such user" in caplog.text


def test_a_mail_not_sent_fails_the_event_for_the_bus_to_retry(database, consumer, handlers, sender):
    sender.failure = MailNotSent("connection refused after 3 tries")
    event = user_created()
    with pytest.raises(MailNotSent):
        consumer(event, handlers)
    assert count(database, SentMail) == 0 and count(database, HandledEvent) == 0
    sender.failure = None
    assert consumer(event, handlers) is True
    assert len(sender.sent) == 1


def test_every_handled_event_is_a_known_event_of_its_producer():
    assert set(HANDLERS) == (set(COMPOSERS) | set(SESSION_COMPOSERS) | set(holders.KEPT) | set(declarant_mails.KEPT)
                             | set(RECORDERS))
    for key in HANDLERS:
        producer, _, name = key.partition(".")
        assert name in CONTRACTS and PRODUCER_OF[name] == producer
