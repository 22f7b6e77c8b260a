"""Routes of the vendor's operators on companies' holdings (``/api/operator/holdings``)."""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import holdings
from .holding_schemas import HoldingEdit, HoldingIn, HoldingPage, HoldingQuery, HoldingSchema

blp = Blueprint("operator-holdings", __name__, url_prefix="/operator",
                description="Operators' records of what each company holds")


@blp.route("/holdings", methods=["GET"])
@operator_only
@blp.arguments(HoldingQuery, location="query")
@blp.response(200, HoldingPage)
def list_holdings(query):
    """List holdings, oldest first (``company_id``, ``product_id`` narrow; ``removed=true`` adds the removed)."""
    items, total = holdings.list_holdings(db_session(), query)
    return {"items": items, "total": total}


@blp.route("/holdings", methods=["POST"])
@blp.refuses(400)
@operator_only
@blp.arguments(HoldingIn)
@blp.response(201, HoldingSchema)
def record(data):
    """Record a company's holding of a product (400 for an unknown company or a retired product)."""
    return holdings.record(db_session(), data, caller().user_id)


@blp.route("/holdings/<holding_id>", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.response(200, HoldingSchema)
def show(holding_id):
    """Read one holding."""
    session = db_session()
    return holdings.view(session, holdings.find(session, holding_id))


@blp.route("/holdings/<holding_id>", methods=["PATCH"])
@blp.refuses(400, 404, 409)
@operator_only
@blp.arguments(HoldingEdit)
@blp.response(200, HoldingSchema)
def edit(data, holding_id):
    """Change a holding's quantity or machine (409 ``identifier_set`` once a live code is bound to it)."""
    return holdings.edit(db_session(), holding_id, data, caller().user_id)


@blp.route("/holdings/<holding_id>", methods=["DELETE"])
@blp.refuses(404, 409)
@operator_only
@blp.response(204)
def remove(holding_id):
    """Remove a holding (kept, marked removed: the codes issued for it stay explained)."""
    holdings.remove(db_session(), holding_id, caller().user_id)
