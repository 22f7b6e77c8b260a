"""Routes of the catalog's listings: a user's offer (``/api/catalog/services``) and the
administrators' company catalog with its counts (``/api/catalog/company-catalog``)."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import company_catalog, offer
from .schemas import CompanyCatalogQuery, CompanyServicePage, OfferQuery, ServicePage

blp = Blueprint("services", __name__, url_prefix="/catalog", description="The catalog of services")


@blp.route("/services", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.arguments(OfferQuery, location="query")
@blp.response(200, ServicePage)
def list_services(query):
    """List the services a user (the caller, or one an administrator names) may still subscribe to."""
    items, total = offer.list_offer(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/company-catalog", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.arguments(CompanyCatalogQuery, location="query")
@blp.response(200, CompanyServicePage)
def list_company_catalog(query):
    """List the services offered to a company the caller administers, with how many users hold each."""
    items, total = company_catalog.company_catalog(db_session(), caller(), query)
    return {"items": items, "total": total}
