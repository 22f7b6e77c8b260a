"""Routes of the vendor's operators (``/api/operator/...``): client companies, their associates,
users and trail, and the operators themselves. Anyone but an operator gets 403."""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import back_office, companies, operators
from .administration_schemas import ActivationMailsOut, UserIdsIn
from .operator_schemas import (CompanyDetail, CompanyPage, CompanySearchQuery, CompanyTrailPage, CompanyTrailQuery,
                               CompanyUserQuery, OperatorIn, OperatorPage, OperatorSchema, UserPage)
from .schemas import AssociateIn, CompanyCreated, CompanyIn, CompanyPatch, CompanySchema, PageQuery, UserSchema
from .settings import IdentitySettings

blp = Blueprint("operator", __name__, url_prefix="/operator", description="Operators' administration of client companies")


@blp.route("/companies", methods=["GET"])
@operator_only
@blp.arguments(CompanySearchQuery, location="query")
@blp.response(200, CompanyPage)
def search_companies(query):
    """Find client companies by number, name, postcode or city (every word must match), by name."""
    items, total = back_office.search_companies(db_session(), query)
    return {"items": items, "total": total}


@blp.route("/companies", methods=["POST"])
@blp.refuses(404, 409)
@operator_only
@blp.arguments(CompanyIn)
@blp.response(201, CompanyCreated)
def register_company(data):
    """Register a client company and mail its administrator an activation link."""
    company, administrator, _token = companies.register_company(db_session(), IdentitySettings.load(), caller(), data)
    return {"company": company, "administrator": administrator}


@blp.route("/companies/<company_id>", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.response(200, CompanyDetail)
def show_company(company_id):
    """A company, the company it is an associate of, and its associates' tree."""
    return back_office.company_with_tree(db_session(), company_id)


@blp.route("/companies/<company_id>", methods=["PATCH"])
@blp.refuses(404, 409)
@operator_only
@blp.arguments(CompanyPatch)
@blp.response(200, CompanySchema)
def update_company(data, company_id):
    """Change a company's name, postcode, city or SIREN (400 ``invalid_siren``, 409 ``siren_taken``)."""
    return companies.update_company(db_session(), caller(), company_id, data)


@blp.route("/companies/<company_id>/associates", methods=["POST"])
@blp.refuses(409)
@operator_only
@blp.arguments(AssociateIn)
@blp.response(201, CompanySchema)
def link_associate(data, company_id):
    """Link a third-party associate (subsidiary, shop, indirect customer) under a company."""
    return companies.link_associate(db_session(), caller(), company_id, data["company_id"])


@blp.route("/companies/<company_id>/associates/<associate_id>", methods=["DELETE"])
@blp.refuses(404)
@operator_only
@blp.response(204)
def unlink_associate(company_id, associate_id):
    """Take a direct associate out from under the company; its supervision services end."""
    back_office.unlink_associate(db_session(), caller(), company_id, associate_id)
    return ""


@blp.route("/companies/<company_id>/users", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.arguments(CompanyUserQuery, location="query")
@blp.response(200, UserPage)
def company_users(query, company_id):
    """The company's users, found by name or e-mail, status and function."""
    items, total = back_office.company_users(db_session(), caller(), company_id, query)
    return {"items": items, "total": total}


@blp.route("/companies/<company_id>/users/activation-mails", methods=["POST"])
@blp.refuses(404)
@operator_only
@blp.arguments(UserIdsIn)
@blp.response(202, ActivationMailsOut)
def send_activation_mails(data, company_id):
    """Send a new activation mail to each not-yet-activated user of the selection."""
    return back_office.send_activation_mails(db_session(), IdentitySettings.load(), caller(), company_id,
                                             data["user_ids"])


@blp.route("/companies/<company_id>/users/<user_id>/unlock", methods=["POST"])
@blp.refuses(404, 409)
@operator_only
@blp.response(200, UserSchema)
def unlock_user(company_id, user_id):
    """Unlock an account locked after too many failed sign-ins (409 ``not_locked`` otherwise)."""
    return back_office.unlock_user(db_session(), caller(), company_id, user_id)


@blp.route("/companies/<company_id>/trail", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.arguments(CompanyTrailQuery, location="query")
@blp.response(200, CompanyTrailPage)
def company_trail(query, company_id):
    """The company's administration trail, newest first: its administrators' and operators' actions."""
    items, total = back_office.trail(db_session(), company_id, query)
    return {"items": items, "total": total}


@blp.route("/operators", methods=["GET"])
@operator_only
@blp.arguments(PageQuery, location="query")
@blp.response(200, OperatorPage)
def list_operators(query):
    """The vendor's operators, active ones first."""
    items, total = operators.list_operators(db_session(), query)
    return {"items": items, "total": total}


@blp.route("/operators", methods=["POST"])
@blp.refuses(409)
@operator_only
@blp.arguments(OperatorIn)
@blp.response(201, OperatorSchema)
def create_operator(data):
    """Create another operator, active at once at the strong level (400 ``password_rules``)."""
    return operators.register_operator(db_session(), data)


@blp.route("/operators/<operator_id>/disable", methods=["POST"])
@blp.refuses(404, 409)
@operator_only
@blp.response(200, OperatorSchema)
def disable_operator(operator_id):
    """Disable an operator: no more sign-in, sessions ended. 409 ``own_account`` for oneself,
    ``last_operator`` for the last active one."""
    return operators.disable_operator(db_session(), caller(), operator_id)
