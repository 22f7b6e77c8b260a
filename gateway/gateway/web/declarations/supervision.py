"""The supervisor's page (``/declarations/supervision``): for a year's periods, its subsidiaries ×
the obligations each files — state in words, late and stuck marked, the reject codes explained,
the late and the stuck first — with the summary counts, the criteria panel and the pager; and the
ZIP of the subsidiaries' evidence bundles for the same criteria, streamed on from the service (the
declarative cookie is scoped to ``/declarations``: an ``/api`` link would not carry it)."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, abort, redirect, render_template, request
from flask_babel import lazy_gettext

from gateway import seams
from gateway.upstream import UpstreamError
from portalkit.signed_identity import HEADER

from ..common import calls, space_blueprint
from ..common.pager import last_page_of, page_number, pager, url_with
from . import declarant
from .following import OBLIGATIONS, moment_text

bp = space_blueprint("declarations_supervision", __name__)
PATH = "/declarations/supervision"
SERVICE_PATH = "/declarations/supervision"
PER_PAGE = 50
SUPERVISOR = "supervisor"
STATES = {"expected": lazy_gettext("Expected, not deposited"),
          "deposited": lazy_gettext("Deposited, awaiting the answer"),
          "accepted": lazy_gettext("Accepted by the administration"),
          "partly_rejected": lazy_gettext("Partly rejected by the administration"),
          "rejected": lazy_gettext("Rejected by the administration"),
          "refused_by_partner": lazy_gettext("Refused by the EDI partner")}
FLAGS = {"late": lazy_gettext("Late"), "stuck": lazy_gettext("Stuck")}
# The summary counts the states and the flags, each named in the table's words.
COUNTS = {**STATES, **FLAGS}
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the service's bounds: outside them the criterion is left out


def is_supervisor() -> bool:
    user = declarant.current_declarant()
    return user is not None and user.declarant_role == SUPERVISOR


def _criteria() -> dict:
    """The criteria of the address, each kept only when the service would take it."""
    args = request.args
    year = (args.get("year") or "").strip()
    year = year if year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR else ""
    state = args.get("state") or ""
    return {"year": year, "obligation": args.get("obligation") if args.get("obligation") in OBLIGATIONS else "",
            "state": state if state in STATES or state in FLAGS else "",
            "entity": (args.get("entity") or "").strip()[:100]}


def _evidence_query(criteria: dict) -> str:
    """The ZIP's criteria (the table's but the state: the service bundles every latest deposit)."""
    kept = {key: criteria[key] for key in ("year", "obligation", "entity") if criteria[key]}
    return "?" + urlencode(kept) if kept else ""


class SupervisorsOnly(Exception):
    """A declarant (not a supervisor) asked for a supervisor's page."""


@bp.errorhandler(SupervisorsOnly)
def _refused(_error):
    # Not the frame's 403 page: that one speaks of subscriptions and leads to the portal's sign-in.
    return render_template("declarations/supervisors_only.html"), 403


def _supervisors_only():
    if not is_supervisor():
        raise SupervisorsOnly()


@bp.route(PATH, methods=["GET"])
@declarant.declarative_page
def supervision():
    """The subsidiaries × obligations of a year, late and stuck first, narrowed by the criteria."""
    _supervisors_only()
    criteria, page = _criteria(), page_number(request.args.get("page"))
    status, body = calls.call("declarations", "GET", SERVICE_PATH, identity=declarant.identity(),
                              query={"page": page, "per_page": PER_PAGE,
                                     **{key: value for key, value in criteria.items() if value}})
    if status == 401:
        return declarant.close_session(redirect(declarant.SIGN_IN_PATH))
    if status == 403:
        raise SupervisorsOnly()
    if status != 200 or not isinstance(body, dict):
        abort(503)
    total = body.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(PATH, criteria, last_page_of(total, PER_PAGE)))
    return render_template("declarations/supervision.html", rows=body.get("items") or [], criteria=criteria,
                           year=body.get("year"), summary=body.get("summary") or {}, counts=COUNTS,
                           filtered=any(criteria.values()), pager=pager(PATH, criteria, page, total, PER_PAGE),
                           states=STATES, flags=FLAGS, state_choices=COUNTS, obligations=OBLIGATIONS,
                           moment_text=moment_text, state_url=lambda state: url_with(PATH, {**criteria, "state": state}),
                           evidence_url=PATH + "/evidence" + _evidence_query(criteria))


@bp.route(PATH + "/evidence", methods=["GET"])
@declarant.declarative_page
def evidence():
    """The ZIP of the subsidiaries' evidence bundles for the criteria, streamed as the service writes it."""
    _supervisors_only()
    upstream = seams.current().upstream
    headers = {HEADER: upstream.signer.header(declarant.identity())}
    path = SERVICE_PATH + "/evidence" + _evidence_query(_criteria())
    try:
        status, out, chunks = upstream.forward("declarations", "GET", path, headers)
    except UpstreamError:
        abort(503)
    code = int(status.split(" ", 1)[0])
    if code != 200:
        getattr(chunks, "close", lambda: None)()
        if code == 401:
            return declarant.close_session(redirect(declarant.SIGN_IN_PATH))
        if code == 403:
            raise SupervisorsOnly()
        abort(503)
    return Response(chunks, status=status, headers=out, direct_passthrough=True)
