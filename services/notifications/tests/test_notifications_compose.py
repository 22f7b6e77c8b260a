"""Composing: which event mails whom, in which language, with which absolute link."""
from __future__ import annotations

from notifications import compose
from notifications_testkit import BASE_URL, SOON, later, make_event, person


def test_activation_link_is_absolute_with_the_token_last():
    event = make_event("UserCreated", **person(language="fr"), company_id="c1", company_name="Dupont SA",
                       activation_token="tok-1", activation_expires_at=later())
    [mail] = compose.activation(event, BASE_URL)
    assert (mail.kind, mail.to, mail.language, mail.name) == ("activation", "ldupont@company.ws", "fr",
                                                              "Lovana Dupont")
    assert mail.context["link"] == f"{BASE_URL}/activate/tok-1"
    assert mail.context["company_name"] == "Dupont SA"
    assert mail.context["expires_at"] == later()


def test_tokens_are_quoted_into_one_path_segment():
    assert compose.link(BASE_URL + "/", "password_reset", "a/b?c") == f"{BASE_URL}/password/reset/a%2Fb%3Fc"


def test_a_user_created_without_token_gets_no_activation_mail():
    event = make_event("UserCreated", **person(), company_id="c1")
    assert compose.activation(event, BASE_URL) == []


def test_reset_and_email_change_links():
    reset = make_event("PasswordResetRequested", **person(), reset_token="r1", expires_at=SOON)
    assert compose.password_reset(reset, BASE_URL)[0].context["link"] == f"{BASE_URL}/password/reset/r1"
    change = make_event("EmailChangeRequested", **person(), new_email="new@company.ws",
                        confirmation_token="c1", expires_at=SOON)
    mail, heads_up = compose.email_change_confirmation(change, BASE_URL)
    assert mail.to == "new@company.ws"  # the address to confirm, not the current one
    assert mail.context["link"] == f"{BASE_URL}/email-change/c1"
    # The current address hears of it at once, with the way to take the account back.
    assert (heads_up.kind, heads_up.to) == ("email_change_requested", "ldupont@company.ws")
    assert heads_up.context["new_email"] == "new@company.ws"
    assert heads_up.context["link"] == f"{BASE_URL}/password/forgot"


def test_a_changed_address_is_told_to_both_addresses():
    event = make_event("UserEmailChanged", **person(email="new@company.ws"), company_id="c1",
                       previous_email="old@company.ws")
    notice, confirmation = compose.email_changed(event, BASE_URL)
    assert (notice.kind, notice.to) == ("email_changed_notice", "old@company.ws")
    assert (confirmation.kind, confirmation.to) == ("email_changed", "new@company.ws")


def test_each_administrator_is_asked_in_their_own_language():
    event = make_event("SubscriptionRequested", **person(first_name="Jean"), subscription_id="s1",
                       service_id="svc", service_code="request-service", service_title="Request service",
                       company_id="c1", scope_company_id="c1",
                       administrators=[person("anne@company.ws", "Anne", "fr", "a1"),
                                       person("bob@company.ws", "Bob", "en-GB", "a2"),
                                       person(None, "Nobody", "en", "a3")])
    mails = compose.addressed(compose.subscription_requested(event, BASE_URL), event)
    assert [(m.to, m.language, m.context["first_name"]) for m in mails] == [
        ("anne@company.ws", "fr", "Anne"), ("bob@company.ws", "en", "Bob")]
    assert all(m.context["requester"] == "Jean Dupont" for m in mails)
    assert mails[0].context["link"] == f"{BASE_URL}/administration/requests"


def test_decisions_go_to_the_holder_with_the_service_title():
    event = make_event("SubscriptionRefused", **person(), subscription_id="s1", service_id="svc",
                       service_code="invoice-viewing-service", company_id="c1", scope_company_id="c1",
                       reason="Not in your contract")
    [mail] = compose.subscription_decided("subscription_refused")(event, BASE_URL)
    assert mail.kind == "subscription_refused" and mail.to == "ldupont@company.ws"
    assert mail.context["service_title"] == "invoice-viewing-service"  # the code when no title
    assert mail.context["reason"] == "Not in your contract"


def test_import_report_sorts_and_caps_the_rejected_lines():
    rejected = [{"line": n, "reason": "bad"} for n in range(250, 0, -1)]
    event = make_event("UsersImported", **person(), import_id="i1", company_id="c1", total=260,
                       created=10, rejected=rejected)
    [mail] = compose.import_report(event, BASE_URL)
    assert [r["line"] for r in mail.context["rejected"]] == list(range(1, 101))
    assert mail.context["more_rejected"] == 150


def test_mails_without_address_are_dropped_and_duplicates_sent_once():
    event = make_event("UserDeleted", **person(email=None), company_id="c1")
    assert compose.addressed(compose.account_deleted(event, BASE_URL), event) == []
    twice = [compose.Mail("x", "A@b.c", "", "en"), compose.Mail("x", "a@b.c", "", "en")]
    assert len(compose.addressed(twice, event)) == 1


def test_language_codes():
    assert [compose.language_of(code) for code in ("fr", "fr-FR", "FR", "en-US", "de", "", None)] == [
        "fr", "fr", "fr", "en", "en", "en", "en"]


def test_import_report_words_identitys_reason_codes_in_the_users_language():
    rejected = [{"line": 4, "reason": "duplicate_in_file"}, {"line": 2, "reason": "bad_email"},
                {"line": 9, "reason": "something new"}]
    event = make_event("UsersImported", **person(language="fr"), import_id="i1", company_id="c1", total=1500,
                       created=497, rejected=rejected)
    [mail] = compose.import_report(event, BASE_URL)
    assert [r["reason"] for r in mail.context["rejected"]] == [
        "adresse e-mail absente ou invalide", "adresse e-mail déjà présente plus haut dans le fichier", "something new"]
    # identity sends at most 1,000 rejections; the mail still counts the rest.
    assert mail.context["more_rejected"] == 1000


def test_automatic_grants_are_not_mailed():
    event = make_event("SubscriptionAccepted", **person(), subscription_id="s1", service_id="svc",
                       service_code="community-area", company_id="c1", scope_company_id="c1", automatic=True)
    assert compose.subscription_decided("subscription_accepted")(event, BASE_URL) == []


def test_the_expiry_reminder_goes_to_the_holder_and_the_administrators():
    event = make_event("SubscriptionExpiring", **person(first_name="Jean"), subscription_id="s 1",
                       service_id="svc", service_code="invoice-viewing-service", service_title="Invoices",
                       company_id="c1", scope_company_id="c1", expires_on="2027-01-31", days_left=7,
                       administrators=[person(user_id="boss", email="boss@company.ws", language="en"),
                                       person()])
    mails = compose.addressed(compose.subscription_expiring(event, BASE_URL), event)
    assert [(m.to, m.context["for_holder"]) for m in mails] == [("ldupont@company.ws", True),
                                                                ("boss@company.ws", False)]
    assert mails[0].context["link"] == f"{BASE_URL}/services/renewal/s%201"


def test_a_lockout_mails_the_user_and_only_an_alerting_one_mails_the_administrators():
    quiet = make_event("UserLocked", **person(), company_id="c1", locked_until=SOON)
    assert [mail.kind for mail in compose.account_locked(quiet, BASE_URL)] == ["account_locked"]
    administrators = [person(email="admin@company.ws", first_name="Ada", language="fr", user_id="a1"),
                      person(email="boss@company.ws", first_name="Bob", user_id="a2")]
    alert = make_event("UserLocked", **person(), company_id="c1", locked_until=SOON,
                       administrators=administrators, company_locked_accounts=5, alert_minutes=60)
    user_mail, *alerts = compose.account_locked(alert, BASE_URL)
    assert user_mail.to == "ldupont@company.ws"
    assert [(mail.kind, mail.to, mail.language) for mail in alerts] == [
        ("lockouts_alert", "admin@company.ws", "fr"), ("lockouts_alert", "boss@company.ws", "en")]
    assert alerts[0].context == {"first_name": "Ada", "locked_accounts": 5, "minutes": 60,
                                 "last_locked": "Lovana Dupont", "link": f"{BASE_URL}/administration/users"}


def test_an_access_request_goes_to_each_decider_with_the_page_of_their_side():
    from notifications.access_mails import access_requested
    request = {"request_id": "r1", "email": "nina@c100.test", "first_name": "Nina", "last_name": "Morel",
               "phone": "+33 1", "company_text": "C100", "company_id": "c1", "company_name": "Company C100",
               "message": "Hi", "language": "fr"}
    to_admins = access_requested(make_event("AccessRequested", **request, routed_to="administrators",
                                            recipients=[person(language="fr"), person("b@x.test", user_id="u2")]),
                                 BASE_URL)
    assert [(m.to, m.language, m.context["link"]) for m in to_admins] == [
        ("ldupont@company.ws", "fr", BASE_URL + "/administration/access-requests"),
        ("b@x.test", "en", BASE_URL + "/administration/access-requests")]
    assert to_admins[0].context["requester"] == "Nina Morel"
    to_operators = access_requested(make_event("AccessRequested", **request, routed_to="operators",
                                               recipients=[person("op@vendor.test")]), BASE_URL)
    assert to_operators[0].context["link"] == BASE_URL + "/operator/access-requests"


def test_a_refusal_is_mailed_in_the_requester_language_and_an_acceptance_is_not():
    from notifications.access_mails import access_decided
    facts = {"request_id": "r1", "email": "nina@c100.test", "first_name": "Nina", "language": "fr-FR"}
    [refusal] = access_decided(make_event("AccessRequestDecided", **facts, decision="refused", reason="No"), BASE_URL)
    assert (refusal.kind, refusal.to, refusal.language, refusal.context["reason"]) == \
        ("access_refused", "nina@c100.test", "fr", "No")
    assert access_decided(make_event("AccessRequestDecided", **facts, decision="accepted", user_id="u9"),
                          BASE_URL) == []


def test_the_holder_of_an_existing_account_gets_the_way_back_in():
    from notifications.access_mails import existing_account
    [mail] = existing_account(make_event("AccessRequestedForExistingAccount", **person(), request_id="r1"), BASE_URL)
    assert mail.kind == "access_existing_account" and mail.context["activated"] is True
    assert (mail.context["link"], mail.context["forgot_link"]) == (BASE_URL + "/login", BASE_URL + "/password/forgot")
