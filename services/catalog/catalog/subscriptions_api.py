"""Routes of subscriptions (``/api/catalog/subscriptions``): "My services", subscribing, unsubscribing,
renewal requests."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import my_services, subscriptions
from .schemas import SubscriptionIn, SubscriptionPage, SubscriptionQuery, SubscriptionState

blp = Blueprint("subscriptions", __name__, url_prefix="/catalog", description="Users' subscriptions to services")


@blp.route("/subscriptions", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.arguments(SubscriptionQuery, location="query")
@blp.response(200, SubscriptionPage)
def list_subscriptions(query):
    """List a user's subscriptions (the caller's, or one an administrator names), newest first."""
    items, total = my_services.subscriptions_of(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/subscriptions", methods=["POST"])
@blp.refuses(404, 409)
@signed_in
@blp.arguments(SubscriptionIn)
@blp.response(201, SubscriptionState)
def subscribe(data):
    """Subscribe oneself (accepted, or pending validation), or, as an administrator, a user directly."""
    return subscriptions.subscribe(db_session(), caller(), data)


@blp.route("/subscriptions/<subscription_id>", methods=["DELETE"])
@signed_in
@blp.response(204)
def unsubscribe(subscription_id):
    """Cancel a subscription: one's own, or, as an administrator, a user's."""
    subscriptions.unsubscribe(db_session(), caller(), subscription_id)


@blp.route("/subscriptions/<subscription_id>/renewal", methods=["POST"])
@blp.refuses(409)
@signed_in
@blp.response(200, SubscriptionState)
def request_renewal(subscription_id):
    """Ask the administrators to keep a subscription past its expiry date."""
    return subscriptions.request_renewal(db_session(), caller(), subscription_id)
