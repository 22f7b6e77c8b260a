"""Routes of user groups (``/api/identity/groups...``)."""
from portalkit.web import Blueprint, caller, db_session

from . import groups
from .access import administrator
from .administration_schemas import GroupIn, GroupPage, CompanyPageQuery, GroupRenameIn, GroupSchema, UserIdsIn

blp = Blueprint("groups", __name__, url_prefix="/identity/groups", description="User groups")


@blp.route("", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(CompanyPageQuery, location="query")
@blp.response(200, GroupPage)
def list_groups(query):
    """List the groups of the administered companies."""
    items, total = groups.list_groups(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("", methods=["POST"])
@blp.refuses(404, 409)
@administrator
@blp.arguments(GroupIn)
@blp.response(201, GroupSchema)
def create_group(data):
    """Create a group in the caller's company (or the one picked)."""
    return groups.create_group(db_session(), caller(), data["name"], data["company_id"])


@blp.route("/<group_id>", methods=["PATCH"])
@blp.refuses(409)
@administrator
@blp.arguments(GroupRenameIn)
@blp.response(200, GroupSchema)
def rename_group(data, group_id):
    """Rename a group."""
    return groups.rename_group(db_session(), caller(), group_id, data["name"])


@blp.route("/<group_id>", methods=["DELETE"])
@administrator
@blp.response(204)
def delete_group(group_id):
    """Delete a group (its users stay)."""
    groups.delete_group(db_session(), caller(), group_id)
    return ""


@blp.route("/<group_id>/members", methods=["POST"])
@administrator
@blp.arguments(UserIdsIn)
@blp.response(200, GroupSchema)
def add_members(data, group_id):
    """Add users of the group's company to it."""
    return groups.add_members(db_session(), caller(), group_id, data["user_ids"])


@blp.route("/<group_id>/members/<user_id>", methods=["DELETE"])
@administrator
@blp.response(204)
def remove_member(group_id, user_id):
    """Take a user out of a group."""
    groups.remove_member(db_session(), caller(), group_id, user_id)
    return ""
