"""Route of the profile page's catalog blocks (``/api/catalog/dashboard``)."""
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import dashboard
from .operator_schemas import Dashboard, DashboardQuery

blp = Blueprint("dashboard", __name__, url_prefix="/catalog", description="The profile page's catalog blocks")


@blp.route("/dashboard", methods=["GET"])
@signed_in
@blp.arguments(DashboardQuery, location="query")
@blp.response(200, Dashboard)
def show(query):
    """Count one's subscriptions and the catalog's news (``since``: the caller's last visit)."""
    return dashboard.dashboard(db_session(), caller(), query["since"])
