"""Routes of the vendor's operators on the catalog (``/api/operator/services``)."""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import operators
from .operator_schemas import OperatorService, OperatorServicePage, OperatorServiceQuery, ServiceEdit, ServiceIn

blp = Blueprint("operator-services", __name__, url_prefix="/operator", description="Operators' edits of the catalog")


@blp.route("/services", methods=["GET"])
@operator_only
@blp.arguments(OperatorServiceQuery, location="query")
@blp.response(200, OperatorServicePage)
def list_services(query):
    """List the catalog's services in both languages (retired ones with ``retired=true``)."""
    items, total = operators.list_services(db_session(), query)
    return {"items": items, "total": total}


@blp.route("/services", methods=["POST"])
@blp.refuses(409)
@operator_only
@blp.arguments(ServiceIn)
@blp.response(201, OperatorService)
def create(data):
    """Add a service to the catalog and announce it."""
    return operators.create_service(db_session(), data, caller().user_id)


@blp.route("/services/<service_id>", methods=["GET"])
@operator_only
@blp.response(200, OperatorService)
def show(service_id):
    """Read one service in both languages."""
    return operators.find(db_session(), service_id)


@blp.route("/services/<service_id>", methods=["PATCH"])
@blp.refuses(409)
@operator_only
@blp.arguments(ServiceEdit)
@blp.response(200, OperatorService)
def edit(data, service_id):
    """Change a service's texts or settings; rights it no longer allows end at once."""
    return operators.edit_service(db_session(), service_id, data, caller().user_id)


@blp.route("/services/<service_id>/retire", methods=["POST"])
@blp.refuses(409)
@operator_only
@blp.response(200, OperatorService)
def retire(service_id):
    """Withdraw a service from the catalog; every subscription to it ends."""
    return operators.retire_service(db_session(), service_id, caller().user_id)
