"""Operators' routes on identifier changes (``/api/operator/identifier-changes``): the queue, and
the decision on each."""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import identifier_changes
from .serialization_api import change_page, signing_ring
from .serialization_schemas import ChangePage, ChangeQuery, DecisionIn, IdentifierChangeSchema

blp = Blueprint("operator-identifier-changes", __name__, url_prefix="/operator",
                description="Operators' decisions on identifier changes")


@blp.route("/identifier-changes", methods=["GET"])
@operator_only
@blp.arguments(ChangeQuery, location="query")
@blp.response(200, ChangePage)
def list_changes(query):
    """Identifier changes, newest first (``status=pending`` for the ones to decide)."""
    return change_page(*identifier_changes.list_changes(db_session(), query))


@blp.route("/identifier-changes/<change_id>", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.response(200, IdentifierChangeSchema)
def show(change_id):
    """Read one identifier change."""
    return _one(identifier_changes.find(db_session(), change_id))


@blp.route("/identifier-changes/<change_id>/approve", methods=["POST"])
@blp.refuses(400, 404, 409)
@operator_only
@blp.arguments(DecisionIn, required=False)
@blp.response(200, IdentifierChangeSchema)
def approve(data, change_id):
    """Approve: the holdings' codes are revoked, their identifier changed, new codes issued."""
    return _one(identifier_changes.approve(db_session(), signing_ring(), change_id, caller().user_id,
                                           (data or {}).get("reason")))


@blp.route("/identifier-changes/<change_id>/refuse", methods=["POST"])
@blp.refuses(400, 404, 409)
@operator_only
@blp.arguments(DecisionIn, required=False)
@blp.response(200, IdentifierChangeSchema)
def refuse(data, change_id):
    """Refuse: nothing changes; the requester is told."""
    return _one(identifier_changes.refuse(db_session(), change_id, caller().user_id, (data or {}).get("reason")))


def _one(change) -> dict:
    return change_page([change], 1)["items"][0]
