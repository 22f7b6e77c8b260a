"""The password pages of declarant accounts: the mailed link (issue and reset) that sets the
password with the strong level's rules ticked live, and the forgotten-password form (by login)."""
from __future__ import annotations

from flask import abort, make_response, render_template, request
from flask_babel import gettext

from ..common import calls, mailed_links, password_rules, space_blueprint
from . import declarant

bp = space_blueprint("declarations_password", __name__)
LINK_PREFIX = "/auth/declarative/password/"
FORGOT_PATH = "/declarations/password/forgot"


def _link_path(token: str) -> str:
    return mailed_links.identity_path(LINK_PREFIX, token)


def _account(token: str) -> dict:
    return mailed_links.account_of(LINK_PREFIX, token, _link_gone)


def _link_gone():
    texts = [gettext("A link to choose the password of a declarant account works once, and only the newest one works."),
             gettext("Ask for a new link with “Forgotten password”, or ask whoever issued the account.")]
    return make_response(render_template(
        "message.html", status=410, title=gettext("This link can no longer be used"), texts=texts,
        action=(FORGOT_PATH, gettext("Forgotten password"))), 410)


def _render(token: str, account: dict, errors=None, broken=None, status=200):
    form = password_rules.new_password_form(account.get("security_level"), errors, broken)
    return render_template("declarations/password.html", token=token, account=account, form=form), status


@bp.route(FORGOT_PATH, methods=["GET"])
def forgot_form():
    """Ask for the login of the declarant account whose password was forgotten."""
    return render_template("declarations/forgot.html", login="", errors={})


@bp.route(FORGOT_PATH, methods=["POST"])
def forgot():
    """Have a new link mailed to the account's holder; the answer never tells whether it exists."""
    login = request.form.get("login", "").strip()
    if not login or len(login) > 64:
        return render_template("declarations/forgot.html", login=login[:64],
                               errors={"login": gettext("Enter the login of your declarant account.")}), 400
    status, _ = calls.identity("POST", "/auth/declarative/password/forgot", json={"login": login})
    if status not in (200, 202, 204):
        abort(503)
    return render_template("message.html", success=True, title=gettext("Check your mailbox"), texts=[
        gettext("If a declarant account has the login %(login)s, an e-mail with a link to choose a new "
                "password is on its way to its holder.", login=login)],
        action=(declarant.SIGN_IN_PATH, gettext("Back to the declarative sign-in")))


@bp.route("/declarations/password/<token>", methods=["GET"])
def password_form(token):
    """Choose the password of a declarant account from the mailed link."""
    return _render(token, _account(token))


@bp.route("/declarations/password/<token>", methods=["POST"])
def set_password(token):
    """Set the password: the link is spent, the lock lifted, the account's sessions ended."""
    account = _account(token)
    password = request.form.get("password", "")
    errors = password_rules.check_confirmation(password, request.form.get("password_confirmation", ""))
    if errors:
        return _render(token, account, errors, status=400)
    status, body = calls.identity("POST", _link_path(token), json={"password": password})
    if status in (200, 204):
        return render_template("message.html", success=True, title=gettext("The password is set"),
                               texts=[gettext("Sign in to the declarative portal with your login %(login)s "
                                              "and this password.", login=account.get("login") or "")],
                               action=(declarant.SIGN_IN_PATH, gettext("Sign in")))
    if status in (404, 410):
        return _link_gone()
    if status != 400:
        abort(503)
    broken = calls.broken_rules(body)
    errors = password_rules.refusal(broken) or {"password": gettext("This password is not accepted.")}
    return _render(token, account, errors, broken, status=400)
