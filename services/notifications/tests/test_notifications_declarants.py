"""The declarant accounts' mails: the password link to the declarative portal's page, in the
holder's language, naming the login; the word of a revocation; the receipt of a deposit, to its
declarant as the declarant events made them known, once per event."""
from __future__ import annotations

import pytest

from portalkit.consumer import EventConsumer

from notifications import declarant_mails
from notifications.handlers import handlers_for
from notifications.models import HandledEvent
from notifications.rendering import MailWriter
from notifications_testkit import BASE_URL, SOON, make_event

DECLARANT = {"declarant_id": "d1", "login": "decl.one", "company_id": "c1", "company_name": "Dupont SA",
             "role": "declarant", "email": "denis@company.ws", "first_name": "Denis", "last_name": "Martin",
             "language": "fr"}


def test_a_new_account_is_mailed_the_link_that_sets_its_password():
    event = make_event("DeclarantIssued", **DECLARANT, password_token="t/1", expires_at=SOON)
    [mail] = declarant_mails.issued(event, BASE_URL)
    assert (mail.kind, mail.to, mail.language) == ("declarant_issued", "denis@company.ws", "fr")
    assert mail.context["link"] == f"{BASE_URL}/declarations/password/t%2F1"
    written = MailWriter().render(mail)
    assert "decl.one" in written.text and f"{BASE_URL}/declarations/signin" in written.text
    assert "portail déclaratif Etafi" in written.subject


def test_a_reset_and_a_revocation_are_mailed():
    reset = make_event("DeclarantPasswordResetRequested", **{**DECLARANT, "language": "en"},
                       password_token="t2", expires_at=SOON)
    [mail] = declarant_mails.password_reset(reset, BASE_URL)
    assert mail.kind == "declarant_password_reset" and mail.context["link"].endswith("/declarations/password/t2")
    [notice] = declarant_mails.revoked(make_event("DeclarantRevoked", **DECLARANT), BASE_URL)
    assert notice.kind == "declarant_revoked" and "decl.one" in MailWriter().render(notice).text


SHA = "ab" * 32


def deposited(declarant_id="d1", **extra):
    return make_event("DeclarationDeposited", deposit_id="dep1", entity_id="c1", siren="552100554",
                      entity_name="Dupont SA", file_name="liasse-2026.edi", declarant_id=declarant_id, sha256=SHA,
                      size=1200, kind="INFENT", campaign=2026, period_start="2026-01-01", period_end="2026-12-31",
                      deposited_at=SOON, **extra)


@pytest.fixture
def run(database, postman):
    handlers = handlers_for(postman, BASE_URL)

    def handle(event):
        return EventConsumer(None, "notifications", database, HandledEvent, handlers).handle(
            event, handlers[event.routing_key])
    return handle


def test_a_deposit_mails_its_declarant_the_receipt_in_their_language_once(run, sender):
    run(make_event("DeclarantIssued", **DECLARANT, password_token="t/1", expires_at=SOON))
    before = len(sender.sent)
    event = deposited()
    run(event)
    run(event)  # delivered twice by the bus: mailed once
    [message] = sender.sent[before:]
    assert message["To"].addresses[0].addr_spec == "denis@company.ws"
    assert message["Subject"] == "Portail déclaratif Etafi\u00a0: votre liasse a été reçue"
    text = message.get_body(("plain",)).get_content()
    assert "Dupont SA" in text and "552100554" in text and "liasse-2026.edi" in text and SHA in text
    assert "1 décembre 2026" in text and f"{BASE_URL}/declarations/deposit" in text
    html = message.get_body(("html",)).get_content()
    assert SHA in html and "Voir vos dépôts" in html


def test_the_receipt_in_english_after_a_reset_and_none_after_a_revocation(run, sender):
    english = {**DECLARANT, "declarant_id": "d2", "language": "en"}
    run(make_event("DeclarantIssued", **DECLARANT, password_token="t1", expires_at=SOON))
    run(make_event("DeclarantPasswordResetRequested", **english, password_token="t2", expires_at=SOON))
    before = len(sender.sent)
    run(deposited("d2", corrective=True))
    [message] = sender.sent[before:]
    assert message["Subject"] == "Etafi declarative portal: your filing was received"
    assert "checked the corrective filing" in message.get_body(("plain",)).get_content()
    run(make_event("DeclarantRevoked", **english))
    before = len(sender.sent)
    run(make_event("DeclarationDeposited", **{**deposited("d2").data, "deposit_id": "dep2"}))
    run(deposited("nobody"))
    assert sender.sent[before:] == []
