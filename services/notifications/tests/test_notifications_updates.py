"""UpdateReleased mails the holders of "Notification on new updates for download" in the companies
that may download it, each in their language; who holds it is kept from the catalog's and
identity's events."""
from __future__ import annotations

import pytest

from portalkit.consumer import EventConsumer

from notifications.handlers import handlers_for
from notifications.models import HandledEvent
from notifications_testkit import BASE_URL, make_event, person

SERVICE = "notification-on-new-updates-for-download"


@pytest.fixture
def run(database, postman):
    handlers = handlers_for(postman, BASE_URL)

    def handle(event_type, **data):
        event = make_event(event_type, **data)
        return EventConsumer(None, "notifications", database, HandledEvent, handlers).handle(
            event, handlers[event.routing_key])
    return handle


def subscription(event_type, who, company, service=SERVICE, **extra):
    return dict(event_type=event_type, **who, subscription_id=f"s-{who['user_id']}-{company}", service_id="svc",
                service_code=service, company_id=company, scope_company_id=company, automatic=True, **extra)


def released(companies, version="2.0"):
    return dict(event_type="UpdateReleased", release_id="r1", product="ACC", product_id="p1",
                product_name_en="Accounting", product_name_fr="Comptabilité", version=version,
                channel="stable", released_on="2026-11-20", company_ids=companies)


def test_holders_in_the_companies_named_are_mailed_in_their_language(run, sender):
    ann = person(email="ann@c1.test", first_name="Ann", user_id="u1", language="en")
    luc = person(email="luc@c1.test", first_name="Luc", user_id="u2", language="fr-FR")
    zoe = person(email="zoe@c2.test", first_name="Zoé", user_id="u3", language="en")
    other = person(email="bob@c1.test", first_name="Bob", user_id="u4")
    for who, company in ((ann, "c1"), (luc, "c1"), (zoe, "c2")):
        run(**subscription("SubscriptionAccepted", who, company))
    run(**subscription("SubscriptionAccepted", other, "c1", service="download-updates"))
    sent_before = len(sender.sent)
    run(**released(["c1"]))
    mails = {message["To"].addresses[0].addr_spec: message for message in sender.sent[sent_before:]}
    assert set(mails) == {"ann@c1.test", "luc@c1.test"}
    assert mails["ann@c1.test"]["Subject"] == "An update of Accounting is ready to download: version 2.0"
    assert mails["luc@c1.test"]["Subject"] == "Une mise à jour de Comptabilité est prête à télécharger : version 2.0"
    text = mails["luc@c1.test"].get_body(("plain",)).get_content()
    assert f"{BASE_URL}/downloads" in text and "20 novembre 2026" in text


def test_those_who_stop_holding_it_or_leave_are_no_longer_mailed(run, sender):
    ann = person(email="ann@c1.test", user_id="u1")
    luc = person(email="luc@c1.test", user_id="u2")
    run(**subscription("SubscriptionAccepted", ann, "c1"))
    run(**subscription("SubscriptionAccepted", luc, "c1"))
    run(**subscription("SubscriptionCancelled", ann, "c1"))
    run(event_type="UserEmailChanged", **{**luc, "email": "luc@new.test"}, company_id="c1",
        previous_email="luc@c1.test")
    before = len(sender.sent)
    run(**released(["c1"]))
    assert [m["To"].addresses[0].addr_spec for m in sender.sent[before:]] == ["luc@new.test"]
    run(event_type="UserDeleted", **luc, company_id="c1")
    before = len(sender.sent)
    run(**released(["c1"], version="2.1"))
    assert sender.sent[before:] == []
