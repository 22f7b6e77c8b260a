"""Routes of the planning of services: its recipient's and the order's contact's
(``/assets/planning``: the month, one service, its ``.ics``, the caller's feed — which calendar apps
read by a secret feed link of purpose ``planning``, ``feed_links_api``) and the operators'
(``/operator/interventions``: plan, move, edit, cancel)."""
from __future__ import annotations

from flask import Response
from portalkit.errors import not_found
from portalkit.web import Blueprint, caller, db_session, operator_only, settings, signed_in

from . import planning, planning_feed
from .models import Member
from .planning_schemas import (CancellationIn, InterventionChange, InterventionIn, InterventionPage,
                               InterventionSchema, MonthPage, MonthQuery, OperatorQuery)
from .settings import AssetsSettings

blp = Blueprint("planning", __name__, url_prefix="/assets", description="The planning of services")
operators = Blueprint("operator-interventions", __name__, url_prefix="/operator",
                      description="Operators' planning of services")
ICS = "text/calendar; charset=utf-8"


def _zone_default() -> str:
    return AssetsSettings.load().default_time_zone


def _page(interventions, user_id=None) -> list[dict]:
    members, companies = planning.people(db_session(), interventions)
    return [planning.shown(i, members, companies, user_id) for i in interventions]


@blp.route("/planning", methods=["GET"])
@blp.refuses(400)
@signed_in
@blp.arguments(MonthQuery, location="query")
@blp.response(200, MonthPage)
def month(query):
    """The caller's services (as recipient or the order's contact) of a month of the company's time zone."""
    identity, session = caller(), db_session()
    zone = planning.company_time_zone(session, identity.company_id, _zone_default())
    name, start, end = planning.month_window(query["month"], zone)
    rows, total = planning.of_user(session, identity.user_id, start, end, query["page"], query["per_page"])
    return {"month": name, "time_zone": zone, "starts_at": start.isoformat(), "ends_at": end.isoformat(),
            "items": _page(rows, identity.user_id), "total": total}


@blp.route("/planning/feed.ics", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.response(200, description="The caller's services of the past 90 days and to come, `text/calendar`. "
                                "Calendar apps read it without signing in by the caller's secret feed link "
                                "(`POST /assets/feed-links/planning`), at `/feeds/planning/<secret>.ics`.")
def feed():
    """The caller's planning as an iCalendar feed."""
    session, identity = db_session(), caller()
    member = session.get(Member, identity.user_id)
    if member is None:  # the user was deleted: their feed (and its link) dies with them
        raise not_found("feed")
    body = planning_feed.calendar(planning_feed.feed_services(session, identity.user_id), member.language,
                                  settings().base_url)
    return Response(body, content_type=ICS, headers={"Content-Disposition": 'inline; filename="planning.ics"'})


@blp.route("/planning/<intervention_id>.ics", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.response(200, description="One VEVENT (METHOD:PUBLISH; STATUS:CANCELLED once cancelled), `text/calendar`.")
def one_ics(intervention_id):
    """One service as an iCalendar file, to add to one's own calendar."""
    intervention = planning.visible(db_session(), intervention_id, caller().user_id)
    body = planning_feed.calendar([intervention], caller().language, settings().base_url)
    return Response(body, content_type=ICS,
                    headers={"Content-Disposition": f'attachment; filename="service-{intervention.id}.ics"'})


@blp.route("/planning/<intervention_id>", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.response(200, InterventionSchema)
def show(intervention_id):
    """One of the caller's services."""
    intervention = planning.visible(db_session(), intervention_id, caller().user_id)
    return _page([intervention], caller().user_id)[0]


@operators.route("/interventions", methods=["POST"])
@operators.refuses(400)
@operator_only
@operators.arguments(InterventionIn)
@operators.response(201, InterventionSchema)
def plan(data):
    """Plan an on-site service or a training for a user of the company (and the order's contact)."""
    return _page([planning.plan(db_session(), data, caller().user_id, _zone_default())])[0]


@operators.route("/interventions", methods=["GET"])
@operator_only
@operators.arguments(OperatorQuery, location="query")
@operators.response(200, InterventionPage)
def list_interventions(query):
    """Every planned service, soonest first (by company, kind, status, from/to days)."""
    rows, total = planning.operators_list(db_session(), query)
    return {"items": _page(rows), "total": total}


@operators.route("/interventions/<intervention_id>", methods=["GET"])
@operators.refuses(404)
@operator_only
@operators.response(200, InterventionSchema)
def read(intervention_id):
    """Read one planned service."""
    return _page([planning.find(db_session(), intervention_id)])[0]


@operators.route("/interventions/<intervention_id>", methods=["PATCH"])
@operators.refuses(400, 404, 409)
@operator_only
@operators.arguments(InterventionChange)
@operators.response(200, InterventionSchema)
def change(data, intervention_id):
    """Move (new times) or edit a planned service; its recipient and contact are mailed."""
    return _page([planning.change(db_session(), intervention_id, data, caller().user_id)])[0]


@operators.route("/interventions/<intervention_id>/cancel", methods=["POST"])
@operators.refuses(400, 404, 409)
@operator_only
@operators.arguments(CancellationIn, required=False)
@operators.response(200, InterventionSchema)
def cancel(data, intervention_id):
    """Cancel a planned service (with a reason); its recipient and contact are mailed."""
    return _page([planning.cancel(db_session(), intervention_id, (data or {}).get("reason"), caller().user_id)])[0]
