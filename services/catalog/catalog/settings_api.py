"""Routes of a company's choices per service (``/api/catalog/settings/services/<id>``)."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import company_settings
from .schemas import CompanySettingIn, CompanySettingQuery, CompanySettingSchema

blp = Blueprint("settings", __name__, url_prefix="/catalog", description="Companies' choices per service")


@blp.route("/settings/services/<service_id>", methods=["PUT"])
@blp.refuses(409)
@signed_in
@blp.arguments(CompanySettingIn)
@blp.response(200, CompanySettingSchema)
def save(data, service_id):
    """Choose, for one's company, whether a service is automatic and whether it needs validation."""
    return company_settings.save(db_session(), caller(), service_id, data)


@blp.route("/settings/services/<service_id>", methods=["DELETE"])
@signed_in
@blp.arguments(CompanySettingQuery, location="query")
@blp.response(204)
def reset(query, service_id):
    """Drop the company's choice: the service's defaults hold again."""
    company_settings.reset(db_session(), caller(), service_id, query["company_id"])
