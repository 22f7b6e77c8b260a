"""Routes of the validation queue (``/api/catalog/requests``): list, accept, refuse."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import requests
from .schemas import AcceptIn, RefuseIn, RequestPage, RequestQuery, SubscriptionState

blp = Blueprint("requests", __name__, url_prefix="/catalog", description="Requests waiting for an administrator")


@blp.route("/requests", methods=["GET"])
@signed_in
@blp.arguments(RequestQuery, location="query")
@blp.response(200, RequestPage)
def list_requests(query):
    """List the requests the caller may decide, oldest first."""
    items, total = requests.waiting_requests(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/requests/<request_id>/accept", methods=["POST"])
@blp.refuses(409)
@signed_in
@blp.arguments(AcceptIn)
@blp.response(200, SubscriptionState)
def accept(data, request_id):
    """Accept a request, with an optional expiry date; the requester is told."""
    return requests.accept(db_session(), caller(), request_id, data["expires_on"])


@blp.route("/requests/<request_id>/refuse", methods=["POST"])
@blp.refuses(409)
@signed_in
@blp.arguments(RefuseIn)
@blp.response(200, SubscriptionState)
def refuse(data, request_id):
    """Refuse a request, with an optional reason; the requester is told."""
    return requests.refuse(db_session(), caller(), request_id, data["reason"])
