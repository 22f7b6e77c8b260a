"""Rendering: every kind in both languages, subjects, links, escaping, dates, French typography."""
from __future__ import annotations

import re
from datetime import date

import pytest

from notifications.compose import Mail
from notifications.rendering import KINDS, MailWriter, wrap
from notifications_testkit import SOON

LINK = "https://portal.example.com/activate/tok-123"
CONTEXT = {
    "first_name": "Lovana", "company_name": "Dupont SA", "link": LINK, "expires_at": SOON,
    "new_email": "new@company.ws", "email": "new@company.ws", "previous_email": "old@company.ws",
    "locked_until": SOON, "total": 3, "created": 2, "more_rejected": 0,
    "rejected": [{"line": 3, "reason": "invalid e-mail address"}],
    "requester": "Jean Martin", "service_title": "Request service", "expires_on": date(2027, 1, 31),
    "reason": "Not covered by your contract", "days_left": 7, "holder": "Jean Martin", "for_holder": True,
    "locked_accounts": 5, "minutes": 60, "last_locked": "Jean Martin",
    "requester_email": "jmartin@company.ws", "phone": "+33 1 23 45 67 89", "company_text": "C100",
    "message": "Hello,\nI need an account.", "for_operators": False, "activated": True,
    "forgot_link": "https://portal.example.com/password/forgot",
    "product": "Accounting", "version": "2.0", "channel": "stable", "released_on": date(2026, 11, 20),
}
# The declarant accounts' mails (declarant_mails).
CONTEXT.update({"login": "decl.one", "role": "supervisor", "sign_in": "https://portal.example.com/declarations/signin"})
# The receipt of a deposit (declarant_mails.deposited).
CONTEXT.update({"entity_name": "Dupont SA", "siren": "552100554", "file_name": "liasse.edi", "sha256": "ab" * 32,
                "deposited_at": SOON, "corrective": False})
# A filing's later mails and its reminder (declaration_mails).
CONTEXT.update({"obligation": "liasse fiscale", "period_end": date(2026, 12, 31), "partner_reference": "EDI-42",
                "simulation": True, "transmitted_at": SOON, "acknowledged_at": SOON, "outcome": "rejected",
                "outcome_text": "rejected", "codes": ["009", "13A"], "depositor": "decl.two",
                "due_on": date(2027, 5, 3)})
# The documents' digest (document_mails).
CONTEXT.update({"count": 2, "more": 0, "documents": [
    {"kind_name": "Invoice", "number": "F-1", "issued_on": date(2026, 11, 20), "amount": "10.00", "currency": "EUR"},
    {"kind_name": "Report", "number": "R-1", "issued_on": date(2026, 11, 21), "amount": None, "currency": None}]})
# The identifier changes' mails (serialization_mails).
CONTEXT.update({"number": "SR-2026-000042", "subject_line": "Payslips do not print", "for_requester": True,
                "severity": "major", "answer": "Reinstall the driver.", "close_link": LINK + "#close",
                "reopen_link": LINK + "#reopen"})
CONTEXT.update({"machine_id": "PC-042", "approved": True, "holdings": [
    {"holding_id": "h1", "product": "PAY", "previous_machine_id": "PC-041"}]})
# The planning's mails (planning_mails).
CONTEXT.update({"what": "Training", "subject_line": "Payroll", "starts": "3 December 2026 at 9:00 AM (Europe/Paris)",
                "ends": "3 December 2026 at 12:00 PM (Europe/Paris)", "previous_starts": "2 December 2026",
                "previous_ends": "2 December 2026", "place": "Lyon", "meeting_url": "https://meet.example.com/x",
                "access_code": "1234", "consultant": "Ann", "order_number": "PO-7", "as_contact": False,
                "recipient_name": "Lovana Dupont"})
# The new-content mails (content_mails).
CONTEXT.update({"heading": "New FAQ", "title": "Closing the year", "only_in": None,
                "settings_link": "https://portal.example.com/notifications",
                "items": [{"heading": "New FAQ", "title": "Closing the year", "only_in": None, "link": LINK}]})
WITH_LINK = set(KINDS) - {"email_changed_notice", "account_deleted", "declarant_revoked", "subscription_refused", "access_refused",
                          "content_digest"}


@pytest.fixture(scope="module")
def writer():
    return MailWriter()


def flat(text: str) -> str:
    """The text with its wrapped lines joined again."""
    return text.replace("\n", " ")


def render(writer, kind, language="en", **context):
    return writer.render(Mail(kind, "ldupont@company.ws", "Lovana Dupont", language, {**CONTEXT, **context}))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_both_languages(writer, kind, language):
    mail = render(writer, kind, language)
    assert mail.subject and "\n" not in mail.subject
    assert mail.text.startswith("Hello Lovana," if language == "en" else "Bonjour Lovana,")
    assert f'<html lang="{language}">' in mail.html
    assert f"<title>{mail.subject}</title>" in mail.html
    if kind in WITH_LINK:
        assert LINK in mail.text.splitlines()
        assert f'href="{LINK}"' in mail.html


def test_activation_subject_link_and_expiry_in_english(writer):
    mail = render(writer, "activation")
    assert mail.subject == "Activate your client portal account"
    assert "opened for you at Dupont SA" in flat(mail.text)
    assert "expires on December 1, 2026 at 9:05 AM\u00a0(UTC)" in flat(mail.text)
    assert "Activate my account</a>" in mail.html


def test_activation_subject_link_and_expiry_in_french(writer):
    mail = render(writer, "activation", "fr")
    assert mail.subject == "Activez votre compte du portail client"
    assert "expire le 1 décembre 2026 à 9\u00a0h\u00a005\u00a0(UTC)" in flat(mail.text)
    assert "Activer mon compte</a>" in mail.html
    assert LINK in mail.text


def test_activation_without_company_or_expiry(writer):
    mail = render(writer, "activation", company_name="", expires_at=None)
    assert "opened for you. To start" in flat(mail.text)
    assert "expires" not in mail.text


def test_html_escapes_what_users_typed_and_text_keeps_it(writer):
    mail = render(writer, "activation", company_name="<script>alert(1)</script> & Co",
                  first_name="<b>Lo</b>")
    assert "<script>" not in mail.html and "<b>Lo</b>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in mail.html
    assert "&lt;b&gt;Lo&lt;/b&gt;" in mail.html
    assert "<script>alert(1)</script> & Co" in flat(mail.text)


def test_a_title_with_a_line_break_cannot_forge_a_header(writer):
    mail = render(writer, "subscription_accepted", service_title="Invoices\r\nBcc: someone@evil.example")
    assert mail.subject == "Your subscription to Invoices Bcc: someone@evil.example is active"


@pytest.mark.parametrize("kind", KINDS)
def test_french_typography(writer, kind):
    mail = render(writer, kind, "fr")
    for text in (mail.subject, mail.text):
        assert not re.search(r" [:;!?»]|« ", text), text
        assert "'" not in text  # the typographic apostrophe ’, never the typewriter one
    assert "\u00a0:" in mail.text  # the footer's colon at least


def test_import_report_lists_rejected_lines(writer):
    rejected = [{"line": 3, "reason": "invalid e-mail address"}, {"line": 7, "reason": "unknown civility"}]
    english = render(writer, "import_report", rejected=rejected, created=1, total=3)
    assert english.subject == "User import: 1 of 3 created"
    assert "  - Line 3: invalid e-mail address" in english.text
    assert "  - Line 7: unknown civility" in english.text
    assert "<td style=\"padding:4px 0;\">unknown civility</td>" in english.html
    french = render(writer, "import_report", "fr", rejected=rejected, created=1, total=3)
    assert french.subject == "Import d’utilisateurs\u00a0: 1 sur 3 créé"
    assert "Ces lignes ont été refusées" in french.text
    assert "  - Ligne 7\u00a0: unknown civility" in french.text


def test_import_report_without_rejections(writer):
    mail = render(writer, "import_report", rejected=[], created=3, total=3)
    assert "Every line was accepted." in mail.text
    assert "Line" not in mail.text


def test_import_report_says_how_many_lines_it_leaves_out(writer):
    mail = render(writer, "import_report", "fr", more_rejected=250)
    assert "et 250 de plus" in mail.text and "et 250 de plus" in mail.html


def test_refusal_reason_is_shown_when_given(writer):
    assert "The reason given: Not covered by your contract" in render(writer, "subscription_refused").text
    assert "reason" not in render(writer, "subscription_refused", reason="").text


def test_lockouts_alert_tells_how_many_and_since_when(writer):
    english, french = render(writer, "lockouts_alert"), render(writer, "lockouts_alert", "fr")
    assert english.subject == "5 client portal accounts of your company were locked"
    assert "5 accounts of your company have been locked in the last 60 minutes" in flat(english.text)
    assert "(most recently: Jean Martin)" in flat(english.text)
    assert french.subject == "5\u00a0comptes du portail client de votre société ont été bloqués"
    assert "ces 60 dernières minutes" in flat(french.text)


def test_times_in_the_configured_zone():
    mail = render(MailWriter("Europe/Paris"), "account_locked", "fr")
    assert "10\u00a0h\u00a005\u00a0(Europe/Paris)" in mail.text


def test_wrap_leaves_urls_whole():
    url = "https://portal.example.com/" + "x" * 100
    text = wrap("word " * 40 + "\n\n" + url)
    assert url in text.splitlines()
    assert max(len(line) for line in text.splitlines() if "://" not in line) <= 72
