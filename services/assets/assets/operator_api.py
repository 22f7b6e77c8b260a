"""Routes of the vendor's operators on contracts (``/api/operator/contracts``)."""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import contracts
from .schemas import ContractEndIn, ContractIn, ContractPage, ContractQuery, ContractSchema

blp = Blueprint("operator-contracts", __name__, url_prefix="/operator",
                description="Operators' records of maintenance contracts")


@blp.route("/contracts", methods=["GET"])
@operator_only
@blp.arguments(ContractQuery, location="query")
@blp.response(200, ContractPage)
def list_contracts(query):
    """List contracts, newest first (``company_id`` narrows to one company)."""
    items, total = contracts.list_contracts(db_session(), query)
    return {"items": items, "total": total}


@blp.route("/contracts", methods=["POST"])
@blp.refuses(400)
@operator_only
@blp.arguments(ContractIn)
@blp.response(201, ContractSchema)
def record(data):
    """Record a company's maintenance contract; it is announced on its first day."""
    return contracts.record(db_session(), data, caller().user_id)


@blp.route("/contracts/<contract_id>", methods=["GET"])
@operator_only
@blp.response(200, ContractSchema)
def show(contract_id):
    """Read one contract."""
    return contracts.find(db_session(), contract_id)


@blp.route("/contracts/<contract_id>/end", methods=["POST"])
@blp.refuses(400, 404, 409)
@operator_only
@blp.arguments(ContractEndIn, required=False)
@blp.response(200, ContractSchema)
def end(data, contract_id):
    """End a contract today, or on the last day ``ends_on`` (today or later); the services needing
    one end for the company's users when it has ended."""
    return contracts.end(db_session(), contract_id, (data or {}).get("ends_on"), caller().user_id)
