"""DocumentPublished mails the holders of each kind's viewing service in the company one digest each,
listing the documents they may see, in their language."""
from __future__ import annotations

import pytest

from portalkit.consumer import EventConsumer

from notifications.handlers import handlers_for
from notifications.models import HandledEvent
from notifications_testkit import BASE_URL, make_event, person

INVOICES = "invoice-viewing-service"
REPORTS = "intervention-reports-and-attendance-sheet-viewing-service"


@pytest.fixture
def run(database, postman):
    handlers = handlers_for(postman, BASE_URL)

    def handle(event_type, **data):
        event = make_event(event_type, **data)
        return EventConsumer(None, "notifications", database, HandledEvent, handlers).handle(
            event, handlers[event.routing_key])
    return handle


def subscription(who, company, service):
    return dict(event_type="SubscriptionAccepted", **who, subscription_id=f"s-{who['user_id']}-{service}",
                service_id="svc", service_code=service, company_id=company, scope_company_id=company,
                automatic=False)


def document(number, kind="invoice", amount="10.00"):
    priced = kind in ("invoice", "credit")
    return {"document_id": f"d-{number}", "kind": kind, "number": number, "issued_on": "2026-11-20",
            "amount": amount if priced else None, "currency": "EUR" if priced else None}


def published(company, *documents):
    return dict(event_type="DocumentPublished", company_id=company, company_name="Acme", batch_id="b1",
                documents=list(documents))


def test_one_digest_per_holder_listing_what_their_services_show(run, sender):
    ann = person(email="ann@c1.test", first_name="Ann", user_id="u1", language="en")
    luc = person(email="luc@c1.test", first_name="Luc", user_id="u2", language="fr-FR")
    zoe = person(email="zoe@c2.test", first_name="Zoé", user_id="u3", language="en")
    run(**subscription(ann, "c1", INVOICES))
    run(**subscription(ann, "c1", REPORTS))
    run(**subscription(luc, "c1", REPORTS))
    run(**subscription(zoe, "c2", INVOICES))
    before = len(sender.sent)
    run(**published("c1", document("F-1"), document("A-1", "credit", "2.50"), document("R-1", "intervention_report")))
    mails = {message["To"].addresses[0].addr_spec: message for message in sender.sent[before:]}
    assert set(mails) == {"ann@c1.test", "luc@c1.test"}
    assert mails["ann@c1.test"]["Subject"] == "3 new documents in the portal: Acme"
    ann_text = mails["ann@c1.test"].get_body(("plain",)).get_content()
    assert "Invoice F-1" in ann_text and "Credit A-1" in ann_text and "2.50 EUR" in ann_text
    assert "Intervention report R-1" in ann_text and f"{BASE_URL}/documents/invoices" in ann_text
    assert mails["luc@c1.test"]["Subject"] == "Un nouveau document dans le portail\u00a0: Acme"
    luc_text = mails["luc@c1.test"].get_body(("plain",)).get_content()
    assert "Rapport d’intervention R-1" in luc_text and "F-1" not in luc_text
    assert f"{BASE_URL}/documents/reports" in luc_text and "20 novembre 2026" in luc_text
    html = mails["ann@c1.test"].get_body(("html",)).get_content()
    assert "F-1" in html and "See the documents" in html


def test_no_holder_no_mail(run, sender):
    before = len(sender.sent)
    run(**published("c9", document("F-1")))
    assert sender.sent[before:] == []
