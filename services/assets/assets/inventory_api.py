"""Route of "Your IT assets" (``GET /api/assets/inventory``): every user of a company, and its
associates' supervisors."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import inventory
from .inventory_access import chosen_companies
from .inventory_schemas import InventoryPage, InventoryQuery

blp = Blueprint("inventory", __name__, url_prefix="/assets", description="A company's IT assets")


@blp.route("/inventory", methods=["GET"])
@blp.refuses(400, 404)
@signed_in
@blp.arguments(InventoryQuery, location="query")
@blp.response(200, InventoryPage)
def list_inventory(query):
    """List the company's holdings (and the supervised associates'), filtered by kind, contract, machine."""
    session, identity = db_session(), caller()
    companies = chosen_companies(session, identity, query.get("company"))
    items, total = inventory.list_inventory(session, companies, query, identity.language)
    return {"items": items, "total": total}
