"""Routes of signing in, activating an account and recovering a password (``/api/auth/...``)."""
import functools

from flask import Response, request

from portalkit.errors import not_found
from portalkit.web import Blueprint, caller, database, db_session

from . import accounts, password_policy, recovery, signin, tokens
from .schemas import (ActivationIn, CredentialsIn, ForgottenIn, PasswordRulesOut, ResetIn, ResetProfile,
                      SignInOut, UserSchema)
from .settings import IdentitySettings

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Sign-in checks, activation, password recovery")
# The document is read through the gateway, which answers POST /api/auth/login itself after this
# check (gateway/gateway/auth.py): what it documents is the gateway's answer, the session's token.
_SESSION = {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}
SIGN_IN_ANSWERS = {
    200: {"description": "Signed in: the bearer token, its expiry and the user",
          "content": {"application/json": {"schema": {
              "type": "object", "required": ["token", "expires_at", "user"],
              "properties": {**_SESSION, "user": {"$ref": "#/components/schemas/User"}}}}}},
    403: {"description": "password_expired: a token usable only to change the password (or another refusal)",
          "content": {"application/json": {"schema": {
              "type": "object", "required": ["error"],
              "properties": {**_SESSION, "error": {"$ref": "#/components/schemas/ErrorDetail"}}}}}},
}


@blp.route("/login", methods=["POST"])
@blp.refuses(401, 423)
@blp.throttled
@blp.doc(responses=SIGN_IN_ANSWERS)
@blp.arguments(CredentialsIn)
@blp.response(200, SignInOut)
def login(credentials):
    """Check credentials for the gateway, which then opens the session."""
    settings = IdentitySettings.load()
    ip_address = caller().client_ip or request.remote_addr or ""
    user = signin.check_credentials(database(), settings, credentials["email"], credentials["password"],
                                    ip_address, request.headers.get("User-Agent", ""))
    return {"user": user, "password_expired": signin.password_expired(settings, user)}


def link_in_force(purpose: str):
    """Answer 410 for a used or expired link before the body is read: whatever it holds, the
    link is what the caller must hear about."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            tokens.find_usable(db_session(), kwargs["token"], purpose)
            return view(*args, **kwargs)
        return wrapper
    return decorator


@blp.route("/activation/<token>", methods=["GET"])
@blp.refuses(410)
@blp.throttled
@blp.response(200, UserSchema)
def activation_profile(token):
    """Show the prefilled profile of the account this link activates."""
    return accounts.activation_profile(db_session(), token)


@blp.route("/activation/<token>", methods=["POST"])
@blp.refuses(410)
@blp.password_rules_checked
@blp.throttled
@link_in_force("activation")
@blp.arguments(ActivationIn)
@blp.response(200, UserSchema)
def activate(profile, token):
    """Complete the three activation steps; the account can sign in at once."""
    return accounts.activate(db_session(), IdentitySettings.load(), token, profile)


@blp.route("/password-rules/<int:level>", methods=["GET"])
@blp.response(200, PasswordRulesOut)
def password_rules(level):
    """List the codes of the rules a new password must meet at a security level (1, 2, 3)."""
    if level not in password_policy.MIN_LENGTH:
        raise not_found("security level")
    return {"security_level": level, "rules": password_policy.rules_for(level)}


@blp.route("/password/forgot", methods=["POST"])
@blp.throttled
@blp.arguments(ForgottenIn)
@blp.response(202)
def forgot_password(data):
    """Mail a reset link if the address has an account; the answer is the same either way."""
    recovery.request_reset(db_session(), IdentitySettings.load(), data["email"])
    return Response(status=202)


@blp.route("/password/reset/<token>", methods=["GET"])
@blp.refuses(410)
@blp.throttled
@blp.response(200, ResetProfile)
def reset_profile(token):
    """Show whose password a valid reset link sets (for the page's rules); 410 if used or expired."""
    return recovery.reset_profile(db_session(), token)


@blp.route("/password/reset", methods=["POST"])
@blp.refuses(410)
@blp.password_rules_checked
@blp.throttled
@blp.arguments(ResetIn)
@blp.response(204)
def reset_password(data):
    """Set a new password with a reset link; every session of the user ends."""
    recovery.reset(db_session(), IdentitySettings.load(), data["token"], data["password"])
    return ""
