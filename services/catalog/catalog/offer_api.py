"""Routes of the offer (``/api/catalog/services``): the services one may still subscribe to."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import offer
from .schemas import OfferQuery, ServicePage

blp = Blueprint("services", __name__, url_prefix="/catalog", description="The catalog of services")


@blp.route("/services", methods=["GET"])
@signed_in
@blp.arguments(OfferQuery, location="query")
@blp.response(200, ServicePage)
def list_services(query):
    """List the services the caller may still subscribe to, in their language."""
    items, total = offer.list_offer(db_session(), caller(), query)
    return {"items": items, "total": total}
