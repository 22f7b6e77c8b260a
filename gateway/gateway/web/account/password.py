"""Forgotten password, the reset link of its mail, and the renewal of an expired password at sign-in.

identity answers the forgotten-password form the same whatever the address; the reset page knows
the account's level from its link. An expired password opens a renewal session at sign-in, kept
in its own cookie (it opens no other page) until the new password is set.
"""
from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request
from flask_babel import gettext

from gateway import auth, seams

from ..common import calls, i18n, mailed_links, password_rules, space_blueprint, visitor

bp = space_blueprint("password", __name__)
RENEWAL_COOKIE = "portal_renewal"
RENEWAL_PATH = "/password/renew"


@bp.route("/password/forgot", methods=["GET"])
def forgot_form():
    """Ask for the address of the account whose password was forgotten."""
    return render_template("account/password_forgot.html", email=request.args.get("email", "")[:254], errors={})


@bp.route("/password/forgot", methods=["POST"])
def forgot():
    """Ask identity to mail a reset link; the answer never tells whether the address is known."""
    email = request.form.get("email", "").strip()
    if not email or "@" not in email or len(email) > 254:
        return render_template("account/password_forgot.html", email=email,
                               errors={"email": gettext("Enter the e-mail address of your account.")}), 400
    status, _ = calls.identity("POST", "/auth/password/forgot", json={"email": email})
    if status == 400:
        return render_template("account/password_forgot.html", email=email,
                               errors={"email": gettext("Enter the e-mail address of your account.")}), 400
    if status not in (200, 202, 204):
        abort(503)
    return render_template("message.html", success=True, title=gettext("Check your mailbox"), texts=[
        gettext("If an account uses the address %(email)s, an e-mail with a link to choose a new password "
                "is on its way. The link works once, for one hour.", email=email),
        gettext("Nothing arrived? Look in your spam folder, wait a minute before asking again, or ask "
                "your company's portal administrator.")],
        action=("/login", gettext("Go to the sign-in page")))


def _reset_account(token: str) -> dict:
    return mailed_links.account_of("/auth/password/reset/", token, _link_gone)


def _link_gone():
    texts = [gettext("A link to choose a new password works once, for one hour, and only the newest one works."),
             gettext("Ask for a new link with “Forgotten password”.")]
    return make_response(render_template(
        "message.html", status=410, title=gettext("This link can no longer be used"), texts=texts,
        action=("/password/forgot", gettext("Forgotten password"))), 410)


def _render_reset(token: str, account: dict, errors=None, broken=None, status=200):
    form = password_rules.new_password_form(account.get("security_level"), errors, broken)
    return render_template("account/password_reset.html", token=token, account=account, form=form), status


@bp.route("/password/reset/<token>", methods=["GET"])
def reset_form(token):
    """Choose a new password from the link of the forgotten-password mail."""
    return _render_reset(token, _reset_account(token))


@bp.route("/password/reset/<token>", methods=["POST"])
def reset(token):
    """Set the new password: the link is spent, the lock lifted, every open session ended."""
    account = _reset_account(token)
    password = request.form.get("password", "")
    errors = password_rules.check_confirmation(password, request.form.get("password_confirmation", ""))
    if errors:
        return _render_reset(token, account, errors, status=400)
    status, body = calls.identity("POST", "/auth/password/reset", json={"token": token, "password": password})
    if status in (200, 204):
        return render_template("message.html", success=True, title=gettext("Your password has been changed"),
                               texts=[gettext("Sign in with your e-mail address and your new password.")],
                               action=("/login", gettext("Sign in")))
    if status in (404, 410):
        return _link_gone()
    if status != 400:
        abort(503)
    broken = calls.broken_rules(body)
    errors = password_rules.refusal(broken) or {"password": gettext("This password is not accepted.")}
    return _render_reset(token, account, errors, broken, status=400)


# -- an expired password, at sign-in ------------------------------------------------------------

def start_renewal(token: str, expires_at):
    """The answer to a sign-in whose password has expired: on to the renewal page, its session kept."""
    response = redirect(RENEWAL_PATH)
    response.set_cookie(RENEWAL_COOKIE, token, expires=expires_at,
                        **visitor.cookie_options(path=RENEWAL_PATH))
    return response


def _renewal():
    token = request.cookies.get(RENEWAL_COOKIE)
    user = seams.current().sign_in.current_user(token) if token else None
    if user is None or user.scope != "password_change":
        return None, None
    return token, user


def _end_renewal(response):
    response.delete_cookie(RENEWAL_COOKIE, **visitor.cookie_options(path=RENEWAL_PATH))
    return response


def _render_renewal(user, errors=None, broken=None, status=200):
    i18n.prefer(user.language, chosen=True)
    # The renewal session may read no more of the account than whose password it changes and
    # at which level: enough for the page to list and tick that level's rules.
    status_of_profile, account = calls.identity("GET", "/identity/me/password-profile",
                                                identity=auth.identity_for(user, visitor.client_ip()))
    if status_of_profile != 200 or not isinstance(account, dict):
        abort(503)
    form = password_rules.new_password_form(account.get("security_level"), errors, broken)
    return render_template("account/password_renew.html", user=user, account=account, form=form), status


@bp.route(RENEWAL_PATH, methods=["GET"])
def renew_form():
    """Choose a new password because the current one has expired."""
    token, user = _renewal()
    if user is None:
        return _end_renewal(redirect("/login"))
    return _render_renewal(user)


@bp.route(RENEWAL_PATH, methods=["POST"])
def renew():
    """Change the expired password; every session ends, so the user signs in again with the new one."""
    token, user = _renewal()
    if user is None:
        return _end_renewal(redirect("/login"))
    current = request.form.get("current_password", "")
    password = request.form.get("password", "")
    errors = password_rules.check_confirmation(password, request.form.get("password_confirmation", ""))
    if not current:
        errors["current_password"] = gettext("Enter your current password.")
    if errors:
        return _render_renewal(user, errors, status=400)
    status, body = calls.identity("POST", "/identity/me/password",
                                  json={"current_password": current, "new_password": password},
                                  identity=auth.identity_for(user, visitor.client_ip()))
    if status in (200, 204):
        seams.current().sign_in.sign_out(token)
        i18n.prefer(user.language, chosen=True)
        return _end_renewal(make_response(render_template(
            "message.html", success=True, title=gettext("Your password has been changed"),
            texts=[gettext("Sign in again with your new password.")], action=("/login", gettext("Sign in")))))
    if status in (401, 403):
        return _end_renewal(redirect("/login"))
    if status != 400:
        abort(503)
    broken = calls.broken_rules(body)
    errors = password_rules.refusal(broken)
    if "current_password" in calls.error_fields(body) or not errors:
        errors["current_password"] = gettext("This is not your current password.")
    return _render_renewal(user, errors, broken, status=400)

