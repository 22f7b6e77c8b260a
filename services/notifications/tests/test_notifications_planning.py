"""The planning's mails: the recipient and the order's contact each mailed in their language, the
times in the company's time zone named, a link to the service, its .ics attached (PUBLISH / CANCEL)."""
from __future__ import annotations

from icalendar import Calendar

from notifications.planning_mails import cancelled, changed, planned

from notifications_testkit import BASE_URL, make_event, person

SERVICE = {"intervention_id": "i1", "company_id": "c1", "kind": "training", "subject": "Payroll closing",
           "starts_at": "2026-12-03T08:00:00+00:00", "ends_at": "2026-12-03T11:00:00+00:00",
           "time_zone": "Europe/Paris", "meeting_url": "https://meet.example.com/x", "access_code": "4321",
           "consultant": "Ann Smith", "order_number": "PO-7", "sequence": 0}


def event(kind="InterventionPlanned", **data):
    return make_event(kind, **{**SERVICE, "recipient": person(language="fr"),
                               "contact": person(email="boss@company.ws", first_name="Max", user_id="u2"), **data})


def test_both_are_mailed_in_their_language_with_the_ics(postman):
    mails = planned(event(), BASE_URL)
    assert [(mail.to, mail.language) for mail in mails] == [("ldupont@company.ws", "fr"), ("boss@company.ws", "en")]
    french, english = (postman.message(event(), mail) for mail in mails)
    assert french["Subject"] == "Formation planifiée\u00a0: 3 décembre 2026 à 9\u00a0h\u00a000\u00a0(Europe/Paris)"
    text = french.get_body(("plain",)).get_content()
    assert "Code d’accès\u00a0: 4321" in text and f"{BASE_URL}/planning/i1" in text
    english_text = english.get_body(("plain",)).get_content()
    assert "As the order's contact" in english_text and "December 3, 2026 at 9:00 AM\u00a0(Europe/Paris)" in english_text
    [attachment] = list(french.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_param("method") == "PUBLISH"
    parsed = Calendar.from_ical(attachment.get_content())
    [vevent] = parsed.walk("VEVENT")
    assert vevent["dtstart"].params["TZID"] == "Europe/Paris" and str(vevent["uid"]) == "i1@planning"


def test_a_move_names_the_old_and_new_times(postman):
    moved = event("InterventionChanged", starts_at="2026-12-04T13:00:00+00:00", ends_at="2026-12-04T16:00:00+00:00",
                  previous_starts_at="2026-12-03T08:00:00+00:00", previous_ends_at="2026-12-03T11:00:00+00:00",
                  sequence=1, contact=None)
    [mail] = changed(moved, BASE_URL)
    text = postman.message(moved, mail).get_body(("plain",)).get_content().replace("\n", " ")
    assert "du 3 décembre 2026 à 9\u00a0h\u00a000\u00a0(Europe/Paris)" in text
    assert "du 4 décembre 2026 à 14\u00a0h\u00a000\u00a0(Europe/Paris)" in text


def test_a_cancellation_carries_a_cancel_ics_and_the_reason(postman):
    gone = event("InterventionCancelled", reason="Consultant ill", sequence=2)
    mails = cancelled(gone, BASE_URL)
    assert len(mails) == 2
    message = postman.message(gone, mails[1])
    assert "Reason given: Consultant ill" in message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_param("method") == "CANCEL"
    parsed = Calendar.from_ical(attachment.get_content())
    assert str(parsed["method"]) == "CANCEL"
    assert [str(e["status"]) for e in parsed.walk("VEVENT")] == ["CANCELLED"]


def test_a_recipient_who_is_also_the_contact_gets_one_mail():
    assert len(planned(event(contact=person(language="fr")), BASE_URL)) == 1
