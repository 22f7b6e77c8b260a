"""The three activation steps of a new account (``/activate/<token>``), with or without script.

Without script each Previous / Next is a post: the server checks the step and renders the next one,
carrying the other steps' values in the same form. With script the steps change in the browser and
only Validate posts. identity has the last word on every value and on the password rules.
"""
from __future__ import annotations

from flask import abort, make_response, render_template, request
from flask_babel import gettext

from ..common import calls, i18n, mailed_links, password_rules, space_blueprint
from ..common.details import MAX_LENGTHS, TITLES

bp = space_blueprint("activation", __name__)

STEPS = {1: ("title", "last_name", "first_name", "language"),
         2: ("function", "office_phone", "mobile_phone"),
         3: ("password", "password_confirmation")}
PROFILE_FIELDS = ("title", "first_name", "last_name", "language", "function", "office_phone", "mobile_phone")
REQUIRED = ("first_name", "last_name")
ACTIVATION_PREFIX = "/auth/activation/"


def _identity_path(token: str) -> str:
    return mailed_links.identity_path(ACTIVATION_PREFIX, token)


def _profile(token: str) -> dict:
    """The prefilled profile the link opens, or the page that says why it cannot be used."""
    return mailed_links.account_of(ACTIVATION_PREFIX, token, _gone)


def _gone():
    return make_response(render_template("account/activation_gone.html"), 410)


def _render(token: str, profile: dict, values: dict, step: int, errors: dict | None = None,
            broken: list[str] | None = None, status: int = 200):
    level = password_rules.level_of(profile.get("security_level"))
    return render_template(
        "account/activation.html", token=token, profile=profile, values=values, step=step, errors=errors or {},
        broken=broken or [], broken_texts=[password_rules.describe(code) for code in broken or []],
        company_name=(profile.get("company") or {}).get("name", ""), level=level,
        min_length=password_rules.MIN_LENGTH[level], max_length=password_rules.MAX_LENGTH,
        rules=password_rules.rules_for(level),
        match_rule=password_rules.describe("passwords_match"), titles=TITLES, max_lengths=MAX_LENGTHS,
    ), status


@bp.route("/activate/<token>", methods=["GET"])
def start(token):
    """Show step 1 of the activation, prefilled with what the company registered."""
    profile = _profile(token)
    values = {name: profile.get(name) or "" for name in PROFILE_FIELDS}
    return _render(token, profile, values, step=1)


def _check(values: dict, steps) -> dict:
    errors = {}
    for step in steps:
        for name in STEPS[step]:
            value = values.get(name, "")
            if name in REQUIRED and not value:
                errors[name] = gettext("This field is required.")
            elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
                errors[name] = gettext("At most %(count)d characters.", count=MAX_LENGTHS[name])
    if 1 in steps and values.get("title") and values["title"] not in TITLES:
        errors["title"] = gettext("Choose a title from the list.")
    if 1 in steps and values.get("language") not in i18n.LANGUAGES:
        errors["language"] = gettext("Choose a language from the list.")
    return errors


def _first_step(errors: dict) -> int:
    return min((step for step, names in STEPS.items() if set(names) & set(errors)), default=3)


@bp.route("/activate/<token>", methods=["POST"])
def submit(token):
    """Move between the steps, or validate them all and activate the account."""
    profile = _profile(token)
    values = {name: request.form.get(name, "").strip() for name in PROFILE_FIELDS}
    try:
        step = min(max(int(request.form.get("step", "1")), 1), 3)
    except ValueError:
        step = 1
    action = request.form.get("action")
    if action == "previous":
        return _render(token, profile, values, step=max(step - 1, 1))
    if action == "next" and step < 3:
        errors = _check(values, [step])
        return _render(token, profile, values, step=step if errors else step + 1, errors=errors,
                       status=400 if errors else 200)
    return _validate(token, profile, values)


def _validate(token: str, profile: dict, values: dict):
    password = request.form.get("password", "")
    errors = _check(values, [1, 2])
    if not password:
        errors["password"] = gettext("Choose a password.")
    elif password != request.form.get("password_confirmation", ""):
        errors["password_confirmation"] = gettext("The two passwords are not the same.")
    if errors:
        return _render(token, profile, values, step=_first_step(errors), errors=errors, status=400)
    payload = {**values, "title": values["title"] or None, "password": password}
    status, body = calls.identity("POST", _identity_path(token), json=payload)
    if status == 200:
        i18n.prefer(values["language"], chosen=True)
        return render_template("account/activation_done.html", user=body or {})
    if status in (404, 410):
        return _gone()
    if status != 400:
        abort(503)
    errors, broken = _refusals(body)
    return _render(token, profile, values, step=_first_step(errors), errors=errors, broken=broken, status=400)


def _refusals(body: dict | None) -> tuple[dict, list[str]]:
    """The field errors of identity's 400, in the page's words; and the password rules it broke."""
    fields = (((body or {}).get("error") or {}).get("fields")) or {}
    broken = [code for code in fields.get("password") or [] if isinstance(code, str)]
    errors = {}
    if broken:
        errors["password"] = gettext("The password does not meet these rules:")
    for name in fields:
        if name in PROFILE_FIELDS and name not in errors:
            errors[name] = gettext("This value is not accepted.")
    if not errors:
        errors["form"] = gettext("Some information was not accepted. Check each step, then validate again.")
    return errors, broken
