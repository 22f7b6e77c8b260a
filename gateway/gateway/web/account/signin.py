"""Pages of signing in and out, and the language switch of visitors who are not signed in."""
from __future__ import annotations

from flask import redirect, render_template, request
from flask_babel import gettext

from gateway import seams

from ..common import space_blueprint, visitor
from ..common.frame import page_exists
from ..common.i18n import LANGUAGE_COOKIE, LANGUAGES
from . import password as password_pages

bp = space_blueprint("account", __name__)
OPERATOR_HOME = "/operator"
ONE_YEAR = 365 * 24 * 3600


def _refusal(status: int, body: dict | None) -> str:
    code = ((body or {}).get("error") or {}).get("code")
    if status == 401:
        return gettext("The e-mail address or the password is not correct.")
    if status == 423:
        return gettext("Your account is locked for a while after too many failed sign-ins. "
                       "Try again later, or choose a new password with “Forgotten password”.")
    if status == 403 and code == "password_expired":
        return gettext("Your password has expired. Choose a new one with “Forgotten password”.")
    if status == 400:
        return gettext("Enter your e-mail address and your password.")
    if status == 429:
        return gettext("Too many attempts. Wait a moment, then try again.")
    return gettext("Signing in is not possible right now. Try again in a moment.")


@bp.route("/login", methods=["GET"])
def login_form():
    """Show the sign-in form (or go home when already signed in)."""
    next_page = visitor.safe_next(request.args.get("next"))
    if visitor.current_user() is not None:
        return redirect(next_page)
    return render_template("account/login.html", email="", next_page=next_page, error=None, field_errors={})


@bp.route("/login", methods=["POST"])
def login():
    """Check the credentials, open the session and go where the visitor was heading."""
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    next_page = visitor.safe_next(request.form.get("next"))
    field_errors = {}
    if not email:
        field_errors["email"] = gettext("Enter your e-mail address.")
    if not password:
        field_errors["password"] = gettext("Enter your password.")
    if field_errors:
        return render_template("account/login.html", email=email, next_page=next_page,
                               error=gettext("Enter your e-mail address and your password."),
                               field_errors=field_errors), 400
    result = seams.current().sign_in.sign_in(email, password, visitor.client_ip(), request.headers.get("User-Agent", ""))
    if result.status == 200 and result.token:
        if next_page == "/":  # no destination (a ``next`` elsewhere always wins)
            if (result.body.get("user") or {}).get("operator") and page_exists(OPERATOR_HOME):
                next_page = OPERATOR_HOME  # the vendor's operators land in their back office
            else:  # a company's users land in the space of its main line, if it holds one
                next_page = visitor.landing_for(seams.current().sign_in.current_user(result.token))
        return visitor.open_session(redirect(next_page), result.token, result.expires_at)
    if result.status == 403 and result.token:
        # A session limited to changing the expired password: on to the page that does it.
        return password_pages.start_renewal(result.token, result.expires_at)
    if result.token:
        seams.current().sign_in.sign_out(result.token)
    status = result.status if result.status in (400, 401, 403, 423, 429) else 503
    return render_template("account/login.html", email=email, next_page=next_page,
                           error=_refusal(result.status, result.body), field_errors={}), status


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session, clear its cookie and go back to the sign-in page."""
    token = visitor.session_token()
    if token:
        seams.current().sign_in.sign_out(token)
    return visitor.close_session(redirect("/login"))


@bp.route("/language", methods=["POST"])
def switch_language():
    """Remember the language a visitor chose before signing in."""
    language = request.form.get("lang", "")
    if language not in LANGUAGES:
        language = "en"
    response = redirect(visitor.safe_next(request.form.get("next")))
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, **visitor.cookie_options())
    return response
