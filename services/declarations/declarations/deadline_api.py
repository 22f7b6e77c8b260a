"""The fiscal profile's and the deadlines' routes: operators read and set an entity's closing date
and obligations (``/operator/declarations/entities/<id>``); declarants read their entities'
deadlines (``/declarations/deadlines``)."""
from __future__ import annotations

from portalkit.db import utcnow
from portalkit.errors import not_found
from portalkit.web import Blueprint, caller, database, db_session, declarative_signed_in, operator_only

from . import schedule, supervision_rows
from .deadline_schemas import DeadlineList, DeadlineQuery, FiscalProfile, FiscalProfileInput
from .models import Entity
from .obligations import CODES, OBLIGATIONS

operator_blp = Blueprint("declarations_fiscal_profile", __name__, url_prefix="/operator/declarations",
                         description="Operators: the entities' fiscal profiles")
blp = Blueprint("declarations_deadlines", __name__, url_prefix="/declarations", description="Declarative deadlines")


def today():
    """The day of the request (a seam: tests move it)."""
    return utcnow().date()


def _entity(entity_id: str) -> Entity:
    entity = db_session().get(Entity, entity_id)
    if entity is None:
        raise not_found("entity")
    return entity


def _profile(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "siren": entity.siren, "closing": entity.closing,
            "obligations": schedule.expected(entity)}


@operator_blp.route("/entities/<entity_id>", methods=["GET"])
@operator_blp.refuses(404)
@operator_only
@operator_blp.response(200, FiscalProfile)
def read_profile(entity_id: str):
    """Read an entity's fiscal profile: its closing date and the obligations it files."""
    return _profile(_entity(entity_id))


@operator_blp.route("/entities/<entity_id>", methods=["PUT"])
@operator_blp.refuses(400, 404)
@operator_only
@operator_blp.arguments(FiscalProfileInput)
@operator_blp.response(200, FiscalProfile)
def set_profile(profile, entity_id: str):
    """Set an entity's closing date (MM-DD) and obligations; its deadlines follow at once."""
    entity = _entity(entity_id)
    entity.closing = profile["closing"]
    entity.obligations = ",".join(code for code in CODES if code in profile["obligations"])
    supervision_rows.refresh_entity(db_session(), entity)
    db_session().commit()
    return _profile(entity)


@blp.route("/deadlines", methods=["GET"])
@declarative_signed_in
@blp.arguments(DeadlineQuery, location="query")
@blp.response(200, DeadlineList)
def list_deadlines(query):
    """The deadlines of one's entities, each obligation's period, due date, whether filed and the
    days left, soonest first (``year``: the periods ending that year, else the next of each), paged."""
    identity, day = caller(), today()
    for year in schedule.years_of(day, query["year"]):
        supervision_rows.ensure_year(database(), year)
    found, total = schedule.listed(db_session(), identity, day, query["year"], query["page"], query["per_page"])
    return {"items": [{"entity_id": due.entity_id, "entity_name": due.entity_name, "siren": due.siren,
                       "obligation": due.obligation, "obligation_name": OBLIGATIONS[due.obligation].name(identity.language),
                       "period_end": due.period_end, "due_on": due.due_on, "filed": due.filed,
                       "deposit_id": due.deposit_id, "days_left": due.days_left(day)} for due in found],
            "total": total}
