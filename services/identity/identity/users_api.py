"""Routes of the company administrator on users (``/api/identity/users...``)."""
from flask import Response

from portalkit.web import Blueprint, caller, db_session

from . import administration, directory, exports
from .access import administrator
from .administration_schemas import ActivationMailsOut, UserIdsIn, UserIn, UserPage, UserPatchIn, UserQuery
from .schemas import UserSchema
from .settings import IdentitySettings

blp = Blueprint("users", __name__, url_prefix="/identity", description="The company administrator's users")
# A user's id is never one of the paths beside it (portalkit.routing).
USER = '<other_than("counts", "activation-mails"):user_id>'
CSV = {"200": {"description": "CSV, ';'-separated, UTF-8 with BOM; formula-like cells escaped",
               "content": {"text/csv": {"schema": {"type": "string"}}}}}


@blp.route("/users", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(UserQuery, location="query")
@blp.response(200, UserPage)
def list_users(query):
    """List the users of the companies the caller administers, searched and filtered."""
    items, total = directory.list_users(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/users.csv", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(UserQuery, location="query")
@blp.doc(responses=CSV)
def export_users(query):
    """Export the users list (same filters, every page) in the import's CSV format."""
    return _csv(exports.users_csv(db_session(), caller(), query), "users.csv")


@blp.route("/users", methods=["POST"])
@blp.refuses(404, 409)
@administrator
@blp.arguments(UserIn)
@blp.response(201, UserSchema)
def create_user(data):
    """Create a user; an activation mail is sent to them."""
    return administration.create_user(db_session(), IdentitySettings.load(), caller(), data)


@blp.route("/users/activation-mails", methods=["POST"])
@administrator
@blp.arguments(UserIdsIn)
@blp.response(202, ActivationMailsOut)
def send_activation_mails(data):
    """Send a new activation mail to each not-yet-activated user of the selection."""
    return administration.send_activation_mails(db_session(), IdentitySettings.load(), caller(), data["user_ids"])


@blp.route(f"/users/{USER}", methods=["GET"])
@administrator
@blp.response(200, UserSchema)
def get_user(user_id):
    """Show a user of an administered company, with their groups."""
    return directory.user_detail(db_session(), caller(), user_id)


@blp.route(f"/users/{USER}", methods=["PATCH"])
@blp.refuses(409)
@administrator
@blp.arguments(UserPatchIn)
@blp.response(200, UserSchema)
def update_user(changes, user_id):
    """Modify a user's profile, security level, or (before activation) e-mail address."""
    return administration.update_user(db_session(), IdentitySettings.load(), caller(), user_id, changes)


@blp.route(f"/users/{USER}", methods=["DELETE"])
@blp.refuses(409)
@administrator
@blp.response(204)
def delete_user(user_id):
    """Delete a user, who is mailed; a company's last administrator cannot be deleted."""
    administration.delete_user(db_session(), caller(), user_id)
    return ""


@blp.route(f"/users/{USER}/unlock", methods=["POST"])
@administrator
@blp.response(200, UserSchema)
def unlock_user(user_id):
    """Unlock an account locked after too many failed sign-ins."""
    return administration.unlock_user(db_session(), caller(), user_id)


def _csv(body: str, file_name: str) -> Response:
    return Response(body.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{file_name}"'})
