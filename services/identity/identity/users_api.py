"""Routes of users (``/api/identity/...``): one's profile, and the administrator's users list."""
from portalkit.web import Blueprint, caller, db_session, requires, signed_in

from . import directory
from .schemas import UserPage, UserQuery, UserSchema

blp = Blueprint("identity", __name__, url_prefix="/identity", description="Users of client companies")


@blp.route("/me", methods=["GET"])
@signed_in
@blp.response(200, UserSchema)
def me():
    """Show one's own profile."""
    return directory.me(db_session(), caller())


@blp.route("/users", methods=["GET"])
@requires(directory.ADMINISTRATION)
@blp.arguments(UserQuery, location="query")
@blp.response(200, UserPage)
def list_users(query):
    """List the users of the companies the caller administers."""
    items, total = directory.list_users(db_session(), caller(), query)
    return {"items": items, "total": total}
