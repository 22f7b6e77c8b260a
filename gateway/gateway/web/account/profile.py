"""My profile: the details, the dashboard blocks identity owns, and the details, password and e-mail changes."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, i18n, password_rules, rights, space_blueprint, visitor
from ..common.details import LEVELS, MAX_LENGTHS, TITLES, refused_fields

bp = space_blueprint("profile", __name__)

DETAILS = ("title", "last_name", "first_name", "language", "function", "office_phone", "mobile_phone")
REQUIRED = ("first_name", "last_name")
DONE = {"details": lazy_gettext("Your details have been saved."),
        "password": lazy_gettext("Your password has been changed. Your other sessions have been closed.")}
AUDITS_SHOWN = 5
ADMINISTRATORS_SHOWN = 5


def _me() -> dict:
    me = calls.fetch("/identity/me")
    # The profile is the truth about the language, even before the session hears of a change.
    i18n.prefer(me.get("language"), chosen=True)
    return me


@bp.route("/profile")
@visitor.signed_in_page
def show():
    """Show the profile with its blocks: last sign-ins, administrators, user counts (administrators)."""
    me = _me()
    user = visitor.current_user()
    audits = calls.optional("/identity/me/audits", {"page": 1, "per_page": AUDITS_SHOWN})
    administrators = calls.optional("/identity/administrators")
    counts = calls.optional("/identity/users/counts") if rights.is_administrator(user) else None
    return render_template("account/profile.html", me=me, titles=TITLES, levels=LEVELS, done=DONE.get(request.args.get("done", "")),
        audits=(audits or {}).get("items") if audits is not None else None,
        administrators=((administrators or {}).get("items") or [])[:ADMINISTRATORS_SHOWN]
        if administrators is not None else None,
        counts=counts, is_administrator=rights.is_administrator(user))


# -- details ---------------------------------------------------------------------------------

def check_details(values: dict) -> dict:
    errors = {}
    for name in DETAILS:
        value = values.get(name, "")
        if name in REQUIRED and not value:
            errors[name] = gettext("This field is required.")
        elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            errors[name] = gettext("At most %(count)d characters.", count=MAX_LENGTHS[name])
    if values.get("title") and values["title"] not in TITLES:
        errors["title"] = gettext("Choose a title from the list.")
    if values.get("language") not in i18n.LANGUAGES:
        errors["language"] = gettext("Choose a language from the list.")
    return errors


@bp.route("/profile/edit", methods=["GET", "POST"])
@visitor.signed_in_page
def edit():
    """Change one's own title, names, language, function and phones."""
    me = _me()
    if request.method == "GET":
        values = {name: me.get(name) or "" for name in DETAILS}
        return _render_edit(me, values, {})
    values = {name: request.form.get(name, "").strip() for name in DETAILS}
    errors = check_details(values)
    if errors:
        return _render_edit(me, values, errors, 400)
    status, body = calls.identity("PATCH", "/identity/me", json={**values, "title": values["title"] or None})
    if status == 200:
        return redirect("/profile?done=details")
    if status != 400:
        abort(503)
    return _render_edit(me, values, refused_fields(body, DETAILS), 400)


def _render_edit(me, values, errors, status=200):
    return render_template("account/profile_edit.html", me=me, values=values, errors=errors, titles=TITLES,
                           max_lengths=MAX_LENGTHS), status


# -- password ---------------------------------------------------------------------------------

@bp.route("/profile/password", methods=["GET", "POST"])
@visitor.signed_in_page
def change_password():
    """Change one's password with the current one; the other sessions end."""
    me = _me()
    if request.method == "GET":
        return _render_password(me)
    current = request.form.get("current_password", "")
    password = request.form.get("password", "")
    errors = password_rules.check_confirmation(password, request.form.get("password_confirmation", ""))
    if not current:
        errors["current_password"] = gettext("Enter your current password.")
    if errors:
        return _render_password(me, errors, status=400)
    status, body = calls.identity("POST", "/identity/me/password",
                                  json={"current_password": current, "new_password": password})
    if status in (200, 204):
        return redirect("/profile?done=password")
    if status != 400:
        abort(503)
    broken = calls.broken_rules(body)
    errors = password_rules.refusal(broken)
    if "current_password" in calls.error_fields(body) or not errors:
        errors["current_password"] = gettext("This is not your current password.")
    return _render_password(me, errors, broken, 400)


def _render_password(me, errors=None, broken=None, status=200):
    form = password_rules.new_password_form(me.get("security_level"), errors, broken)
    return render_template("account/profile_password.html", me=me, form=form, levels=LEVELS), status


# -- e-mail -----------------------------------------------------------------------------------

@bp.route("/profile/email", methods=["GET", "POST"])
@visitor.signed_in_page
def change_email():
    """Ask for a new login address: a link goes to it, a notice to the current one."""
    me = _me()
    if request.method == "GET":
        return render_template("account/profile_email.html", me=me, new_email="", errors={})
    new_email = request.form.get("new_email", "").strip()
    errors = {}
    if not new_email or "@" not in new_email or len(new_email) > 254:
        errors["new_email"] = gettext("Enter a valid e-mail address.")
    elif new_email.lower() == (me.get("email") or "").lower():
        errors["new_email"] = gettext("This is already your e-mail address.")
    if not errors:
        status, body = calls.identity("POST", "/identity/me/email", json={"new_email": new_email})
        if status in (200, 202, 204):
            return render_template("message.html", success=True, title=gettext("Confirm your new address"), texts=[
                gettext("We have sent a confirmation link to %(email)s. Your login changes once you open it; "
                        "until then, keep signing in with %(current)s.", email=new_email, current=me.get("email")),
                gettext("The link works for 24 hours.")], action=("/profile", gettext("Back to my profile")))
        if status == 409:
            errors["new_email"] = gettext("This address is already used by an account.")
        elif status == 400:
            errors["new_email"] = gettext("Enter a valid e-mail address.")
        else:
            abort(503)
    return render_template("account/profile_email.html", me=me, new_email=new_email, errors=errors), 400


@bp.route("/email-change/<token>", methods=["GET"])
def confirm_email_form(token):
    """The link of the confirmation mail: a button confirms (a mail scanner's visit changes nothing)."""
    return render_template("account/email_change.html", token=token)


@bp.route("/email-change/<token>", methods=["POST"])
def confirm_email(token):
    """Confirm the new address: from now on it is the login."""
    status, _ = (410, None) if len(token) > 200 else calls.identity(
        "POST", "/identity/email-change/" + quote(token, safe=""))
    if status in (200, 204):
        return render_template("message.html", success=True, title=gettext("Your e-mail address has changed"),
                               texts=[gettext("From now on, sign in with your new address.")],
                               action=("/profile", gettext("Go to my profile")) if visitor.current_user()
                               else ("/login", gettext("Sign in")))
    if status == 409:
        return render_template("message.html", status=409, title=gettext("This address is already taken"), texts=[
            gettext("Another account has started using this address in the meantime. Your login has not "
                    "changed.")], action=("/", gettext("Go to the home page"))), 409
    if status in (404, 410):
        return render_template("message.html", status=410, title=gettext("This link can no longer be used"), texts=[
            gettext("It has already been used, it has expired, or a newer request has replaced it. Ask for "
                    "the change again from your profile.")], action=("/profile", gettext("Go to my profile"))), 410
    abort(503)
