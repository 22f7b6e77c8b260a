"""Identifier changes' mails: the request to the operators' address, the decision to the requester in
their language (nothing when assets knew no address)."""
from __future__ import annotations

from notifications.compose import addressed
from notifications.rendering import MailWriter
from notifications.serialization_mails import change_decided, change_requested

from notifications_testkit import BASE_URL, make_event, person

HOLDINGS = [{"holding_id": "h1", "product": "PAY", "previous_machine_id": "PC-1"}]


def decided(**data):
    return make_event("IdentifierChangeDecided", **{
        **person(language="fr"), "change_id": "ch1", "company_id": "c1", "decision": "approved",
        "new_machine_id": "PC-2", "operator_id": "op", **data})


def test_the_requester_is_told_the_decision_in_their_language():
    [mail] = change_decided(decided(), BASE_URL)
    rendered = MailWriter().render(mail)
    assert (mail.to, mail.language) == ("ldupont@company.ws", "fr")
    assert rendered.subject == "Changement d’identifiant accepté\u00a0: PC-2"
    assert f"{BASE_URL}/assets/inventory?machine_id=PC-2" in rendered.text
    [refused] = change_decided(decided(decision="refused", reason="Wrong site", language="en"), BASE_URL)
    text = MailWriter().render(refused).text.replace("\n", " ")
    assert "has been refused" in text and "Reason given: Wrong site" in text


def test_a_requester_without_address_gets_no_mail():
    event = decided(email=None)
    assert addressed(change_decided(event, BASE_URL), event) == []


def test_the_operators_address_hears_of_each_request(monkeypatch):
    event = make_event("IdentifierChangeRequested", change_id="ch1", company_id="c1", company_name="Acme",
                       user_id="u1", first_name="Lovana", last_name="Dupont", new_machine_id="PC-2",
                       reason="New PC", holdings=HOLDINGS)
    monkeypatch.setenv("PORTAL_OPERATORS_EMAIL", "team@vendor.test")
    [mail] = change_requested(event, BASE_URL)
    rendered = MailWriter().render(mail)
    assert mail.to == "team@vendor.test"
    assert rendered.subject == "Identifier change to decide: Lovana Dupont"
    assert "PAY (now PC-1)" in rendered.text and f"{BASE_URL}/operator/identifier-changes" in rendered.text
    monkeypatch.setenv("PORTAL_OPERATORS_EMAIL", "none")
    assert change_requested(event, BASE_URL) == []
