"""Routes of a company's contacts: its administrators name the interlocutor roles
(``/api/identity/contacts``), the vendor's operators read them (``/api/operator/companies/<id>/contacts``).

Interests are catalog subscriptions: set one with ``POST /api/catalog/subscriptions {service_id,
user_id}``, unset it with ``DELETE /api/catalog/subscriptions/<subscription_id>``; these routes
read them back.
"""
from portalkit.web import Blueprint, caller, db_session, operator_only

from . import contacts
from .access import administrator
from .contacts_schemas import CompanyContact, ContactPage, ContactQuery, OperatorContactPage, OperatorContactQuery, RolesIn

blp = Blueprint("contacts", __name__, url_prefix="/identity", description="A company's contacts for the vendor")
operator_blp = Blueprint("operator_contacts", __name__, url_prefix="/operator",
                         description="Operators' reading of a company's contacts")


@blp.route("/contacts", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(ContactQuery, location="query")
@blp.response(200, ContactPage)
def list_contacts(query):
    """List the users of the administered companies with their roles and interests, role holders first."""
    items, total = contacts.list_contacts(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/contacts/<user_id>", methods=["GET"])
@administrator
@blp.response(200, CompanyContact)
def show_contact(user_id):
    """Show an administered user's roles and interests."""
    return contacts.contact_of(db_session(), caller(), user_id)


@blp.route("/contacts/<user_id>/roles", methods=["PUT"])
@blp.refuses(409)
@administrator
@blp.arguments(RolesIn)
@blp.response(200, CompanyContact)
def set_roles(data, user_id):
    """Give a user exactly these roles; naming a new main contact takes the role from the previous one."""
    return contacts.set_roles(db_session(), caller(), user_id, data["roles"])


@operator_blp.route("/companies/<company_id>/contacts", methods=["GET"])
@operator_only
@operator_blp.arguments(OperatorContactQuery, location="query")
@operator_blp.response(200, OperatorContactPage)
def company_contacts(query, company_id):
    """List a company's users with their roles and interests, role holders first (operators)."""
    company, items, total = contacts.company_contacts(db_session(), company_id, query)
    return {"company": company, "items": items, "total": total}
