"""A filing's later mails (declaration_mails): handed to the EDI partner, the final answer with its
codes (a rejection also to the supervisors of the group heads), the reminder to the entity's
declarants; in each recipient's language, marked [SIMULATION], links absolute, once per event."""
from __future__ import annotations

from datetime import date

import pytest

from portalkit.consumer import EventConsumer

from notifications.handlers import handlers_for
from notifications.models import Declarant, HandledEvent
from notifications_testkit import BASE_URL, SOON, make_event

ACCOUNT = {"login": "decl.one", "company_id": "c1", "company_name": "Filiale SA", "role": "declarant",
           "email": "denis@filiale.ws", "first_name": "Denis", "last_name": "Martin", "language": "fr"}
FILING = {"deposit_id": "dep1", "entity_id": "c1", "entity_name": "Filiale SA", "siren": "552100554",
          "declarant_id": "d1", "file_name": "liasse-2026.edi", "period_end": "2026-12-31",
          "partner_reference": "EDI-42", "group_head_ids": ["head", "top"]}


@pytest.fixture
def run(database, postman):
    handlers = handlers_for(postman, BASE_URL)

    def handle(event):
        return EventConsumer(None, "notifications", database, HandledEvent, handlers).handle(
            event, handlers[event.routing_key])
    return handle


def account(run, declarant_id, **changes):
    run(make_event("DeclarantIssued", **{**ACCOUNT, "declarant_id": declarant_id, **changes},
                   password_token="t-" + declarant_id, expires_at=SOON))


@pytest.fixture
def accounts(run):
    """d1 deposits for c1; the group heads have supervisors (one English, one revoked); others not told."""
    account(run, "d1")
    account(run, "d2", login="decl.two", email="other@filiale.ws", language="en")
    account(run, "s1", login="sup.head", company_id="head", role="supervisor", email="sup@head.ws", language="en")
    account(run, "s2", login="sup.top", company_id="top", role="supervisor", email="sup@top.ws")
    account(run, "s3", login="sup.gone", company_id="top", role="supervisor", email="gone@top.ws")
    run(make_event("DeclarantRevoked", **{**ACCOUNT, "declarant_id": "s3", "company_id": "top", "role": "supervisor",
                                          "email": "gone@top.ws", "login": "sup.gone"}))
    account(run, "s4", login="sup.else", company_id="elsewhere", role="supervisor", email="sup@else.ws")
    account(run, "x1", login="decl.head", company_id="head", email="decl@head.ws")  # a declarant, not supervisor


def sent_since(sender, before):
    return {message["To"].addresses[0].addr_spec: message for message in sender.sent[before:]}


def body(message, kind="plain"):
    """The body with its wrapped lines joined again (a URL's line stays whole)."""
    return message.get_body((kind,)).get_content().replace("\n", " ")


def test_a_transmission_tells_its_declarant_with_the_reference_and_the_filing_page(run, sender, accounts):
    before = len(sender.sent)
    event = make_event("DeclarationTransmitted", **FILING, transmitted_at=SOON)
    run(event)
    run(event)  # delivered again by the bus: mailed once
    [message] = sender.sent[before:]
    assert message["To"].addresses[0].addr_spec == "denis@filiale.ws"
    assert message["Subject"] == ("Portail déclaratif Etafi\u00a0: votre liasse de Filiale SA a été remise au "
                                  "partenaire EDI")
    text = body(message)
    assert "EDI-42" in text and "552100554" in text and "liasse-2026.edi" in text and "decl.one" in text
    assert f" {BASE_URL}/declarations/deposits/dep1 " in text
    assert "SIMULATION" not in text
    assert f'href="{BASE_URL}/declarations/deposits/dep1"' in body(message, "html")


def test_the_simulated_partner_marks_subject_and_bodies(run, sender, accounts):
    before = len(sender.sent)
    run(make_event("DeclarationTransmitted", **{**FILING, "declarant_id": "d2"}, simulation=True, transmitted_at=SOON))
    [message] = sender.sent[before:]
    assert message["Subject"].startswith("[SIMULATION] Etafi declarative portal: your filing of Filiale SA")
    assert "[SIMULATION]" in body(message) and "[SIMULATION]" in body(message, "html")
    assert message["Content-Language"] == "en"


def test_an_acceptance_tells_the_declarant_only(run, sender, accounts):
    before = len(sender.sent)
    run(make_event("DeclarationAcknowledged", **FILING, outcome="accepted", acknowledged_at=SOON))
    [message] = sender.sent[before:]
    assert message["Subject"] == "Portail déclaratif Etafi\u00a0: votre liasse de Filiale SA a été acceptée"


@pytest.mark.parametrize("outcome, english, french", [
    ("partly_rejected", "partly rejected", "partiellement rejetée"),
    ("rejected", "rejected", "rejetée"),
    ("refused_by_partner", "refused by the EDI partner", "refusée par le partenaire EDI")])
def test_a_rejection_also_tells_the_supervisors_of_the_group_heads(run, sender, accounts, outcome, english, french):
    before = len(sender.sent)
    event = make_event("DeclarationAcknowledged", **FILING, outcome=outcome, codes=["009", "13A"],
                       simulation=True, acknowledged_at=SOON)
    run(event)
    run(event)
    mails = sent_since(sender, before)
    assert sorted(mails) == ["denis@filiale.ws", "sup@head.ws", "sup@top.ws"]  # not revoked, not elsewhere
    assert len(sender.sent) - before == 3
    declarant = mails["denis@filiale.ws"]
    assert declarant["Subject"] == f"[SIMULATION] Portail déclaratif Etafi\u00a0: votre liasse de Filiale SA a été {french}"
    assert "009, 13A" in body(declarant) and f"{BASE_URL}/declarations/deposits/dep1" in body(declarant)
    head = mails["sup@head.ws"]
    assert head["Subject"] == f"[SIMULATION] Etafi declarative portal: the filing of Filiale SA was {english}"
    assert "decl.one" in body(head) and "sup.head" in body(head) and "009, 13A" in body(head, "html")
    assert mails["sup@top.ws"]["Subject"].startswith("[SIMULATION] Portail déclaratif Etafi\u00a0: la liasse de")


def test_a_supervisor_who_deposited_is_told_once_and_an_unknown_declarant_leaves_the_supervisors(run, sender,
                                                                                                accounts):
    before = len(sender.sent)
    run(make_event("DeclarationAcknowledged", **{**FILING, "declarant_id": "s1"}, outcome="rejected",
                   acknowledged_at=SOON))
    assert sorted(sent_since(sender, before)) == ["sup@head.ws", "sup@top.ws"]
    assert len(sender.sent) - before == 2
    assert sent_since(sender, before)["sup@head.ws"]["Subject"].startswith("Etafi declarative portal: your filing")
    before = len(sender.sent)
    run(make_event("DeclarationAcknowledged", **{**FILING, "deposit_id": "dep2", "declarant_id": "nobody"},
                   outcome="rejected", acknowledged_at=SOON))
    assert sorted(sent_since(sender, before)) == ["sup@head.ws", "sup@top.ws"]
    before = len(sender.sent)
    run(make_event("DeclarationTransmitted", **{**FILING, "declarant_id": "nobody"}, transmitted_at=SOON))
    assert sender.sent[before:] == []


def test_a_reminder_goes_to_each_account_of_the_entity_in_its_language(run, sender, accounts, database):
    account(run, "s5", login="sup.filiale", role="supervisor", email="sup@filiale.ws", language="en")
    with database.sessions() as session:  # an account whose address is unknown: skipped
        session.add(Declarant(declarant_id="d3", login="decl.noaddress", email=None, company_id="c1"))
        session.commit()
    before = len(sender.sent)
    event = make_event("DeclarationDue", entity_id="c1", entity_name="Filiale SA", siren="552100554",
                       obligation="liasse", period_end=date(2026, 12, 31), due_on=date(2027, 5, 3), days_left=7)
    run(event)
    run(event)
    mails = sent_since(sender, before)
    assert sorted(mails) == ["denis@filiale.ws", "other@filiale.ws", "sup@filiale.ws"]
    assert len(sender.sent) - before == 3
    french = mails["denis@filiale.ws"]
    assert french["Subject"] == "Portail déclaratif Etafi\u00a0: la liasse de Filiale SA est attendue dans 7\u00a0jours"
    assert "3 mai 2027" in body(french) and "31 décembre 2026" in body(french)
    assert f" {BASE_URL}/declarations/deposit " in body(french)
    english = mails["other@filiale.ws"]
    assert english["Subject"] == "Etafi declarative portal: the filing of Filiale SA is due in 7 days"
    assert "May 3, 2027" in body(english) and "decl.two" in body(english)


def test_the_demo_declarant_recorded_without_a_mail_is_mailed_its_filings(run, sender):
    before = len(sender.sent)
    run(make_event("DeclarantRecorded", **ACCOUNT, declarant_id="demo"))
    assert sender.sent[before:] == []
    run(make_event("DeclarationTransmitted", **{**FILING, "declarant_id": "demo"}, transmitted_at=SOON))
    [message] = sender.sent[before:]
    assert message["To"].addresses[0].addr_spec == "denis@filiale.ws"
