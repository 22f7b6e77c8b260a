"""Routes of the vendor's operators on contracts (``/api/operator/contracts``)."""
from portalkit.web import Blueprint, db_session, operator_only

from . import contracts
from .schemas import ContractIn, ContractPage, ContractQuery, ContractSchema

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
@operator_only
@blp.arguments(ContractIn)
@blp.response(201, ContractSchema)
def record(data):
    """Record a company's maintenance contract; it is announced on its first day."""
    return contracts.record(db_session(), data)


@blp.route("/contracts/<contract_id>", methods=["GET"])
@operator_only
@blp.response(200, ContractSchema)
def show(contract_id):
    """Read one contract."""
    return contracts.find(db_session(), contract_id)


@blp.route("/contracts/<contract_id>/end", methods=["POST"])
@blp.refuses(409)
@operator_only
@blp.response(200, ContractSchema)
def end(contract_id):
    """End a contract today; the services needing one end for the company's users."""
    return contracts.end(db_session(), contract_id)
