"""Support requests' mails: opened, answered (with the answer's text), waiting for you, resolved
(with the links to close or reopen), to the requester and every follower in their language; the
client's own comments and other moves mail no one."""
from __future__ import annotations

from notifications.compose import addressed
from notifications.handlers import COMPOSERS
from notifications.rendering import MailWriter
from notifications.support_mails import opened, resolved, updated

from notifications_testkit import BASE_URL, make_event, person

FOLLOWER = person(email="bob@company.ws", first_name="Bob", language="fr", user_id="u2")


def fact(event_type="SupportRequestOpened", **data):
    return make_event(event_type, **{
        **person(), "request_id": "r1", "company_id": "c1", "subject": "Payslips <b>do not</b> print",
        "status": "new", "number": "SR-2026-000042", "kind": "opened", "followers": [FOLLOWER],
        "product_name_en": "Payroll", "product_name_fr": "Paie", **data})


def test_every_support_event_has_its_composer():
    assert {"support.SupportRequestOpened", "support.SupportRequestUpdated",
            "support.SupportRequestResolved"} <= set(COMPOSERS)


def test_opened_goes_to_the_requester_and_followers_in_their_language():
    event = fact()
    mails = addressed(opened(event, BASE_URL), event)
    assert [(mail.to, mail.language) for mail in mails] == [("ldupont@company.ws", "en"), ("bob@company.ws", "fr")]
    english, french = (MailWriter().render(mail) for mail in mails)
    assert english.subject == "Support request SR-2026-000042 registered: Payslips <b>do not</b> print"
    assert french.subject == "Demande de support SR-2026-000042 enregistrée\u00a0: Payslips <b>do not</b> print"
    assert f"{BASE_URL}/support/requests/r1" in english.text and "(Payroll)" in english.text
    assert "(Paie)" in french.text and "que vous suivez" in french.text
    assert "Payslips &lt;b&gt;do not&lt;/b&gt; print" in english.html  # markup is text


def test_an_answer_carries_its_text():
    event = fact("SupportRequestUpdated", kind="answered", status="in_progress",
                 answer="Reinstall the driver.\n<script>x</script>")
    [mail, _] = updated(event, BASE_URL)
    rendered = MailWriter().render(mail)
    assert rendered.subject == "Support answered your request SR-2026-000042: Payslips <b>do not</b> print"
    assert "Reinstall the driver." in rendered.text
    assert "&lt;script&gt;" in rendered.html and "<script>" not in rendered.html


def test_waiting_for_you_and_resolved_with_its_links():
    waiting = updated(fact("SupportRequestUpdated", kind="waiting_for_customer", status="waiting_for_customer"),
                      BASE_URL)
    assert MailWriter().render(waiting[1]).subject.startswith("Le support attend votre réponse sur SR-2026-000042")
    [mail, _] = resolved(fact("SupportRequestResolved", kind="resolved", status="resolved"), BASE_URL)
    text = MailWriter().render(mail).text
    assert f"{BASE_URL}/support/requests/r1#close" in text and f"{BASE_URL}/support/requests/r1#reopen" in text


def test_comments_and_other_moves_mail_no_one():
    for kind in ("commented", "status"):
        assert updated(fact("SupportRequestUpdated", kind=kind), BASE_URL) == []


def test_a_requester_without_address_is_skipped():
    event = fact(email=None, followers=[])
    assert addressed(opened(event, BASE_URL), event) == []
