"""The declarative portal's sign-in (login and password, its own), sign-out and landing page."""
from __future__ import annotations

from flask import abort, redirect, render_template, request
from flask_babel import gettext

from gateway import seams

from ..common import calls, space_blueprint, visitor
from . import declarant

bp = space_blueprint("declarations", __name__)


def _refusal(status: int) -> str:
    if status == 401:
        return gettext("The login or the password is not correct.")
    if status == 423:
        return gettext("This declarant account is locked for a while after too many failed sign-ins. "
                       "Try again later, or choose a new password with “Forgotten password”.")
    if status == 400:
        return gettext("Enter your login and your password.")
    if status == 429:
        return gettext("Too many attempts. Wait a moment, then try again.")
    return gettext("Signing in is not possible right now. Try again in a moment.")


@bp.route(declarant.SIGN_IN_PATH, methods=["GET"])
def signin_form():
    """Show the declarative sign-in form (or the landing page when signed in already)."""
    if declarant.current_declarant() is not None:
        return redirect(declarant.HOME_PATH)
    return render_template("declarations/signin.html", login="", error=None, field_errors={})


@bp.route(declarant.SIGN_IN_PATH, methods=["POST"])
def signin():
    """Check the declarant's credentials and open the declarative session."""
    login = request.form.get("login", "").strip()
    password = request.form.get("password", "")
    field_errors = {}
    if not login:
        field_errors["login"] = gettext("Enter your login.")
    if not password:
        field_errors["password"] = gettext("Enter your password.")
    if field_errors:
        return render_template("declarations/signin.html", login=login, field_errors=field_errors,
                               error=gettext("Enter your login and your password.")), 400
    result = seams.current().sign_in.declarative_sign_in(login, password, visitor.client_ip(),
                                                         request.headers.get("User-Agent", ""))
    if result.status == 200 and result.token:
        return declarant.open_session(redirect(declarant.HOME_PATH), result.token, result.expires_at)
    status = result.status if result.status in (400, 401, 423, 429) else 503
    return render_template("declarations/signin.html", login=login, error=_refusal(result.status),
                           field_errors={}), status


@bp.route("/declarations/signout", methods=["POST"])
def signout():
    """End the declarative session and go back to its sign-in page."""
    token = declarant.session_token()
    if token:
        seams.current().sign_in.sign_out(token)
    return declarant.close_session(redirect(declarant.SIGN_IN_PATH))


@bp.route(declarant.HOME_PATH, methods=["GET"])
@declarant.declarative_page
def home():
    """The declarant's landing page: who is signed in, the entities they declare for, their next deadlines."""
    status, me = calls.identity("GET", "/auth/declarative/me", identity=declarant.identity())
    if status == 401:
        return declarant.close_session(redirect(declarant.SIGN_IN_PATH))
    if status != 200 or not isinstance(me, dict):
        abort(503)
    deadlines, total = _next_deadlines()
    return render_template("declarations/home.html", me=me, deadlines=deadlines, deadlines_total=total)


def _next_deadlines() -> tuple[list | None, int]:
    """The soonest of the next deadlines of the declarant's entities (the service's first page) and
    how many there are; None when they cannot be had (the page still opens)."""
    status, body = calls.call("declarations", "GET", "/declarations/deadlines", identity=declarant.identity())
    listed = body.get("items") if status == 200 and isinstance(body, dict) else None
    if not isinstance(listed, list):
        return None, 0
    total = body.get("total")
    return listed, total if isinstance(total, int) else len(listed)
