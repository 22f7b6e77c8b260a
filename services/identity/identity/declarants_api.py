"""Routes of declarant accounts: the operators' (``/operator/declarants``), a company's
administrators' for the companies they administer (``/identity/declarants``), and the declarative
sign-in's own (``/auth/declarative/...``: the gateway opens the session after the check)."""
from flask import Response, request

from portalkit.errors import PortalError
from portalkit.web import Blueprint, caller, database, db_session, operator_only

from . import declarants, declarative_signin
from .access import administered_companies, administrator
from .declarant_schemas import (DeclarantIn, DeclarantPage, DeclarantQuery, DeclarantSchema, DeclarativeCredentialsIn,
                                DeclarativeSignInOut, ForgottenLoginIn, PasswordIn, PasswordLinkProfile,
                                SignedInDeclarant)
from .schemas import PageQuery, SignInAuditPage
from .settings import IdentitySettings

operator_blp = Blueprint("operator_declarants", __name__, url_prefix="/operator",
                         description="Operators' declarant accounts of the Etafi declarative portal")
blp = Blueprint("declarants", __name__, url_prefix="/identity",
                description="A company administrator's declarant accounts of the Etafi declarative portal")
auth_blp = Blueprint("declarative_auth", __name__, url_prefix="/auth/declarative",
                     description="The Etafi declarative portal's own sign-in and password links")
DECLARANT = "<declarant_id>"
# A link's token is never the forgotten-password form's path (portalkit.routing).
LINK = '<other_than("forgot"):token>'


def _register(bp: Blueprint, guard, companies) -> None:
    """The same five routes for operators (every company) and administrators (theirs)."""
    name = bp.name

    @bp.route("/declarants", methods=["GET"], endpoint=f"{name}_list")
    @guard
    @bp.arguments(DeclarantQuery, location="query")
    @bp.response(200, DeclarantPage)
    def list_declarants(query):
        """List declarant accounts, found by login, name or e-mail, role and status."""
        items, total = declarants.listed(db_session(), companies(), query)
        return {"items": items, "total": total}

    @bp.route("/declarants", methods=["POST"], endpoint=f"{name}_issue")
    @bp.refuses(404, 409)
    @guard
    @bp.arguments(DeclarantIn)
    @bp.response(201, DeclarantSchema)
    def issue_declarant(data):
        """Issue a declarant account; its holder is mailed the link that sets the password."""
        return declarants.issue(db_session(), IdentitySettings.load(), caller(), companies(), data)

    @bp.route(f"/declarants/{DECLARANT}", methods=["GET"], endpoint=f"{name}_read")
    @bp.refuses(404)
    @guard
    @bp.response(200, DeclarantSchema)
    def read_declarant(declarant_id):
        """A declarant account (404 for another company's)."""
        return declarants.one(db_session(), companies(), declarant_id)

    @bp.route(f"/declarants/{DECLARANT}/revoke", methods=["POST"], endpoint=f"{name}_revoke")
    @bp.refuses(404, 409)
    @guard
    @bp.response(200, DeclarantSchema)
    def revoke_declarant(declarant_id):
        """Revoke an account: no more sign-in, its sessions end at once."""
        return declarants.revoke(db_session(), caller(), companies(), declarant_id)

    @bp.route(f"/declarants/{DECLARANT}/reset", methods=["POST"], endpoint=f"{name}_reset")
    @bp.refuses(404, 409)
    @guard
    @bp.response(202, DeclarantSchema)
    def reset_declarant(declarant_id):
        """Mail the holder a new password link."""
        return declarants.reset(db_session(), IdentitySettings.load(), caller(), companies(), declarant_id)


_register(operator_blp, operator_only, lambda: None)
_register(blp, administrator, lambda: administered_companies(db_session(), caller()))


@auth_blp.route("/login", methods=["POST"])
@auth_blp.refuses(401, 423)
@auth_blp.throttled
@auth_blp.arguments(DeclarativeCredentialsIn)
@auth_blp.response(200, DeclarativeSignInOut)
def login(credentials):
    """Check a declarant's credentials for the gateway, which then opens the declarative session."""
    declarant = declarative_signin.check_credentials(
        database(), IdentitySettings.load(), credentials["login"], credentials["password"],
        caller().client_ip or request.remote_addr or "", request.headers.get("User-Agent", ""))
    with database().read_sessions() as session:
        entities = declarants.entities(session, declarant)
    declarant.entities = entities
    return {"declarant": declarant}


def _declarative_caller():
    identity = caller()
    if not identity.signed_in or identity.scope != declarative_signin.DECLARATIVE_SCOPE:
        raise PortalError(401, "declarative_sign_in_required", "Sign in to the declarative portal first.")
    return identity


@auth_blp.route("/me", methods=["GET"])
@auth_blp.refuses(401)
@auth_blp.response(200, SignedInDeclarant)
def me():
    """The signed-in declarant, with the entities their session works on."""
    identity = _declarative_caller()
    declarant = declarants.one(db_session(), None, identity.user_id or "")
    # The entities as the tree stands now (declarations derives the session's scope the same way).
    declarant.entities = declarants.entities(db_session(), declarant)
    return declarant


@auth_blp.route("/audits", methods=["GET"])
@auth_blp.refuses(401)
@auth_blp.arguments(PageQuery, location="query")
@auth_blp.response(200, SignInAuditPage)
def audits(query):
    """List the declarant's own declarative sign-ins, failures included, newest first."""
    items, total = declarative_signin.history(db_session(), _declarative_caller(), query["page"], query["per_page"])
    return {"items": items, "total": total}


@auth_blp.route(f"/password/{LINK}", methods=["GET"])
@auth_blp.refuses(410)
@auth_blp.throttled
@auth_blp.response(200, PasswordLinkProfile)
def password_link(token):
    """Show whose password a valid link sets (for the page's rules); 410 if used or expired."""
    return declarative_signin.link_holder(db_session(), token)


@auth_blp.route(f"/password/{LINK}", methods=["POST"])
@auth_blp.refuses(410)
@auth_blp.password_rules_checked
@auth_blp.throttled
@auth_blp.arguments(PasswordIn)
@auth_blp.response(204)
def set_password(data, token):
    """Set the password with a mailed link (the strong level's rules); its sessions end."""
    declarative_signin.set_password(db_session(), token, data["password"])
    return ""


@auth_blp.route("/password/forgot", methods=["POST"])
@auth_blp.throttled
@auth_blp.arguments(ForgottenLoginIn)
@auth_blp.response(202)
def forgot_password(data):
    """Mail a new password link to the account's holder; the same answer either way."""
    declarative_signin.request_reset(db_session(), IdentitySettings.load(), data["login"])
    return Response(status=202)
