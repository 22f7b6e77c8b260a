"""Routes of access requests: anyone files one (``POST /api/auth/access-requests``, 202 whatever
it names); a company's administrators decide theirs (``/api/identity/access-requests``), the
vendor's operators any (``/api/operator/access-requests``)."""
from flask import Response

from portalkit.web import Blueprint, caller, db_session, operator_only

from . import access_requests
from .access import administrator
from .contacts_schemas import (AcceptIn, AccessRequestIn, AccessRequestPage, AccessRequestQuery, AccessRequestSchema,
                               OperatorAcceptIn, OperatorAccessRequestQuery, RefuseIn)
from .settings import IdentitySettings

public_blp = Blueprint("access_request_filing", __name__, url_prefix="/auth",
                       description="Asking for an account without any credentials")
blp = Blueprint("access_requests", __name__, url_prefix="/identity",
                description="The company administrator's access requests")
operator_blp = Blueprint("operator_access_requests", __name__, url_prefix="/operator",
                         description="Operators' decisions on access requests")


@public_blp.route("/access-requests", methods=["POST"])
@public_blp.throttled
@public_blp.arguments(AccessRequestIn)
@public_blp.response(202)
def file_request(data):
    """Ask for an account; the answer never says whether the address or the company is known."""
    access_requests.file_request(db_session(), data, caller().language)
    return Response(status=202)


@blp.route("/access-requests", methods=["GET"])
@administrator
@blp.arguments(AccessRequestQuery, location="query")
@blp.response(200, AccessRequestPage)
def list_requests(query):
    """List the access requests waiting for a decision in the companies the caller administers."""
    items, total = access_requests.list_pending(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/access-requests/<request_id>/accept", methods=["POST"])
@blp.refuses(404, 409)
@administrator
@blp.arguments(AcceptIn)
@blp.response(200, AccessRequestSchema)
def accept(data, request_id):
    """Create the requester's account in the company; the activation mail follows."""
    return access_requests.accept(db_session(), IdentitySettings.load(), caller(), request_id, data)


@blp.route("/access-requests/<request_id>/refuse", methods=["POST"])
@blp.refuses(404, 409)
@administrator
@blp.arguments(RefuseIn)
@blp.response(200, AccessRequestSchema)
def refuse(data, request_id):
    """Refuse a request; the requester is mailed, with the reason if one is given."""
    return access_requests.refuse(db_session(), caller(), request_id, data.get("reason"))


@operator_blp.route("/access-requests", methods=["GET"])
@operator_only
@operator_blp.arguments(OperatorAccessRequestQuery, location="query")
@operator_blp.response(200, AccessRequestPage)
def operator_list(query):
    """List every access request waiting for a decision (operators)."""
    items, total = access_requests.list_pending(db_session(), caller(), query)
    return {"items": items, "total": total}


@operator_blp.route("/access-requests/<request_id>/accept", methods=["POST"])
@operator_blp.refuses(404, 409)
@operator_only
@operator_blp.arguments(OperatorAcceptIn)
@operator_blp.response(200, AccessRequestSchema)
def operator_accept(data, request_id):
    """Create the requester's account, in the company named (required when none was found)."""
    return access_requests.accept(db_session(), IdentitySettings.load(), caller(), request_id, data)


@operator_blp.route("/access-requests/<request_id>/refuse", methods=["POST"])
@operator_blp.refuses(404, 409)
@operator_only
@operator_blp.arguments(RefuseIn)
@operator_blp.response(200, AccessRequestSchema)
def operator_refuse(data, request_id):
    """Refuse a request; the requester is mailed, with the reason if one is given."""
    return access_requests.refuse(db_session(), caller(), request_id, data.get("reason"))
