"""The declarant accounts' mails: the password link to the declarative portal's page, in the
holder's language, naming the login; the word of a revocation."""
from __future__ import annotations

from notifications import declarant_mails
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
