"""Routes of signing in and activating an account (``/api/auth/...`` through the gateway)."""
from flask import request

from portalkit.web import Blueprint, caller, db_session

from . import accounts
from .schemas import ActivationIn, CredentialsIn, SignInOut, UserSchema
from .settings import IdentitySettings

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Sign-in checks and account activation")


@blp.route("/login", methods=["POST"])
@blp.arguments(CredentialsIn)
@blp.response(200, SignInOut)
def login(credentials):
    """Check credentials for the gateway, which then opens the session."""
    ip_address = caller().client_ip or request.remote_addr or ""
    user = accounts.check_credentials(db_session(), IdentitySettings.load(), credentials["email"],
                                      credentials["password"], ip_address,
                                      request.headers.get("User-Agent", ""))
    return {"user": user, "password_expired": accounts.password_expired(IdentitySettings.load(), user)}


@blp.route("/activation/<token>", methods=["GET"])
@blp.response(200, UserSchema)
def activation_profile(token):
    """Show the prefilled profile of the account this link activates."""
    return accounts.activation_profile(db_session(), token)


@blp.route("/activation/<token>", methods=["POST"])
@blp.arguments(ActivationIn)
@blp.response(200, UserSchema)
def activate(profile, token):
    """Complete the three activation steps; the account can sign in at once."""
    return accounts.activate(db_session(), token, profile)
