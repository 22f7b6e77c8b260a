"""Routes of one's own account (``/api/identity/me...``) and of the company's administrators."""
from flask import Response, request

from portalkit.web import Blueprint, caller, db_session, signed_in

from . import directory, profile, signin
from .access import signed_in_or_renewing
from .schemas import (AdministratorList, EmailChangeIn, PageQuery, PasswordChangeIn, ProfileIn, ResetProfile,
                      SignInAuditPage, UserSchema)
from .settings import IdentitySettings

blp = Blueprint("profile", __name__, url_prefix="/identity", description="One's own account")


@blp.route("/me", methods=["GET"])
@signed_in
@blp.response(200, UserSchema)
def me():
    """Show one's own profile."""
    return directory.me(db_session(), caller())


@blp.route("/me", methods=["PATCH"])
@signed_in
@blp.arguments(ProfileIn)
@blp.response(200, UserSchema)
def update_me(changes):
    """Change one's own names, language, function and phones."""
    return profile.update_me(db_session(), caller(), changes)


@blp.route("/me/password", methods=["POST"])
@blp.refuses(423)
@blp.password_rules_checked
@signed_in_or_renewing
@blp.arguments(PasswordChangeIn)
@blp.response(204)
def change_password(data):
    """Set a new password (also from a session opened for an expired one); other sessions end."""
    profile.change_password(db_session(), IdentitySettings.load(), caller(), data["current_password"],
                            data["new_password"], request.headers.get("User-Agent", ""))
    return ""


@blp.route("/me/password-profile", methods=["GET"])
@signed_in_or_renewing
@blp.response(200, ResetProfile)
def my_password_profile():
    """Show whose password a session changes and at which level (also for an expired one's renewal)."""
    return directory.me(db_session(), caller())


@blp.route("/me/email", methods=["POST"])
@blp.refuses(409)
@signed_in
@blp.arguments(EmailChangeIn)
@blp.response(202)
def request_email_change(data):
    """Mail a confirmation link to the new address; the old one stays the login until then."""
    profile.request_email_change(db_session(), IdentitySettings.load(), caller(), data["new_email"])
    return Response(status=202)


@blp.route("/email-change/<token>", methods=["POST"])
@blp.refuses(409, 410)
@blp.response(204)
def confirm_email_change(token):
    """Confirm a new address with the mailed link; it is the login from then on."""
    profile.confirm_email_change(db_session(), token)
    return ""


@blp.route("/me/audits", methods=["GET"])
@signed_in
@blp.arguments(PageQuery, location="query")
@blp.response(200, SignInAuditPage)
def my_audits(query):
    """List one's own sign-ins, failures included, newest first."""
    items, total = signin.history(db_session(), caller(), query["page"], query["per_page"])
    return {"items": items, "total": total}


@blp.route("/administrators", methods=["GET"])
@signed_in
@blp.response(200, AdministratorList)
def administrators():
    """List who administers one's company (its administrators, then supervisors above it)."""
    administrators = directory.administrators(db_session(), caller())
    return {"items": administrators, "total": len(administrators)}
