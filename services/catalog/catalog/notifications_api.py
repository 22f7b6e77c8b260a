"""Route of one's notifications (``/api/catalog/notifications``): the page that switches each on or off."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import notifications
from .schemas import NotificationList

blp = Blueprint("notifications", __name__, url_prefix="/catalog", description="One's notifications")


@blp.route("/notifications", methods=["GET"])
@blp.refuses(409)
@signed_in
@blp.response(200, NotificationList)
def list_notifications():
    """List one's "Notification on …" and "Receive …" services, each with one's live subscription."""
    items = notifications.notifications_of(db_session(), caller())
    return {"items": items, "total": len(items)}
