"""The three activation steps, without script (server-side steps) and their answers (identity faked over HTTP)."""
from __future__ import annotations

import re

import pytest


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN_STEP = re.compile(r'<fieldset class="step" data-step="(\d)">')
PROFILE = {"title": "MME", "last_name": "Dupont", "first_name": "Lovana", "language": "en",
           "function": "Accountant", "office_phone": "+33 1 23 45 67 89", "mobile_phone": ""}


@pytest.fixture
def client(portal, client):
    """The real app's browser, with identity played by the fake portal."""
    return client


def post_step(client, token="demo", **form):
    page = client.get(f"/activate/{token}").get_data(as_text=True)
    return client.post(f"/activate/{token}", data={"csrf_token": CSRF.search(page).group(1), **form})


def shown_step(response) -> int:
    steps = SHOWN_STEP.findall(response.get_data(as_text=True))
    assert len(steps) == 1, steps  # exactly one step visible, the others carried hidden
    return int(steps[0])


def test_step_one_is_prefilled_from_the_registration(client):
    response = client.get("/activate/demo")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown_step(response) == 1
    assert "Step 1/3" in page and "Step 2/3" in page and "Step 3/3" in page
    assert '<option value="MME" selected>Mrs</option>' in page
    assert 'value="Dupont"' in page and 'value="Lovana"' in page
    assert 'value="new.user@client.test" readonly' in page  # the login, read-only, not a form field
    assert 'name="email"' not in page
    assert "Data protection" in page and "Dupont &amp; Fils" in page


def test_titles_and_page_speak_the_account_language(client):
    page = client.get("/activate/strong").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Étape 1/3" in page
    for title in ("Monsieur", "Madame", "Mademoiselle"):
        assert title in page


def test_the_visitors_own_language_choice_wins(client):
    client.set_cookie("lang", "en")
    page = client.get("/activate/strong").get_data(as_text=True)
    assert "Step 1/3" in page and "Mr" in page


def test_rules_listed_follow_the_security_level(client):
    moderate = client.get("/activate/demo").get_data(as_text=True)
    assert "At least 8 characters" in moderate and "At least 3 of these 4 kinds" in moderate
    assert 'data-min-length="8"' in moderate and 'data-email="new.user@client.test"' in moderate
    client.set_cookie("lang", "en")
    strong = client.get("/activate/strong").get_data(as_text=True)
    assert "At least 10 characters" in strong and 'data-level="3"' in strong


def test_weak_level_lists_only_length_and_email_rules(client, portal):
    portal.add_activation("weak", security_level=1)
    page = client.get("/activate/weak").get_data(as_text=True)
    assert "At least 8 characters" in page and "Not your e-mail address" in page
    assert "three_character_classes" not in page and "first or last name" not in page


@pytest.mark.parametrize("token", ["used-or-unknown", "x" * 300])
def test_unusable_link_is_a_clear_410_page(client, token):
    response = client.get(f"/activate/{token}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This activation link can no longer be used" in page and 'href="/login"' in page


def test_next_checks_the_step_and_keeps_the_visitor_there(client):
    response = post_step(client, **{**PROFILE, "last_name": ""}, step="1", action="next")
    assert response.status_code == 400
    assert shown_step(response) == 1
    page = response.get_data(as_text=True)
    assert 'id="last_name-error">This field is required.' in page
    assert 'aria-invalid="true"' in page


def test_steps_move_forward_and_back_carrying_every_value(client):
    response = post_step(client, **PROFILE, step="1", action="next")
    assert response.status_code == 200 and shown_step(response) == 2
    page = response.get_data(as_text=True)
    assert 'value="Accountant"' in page and 'value="Dupont"' in page  # step 1 carried, hidden
    assert shown_step(post_step(client, **PROFILE, step="2", action="next")) == 3
    assert shown_step(post_step(client, **PROFILE, step="3", action="previous")) == 2
    assert shown_step(post_step(client, **PROFILE, step="2", action="previous")) == 1


def test_phone_too_long_is_refused_on_step_two(client):
    response = post_step(client, **{**PROFILE, "office_phone": "1" * 41}, step="2", action="next")
    assert response.status_code == 400 and shown_step(response) == 2
    assert "At most 40 characters." in response.get_data(as_text=True)


def test_passwords_must_match(client, portal):
    response = post_step(client, **PROFILE, step="3", action="validate",
                         password="Sunny-Harbour-42", password_confirmation="Sunny-Harbour-43")
    assert response.status_code == 400 and shown_step(response) == 3
    assert "The two passwords are not the same." in response.get_data(as_text=True)
    assert not [call for call in portal.calls if call[1] == "POST"]


def test_broken_rules_from_identity_are_shown_next_to_the_password(client):
    response = post_step(client, **PROFILE, step="3", action="validate",
                         password="Password123!", password_confirmation="Password123!")
    assert response.status_code == 400 and shown_step(response) == 3
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page and "The password does not meet these rules:" in page
    assert "Not a commonly used password" in page
    assert 'value="Password123!"' not in page  # never sent back


def test_unknown_rule_codes_are_shown_generically(client, portal):
    original = portal.call

    def identity(service, method, path, identity, json=None, query=None):
        if method == "POST":
            return 400, {"error": {"code": "password_rules", "message": "x",
                                   "fields": {"password": ["min_length_10", "no_dictionary_word"]}}}
        return original(service, method, path, identity, json, query)

    portal.call = identity
    page = post_step(client, **PROFILE, step="3", action="validate",
                     password="abc", password_confirmation="abc").get_data(as_text=True)
    assert "At least 10 characters" in page
    assert "The password does not meet a security rule (no_dictionary_word)" in page


def test_other_field_refused_by_identity_goes_back_to_its_step(client, portal):
    original = portal.call

    def identity(service, method, path, identity, json=None, query=None):
        if method == "POST":
            return 400, {"error": {"code": "invalid_input", "message": "x",
                                   "fields": {"first_name": ["Length must be between 1 and 100."]}}}
        return original(service, method, path, identity, json, query)

    portal.call = identity
    response = post_step(client, **PROFILE, step="3", action="validate",
                         password="Sunny-Harbour-42", password_confirmation="Sunny-Harbour-42")
    assert shown_step(response) == 1
    assert 'id="first_name-error">This value is not accepted.' in response.get_data(as_text=True)


def test_validate_activates_and_confirms_in_the_chosen_language(client, portal):
    response = post_step(client, **{**PROFILE, "title": "", "language": "fr"}, step="3", action="validate",
                         password="Sunny-Harbour-42", password_confirmation="Sunny-Harbour-42")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Votre compte est actif" in page and 'href="/login"' in page
    service, method, path, sent = portal.calls[-1]
    assert (service, method, path) == ("identity", "POST", "/auth/activation/demo")
    assert sent == {**PROFILE, "title": None, "language": "fr", "password": "Sunny-Harbour-42"}
    # The link is used now: coming back shows the 410 page, and the account signs in.
    assert client.get("/activate/demo").status_code == 410
    page = client.get("/login").get_data(as_text=True)
    signed_in = client.post("/login", data={"email": "new.user@client.test", "password": "Sunny-Harbour-42",
                                            "csrf_token": CSRF.search(page).group(1)})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


def test_enter_on_the_last_step_validates(client):
    # Without script, Enter submits the form's first button (step 1's Next): on step 3 it validates.
    response = post_step(client, **PROFILE, step="3", action="next",
                         password="Sunny-Harbour-42", password_confirmation="Sunny-Harbour-42")
    assert "Your account is active" in response.get_data(as_text=True)


def test_activation_form_needs_its_csrf_token(client, portal):
    client.get("/activate/demo")
    response = client.post("/activate/demo", data={**PROFILE, "step": "3", "action": "validate",
                                                   "password": "Sunny-Harbour-42",
                                                   "password_confirmation": "Sunny-Harbour-42"})
    assert response.status_code == 400 and "This form has expired" in response.get_data(as_text=True)
    assert not [call for call in portal.calls if call[1] == "POST"]


def test_identity_unavailable_is_a_friendly_503(client, portal):
    portal.call = lambda *args, **kwargs: (502, None)
    response = client.get("/activate/demo")
    assert response.status_code == 503
    assert "Service unavailable" in response.get_data(as_text=True)


def test_the_activation_call_is_anonymous_with_the_visitor_address(client, portal):
    seen = []
    original = portal.call
    portal.call = lambda service, method, path, identity, json=None, query=None: (
        seen.append(identity) or original(service, method, path, identity, json, query))
    client.get("/activate/demo", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert seen[0].user_id is None and seen[0].client_ip == "203.0.113.9"
