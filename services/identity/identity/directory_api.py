"""Routes of the administrator's surroundings: the company picker, the dashboard counts, the
functions filter and the administration trail (``/api/identity/...``)."""
from portalkit.web import Blueprint, caller, db_session

from . import audit_trail, directory
from .access import administrator
from .administration_schemas import CompanyChoices, CompanyQuery, FunctionList, TrailPage, TrailQuery, UserCounts

blp = Blueprint("directory", __name__, url_prefix="/identity", description="The administrator's companies and trail")


@blp.route("/companies", methods=["GET"])
@administrator
@blp.response(200, CompanyChoices)
def companies():
    """List the companies the caller administers: their own, and the supervised associates."""
    return _whole(directory.companies(db_session(), caller()))


@blp.route("/users/counts", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(CompanyQuery, location="query")
@blp.response(200, UserCounts)
def user_counts(query):
    """Count the users by status, those new since one's previous sign-in, and the groups."""
    return directory.counts(db_session(), caller(), query["company"])


@blp.route("/functions", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(CompanyQuery, location="query")
@blp.response(200, FunctionList)
def functions(query):
    """List the functions of the administered users, for the list's filter."""
    return _whole(directory.functions(db_session(), caller(), query["company"]))


@blp.route("/administration-audits", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(TrailQuery, location="query")
@blp.response(200, TrailPage)
def administration_trail(query):
    """List the administration actions on the administered companies, newest first."""
    items, total = audit_trail.entries(db_session(), caller(), query)
    return {"items": items, "total": total}


def _whole(items: list) -> dict:
    """A list a picker or a filter shows whole, in the lists' shape."""
    return {"items": items, "total": len(items)}
