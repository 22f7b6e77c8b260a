"""Routes of one's own subscriptions (``/api/catalog/subscriptions``)."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import subscriptions
from .schemas import SubscriptionCreated, SubscriptionIn, SubscriptionPage, SubscriptionQuery

blp = Blueprint("subscriptions", __name__, url_prefix="/catalog", description="Users' subscriptions to services")


@blp.route("/subscriptions", methods=["GET"])
@signed_in
@blp.arguments(SubscriptionQuery, location="query")
@blp.response(200, SubscriptionPage)
def list_subscriptions(query):
    """List the caller's subscriptions, newest first."""
    items, total = subscriptions.my_subscriptions(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/subscriptions", methods=["POST"])
@signed_in
@blp.arguments(SubscriptionIn)
@blp.response(201, SubscriptionCreated)
def subscribe(data):
    """Subscribe to a service: accepted at once, or pending an administrator's validation."""
    return subscriptions.subscribe(db_session(), caller(), data["service_id"])


@blp.route("/subscriptions/<subscription_id>", methods=["DELETE"])
@signed_in
@blp.response(204)
def unsubscribe(subscription_id):
    """Cancel one of one's own subscriptions."""
    subscriptions.unsubscribe(db_session(), caller(), subscription_id)
