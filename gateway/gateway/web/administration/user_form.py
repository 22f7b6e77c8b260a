"""The administrator's user form: add a user (the manual's fields), modify one, delete one."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext

from ..common import calls, i18n, rights, space_blueprint, visitor
from ..common.details import LEVELS, MAX_LENGTHS, TITLES, refused_fields
from ..common.rights import administrator_page
from .users import LIST_PATH, STATUSES, back_to_list

bp = space_blueprint("user_form", __name__)

FIELDS = ("email", "title", "last_name", "first_name", "office_phone", "mobile_phone", "language", "function",
          "security_level")


def _user_path(user_id: str) -> str:
    return "/identity/users/" + quote(user_id, safe="")


def _values(form) -> dict:
    return {name: form.get(name, "").strip() for name in FIELDS + ("company_id",)}


def _check(values: dict, email_editable: bool) -> dict:
    errors = {}
    if email_editable and (not values["email"] or "@" not in values["email"] or len(values["email"]) > 254):
        errors["email"] = gettext("Enter a valid e-mail address.")
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name, "")) > limit:
            errors[name] = gettext("At most %(count)d characters.", count=limit)
    if values["title"] and values["title"] not in TITLES:
        errors["title"] = gettext("Choose a title from the list.")
    if values["language"] not in i18n.LANGUAGES:
        errors["language"] = gettext("Choose a language from the list.")
    if values["security_level"] not in ("1", "2", "3"):
        errors["security_level"] = gettext("Choose a level from the list.")
    return errors


def _payload(values: dict, email_editable: bool) -> dict:
    payload = {name: values[name] for name in FIELDS if name not in ("email", "security_level")}
    payload.update(title=values["title"] or None, security_level=int(values["security_level"]))
    if email_editable:
        payload["email"] = values["email"]
    return payload


def _companies() -> list:
    if not rights.is_supervisor(visitor.current_user()):
        return []
    return (calls.optional("/identity/companies") or {}).get("items") or []


def _render(values, errors, user=None, status=200):
    return render_template("administration/user_form.html", values=values, errors=errors, user=user, titles=TITLES,
                           level_options=[(str(level), text) for level, text in LEVELS.items()],
                           max_lengths=MAX_LENGTHS, companies=_companies() if user is None else [],
                           statuses=STATUSES, back=back_to_list()), status


def _refusal(status, body, user=None):
    code = calls.error_code(body)
    if status == 409 and code == "user_exists":
        return {"email": gettext("A user with this e-mail address already exists.")}
    if status == 409:
        return {"email": gettext("This address is already used by an account.")}
    if status == 400:
        return refused_fields(body, FIELDS + ("company_id",))
    abort(404 if status == 404 else 503)


@bp.route(LIST_PATH + "/new", methods=["GET", "POST"])
@administrator_page
def create():
    """Add a user: identity mails the activation link."""
    if request.method == "GET":
        values = {name: "" for name in FIELDS + ("company_id",)}
        # "Add a user" of the associates screen names the associate it acts on.
        values.update(language=visitor.current_user().language or "en", security_level="2",
                      company_id=(request.args.get("company") or "")[:32])
        return _render(values, {})
    values = _values(request.form)
    errors = _check(values, email_editable=True)
    if errors:
        return _render(values, errors, status=400)
    payload = _payload(values, email_editable=True)
    if values["company_id"]:
        payload["company_id"] = values["company_id"]
    status, body = calls.identity("POST", "/identity/users", json=payload)
    if status in (200, 201):
        return redirect(back_to_list(done="created"))
    return _render(values, _refusal(status, body), status=409 if status == 409 else 400)


@bp.route(LIST_PATH + "/<user_id>", methods=["GET", "POST"])
@administrator_page
def edit(user_id):
    """Modify a user; the address only while the account is not activated."""
    user = calls.fetch(_user_path(user_id))
    email_editable = user.get("status") != "active"
    if request.method == "GET":
        values = {name: "" if user.get(name) is None else str(user.get(name)) for name in FIELDS}
        return _render(values, {}, user)
    values = {**_values(request.form), "company_id": ""}
    if not email_editable:
        values["email"] = user.get("email") or ""
    errors = _check(values, email_editable)
    if errors:
        return _render(values, errors, user, 400)
    status, body = calls.identity("PATCH", _user_path(user_id), json=_payload(values, email_editable))
    if status == 200:
        return redirect(back_to_list(done="saved"))
    return _render(values, _refusal(status, body, user), user, 409 if status == 409 else 400)


@bp.route(LIST_PATH + "/<user_id>/delete", methods=["GET", "POST"])
@administrator_page
def delete(user_id):
    """Ask to confirm, then delete the user (identity mails them)."""
    user = calls.fetch(_user_path(user_id))
    error = None
    if request.method == "POST":
        status, body = calls.identity("DELETE", _user_path(user_id))
        if status in (200, 204):
            return redirect(back_to_list(done="deleted"))
        if status == 409 and calls.error_code(body) == "last_administrator":
            error = gettext("This user is the last administrator of the company and cannot be deleted.")
        elif status == 404:
            abort(404)
        else:
            abort(503)
    return render_template("administration/user_delete.html", user=user, error=error, back=back_to_list()), 409 if error else 200
