"""The public access request form: names, e-mail, company number or name, phone, message.

identity answers 202 whatever the form names, and so does this page: "sent" says nothing of
whether the address or the company is known. The gateway's throttle counts every request.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, i18n, space_blueprint

bp = space_blueprint("access_request_form", __name__)

FIELDS = {"first_name": 100, "last_name": 100, "email": 254, "company": 200, "phone": 40, "message": 2000}
REQUIRED = ("first_name", "last_name", "email", "company")
MISSING = {"first_name": lazy_gettext("Enter your first name."), "last_name": lazy_gettext("Enter your last name."),
           "email": lazy_gettext("Enter your e-mail address."),
           "company": lazy_gettext("Enter your company's number or name.")}
REFUSED = {"email": lazy_gettext("Enter a valid e-mail address."),
           "phone": lazy_gettext("Enter a phone number of at most 40 characters, on one line."),
           "message": lazy_gettext("Shorten the message to 2,000 characters."),
           "first_name": lazy_gettext("Enter your first name on one line."),
           "last_name": lazy_gettext("Enter your last name on one line."),
           "company": lazy_gettext("Enter your company's number or name on one line.")}


@bp.route("/access-request", methods=["GET"])
def form():
    """Ask for an account when you have no credentials at all."""
    return render_template("access/request_form.html", values={}, errors={})


@bp.route("/access-request", methods=["POST"])
def send():
    """Send the request; the page that follows is the same whatever it names."""
    values = {name: request.form.get(name, "").strip()[:limit * 2] for name, limit in FIELDS.items()}
    errors = {name: MISSING[name] for name in REQUIRED if not values[name]}
    errors.update({name: REFUSED[name] for name, limit in FIELDS.items()
                   if name not in errors and len(values[name]) > limit})
    if not errors and "@" not in values["email"]:
        errors["email"] = REFUSED["email"]
    if errors:
        return render_template("access/request_form.html", values=values, errors=errors), 400
    status, body = calls.identity("POST", "/auth/access-requests",
                                  json={**values, "language": i18n.current_language()})
    if status == 400:
        refused = {name: REFUSED.get(name, REFUSED["email"]) for name in calls.error_fields(body) if name in FIELDS}
        return render_template("access/request_form.html", values=values,
                               errors=refused or {"email": REFUSED["email"]}), 400
    if status != 202:
        abort(503)
    return render_template("message.html", success=True, title=gettext("Your request has been sent"), texts=[
        gettext("It goes to the people who may open an account for you at %(company)s. If they accept it, "
                "an e-mail will bring you the link to activate your account.", company=values["company"]),
        gettext("If you already have an account, look in your mailbox for how to sign in, or use "
                "the forgotten password page.")],
        action=("/login", gettext("Go to the sign-in page")))
