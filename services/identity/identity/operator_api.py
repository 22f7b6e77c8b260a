"""Routes of the vendor's operators (``/api/operator/...``): client companies and their associates."""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import companies
from .schemas import AssociateIn, CompanyCreated, CompanyIn, CompanySchema
from .settings import IdentitySettings

blp = Blueprint("operator", __name__, url_prefix="/operator", description="Operators' administration of client companies")


@blp.route("/companies", methods=["POST"])
@blp.refuses(404, 409)
@operator_only
@blp.arguments(CompanyIn)
@blp.response(201, CompanyCreated)
def register_company(data):
    """Register a client company and mail its administrator an activation link."""
    company, administrator, _token = companies.register_company(db_session(), IdentitySettings.load(), caller(), data)
    return {"company": company, "administrator": administrator}


@blp.route("/companies/<company_id>/associates", methods=["POST"])
@blp.refuses(409)
@operator_only
@blp.arguments(AssociateIn)
@blp.response(201, CompanySchema)
def link_associate(data, company_id):
    """Link a third-party associate (subsidiary, shop, indirect customer) under a company."""
    return companies.link_associate(db_session(), caller(), company_id, data["company_id"])
