"""The supervisor's routes: the table of its subsidiaries × obligations (``/declarations/supervision``)
and the ZIP of their evidence bundles, streamed (``/declarations/supervision/evidence``)."""
from __future__ import annotations

import re

from flask import Response

from portalkit.db import utcnow
from portalkit.errors import PortalError
from portalkit.filestore import default_store
from portalkit.web import Blueprint, caller, database, db_session, declarative_signed_in
from portalkit.zip_stream import ZipWriter

from . import evidence, scope, supervision, supervision_rows
from .models import Deposit
from .obligations import OBLIGATIONS
from .reject_codes import explain_all
from .settings import stuck_hours
from .supervision_schemas import EvidenceQuery, SupervisionPage, SupervisionQuery

blp = Blueprint("declarations_supervision", __name__, url_prefix="/declarations",
                description="Supervisors: their subsidiaries' declarations")
ZIP_BATCH = 200  # entities read per query while the ZIP is written: memory stays bounded


def now():
    """The time of the request (a seam: tests move it)."""
    return utcnow()


def _supervisor():
    identity = caller()
    if not scope.is_supervisor(identity):
        raise PortalError(403, "supervisor_only", "Only a supervisor's account sees its subsidiaries' table.")
    return identity


def _criteria(query) -> supervision.Criteria:
    return supervision.Criteria(year=query["year"] or now().year - 1, obligation=query["obligation"],
                                state=query.get("state"), entity=query["entity"])



def _row(row, language: str) -> dict:
    return {"entity_id": row["entity_id"], "entity_name": row["name"], "siren": row["siren"],
            "obligation": row["obligation"], "obligation_name": OBLIGATIONS[row["obligation"]].name(language),
            "period_end": row["period_end"], "due_on": row["due_on"], "state": row["state"],
            "late": bool(row["late"]), "stuck": bool(row["stuck"]), "deposit_id": row["deposit_id"],
            "codes": explain_all(row["codes"], language)}


@blp.route("/supervision", methods=["GET"])
@blp.refuses(403)
@declarative_signed_in
@blp.arguments(SupervisionQuery, location="query")
@blp.response(200, SupervisionPage)
def supervision_table(query):
    """The supervisor's subsidiaries × the obligations each files for the periods ending ``year``:
    state (expected, deposited, accepted, partly_rejected, rejected, refused_by_partner), ``late``,
    ``stuck``, the latest deposit and its codes explained; late and stuck first, then by due date
    and entity name; ``summary`` counts the states and flags. 403 ``supervisor_only`` for a declarant."""
    identity = _supervisor()
    criteria = _criteria(query)
    moment = now()
    supervision_rows.ensure_year(database(), criteria.year)
    rows, summary, total = supervision.page(db_session(), identity, criteria, query["page"], query["per_page"],
                                            moment.date(), moment, stuck_hours())
    return {"year": criteria.year, "items": [_row(row, identity.language) for row in rows],
            "total": total, "summary": summary}


def _bundles(db, store, identity, criteria: supervision.Criteria, moment):
    """The ZIP's chunks: a batch of entities at a time, each deposit's bundle in ``<SIREN> <name>/``;
    its own session, as the answer is written after the request's ends."""
    writer, after = ZipWriter(), None
    with db.sessions() as session:
        while True:
            batch = supervision.latest_deposits(session, identity, criteria, moment.date(), moment, after, ZIP_BATCH)
            if not batch:
                break
            for entity_id, name, siren, deposit_id in batch:
                deposit = session.get(Deposit, deposit_id)
                folder = re.sub(r"[\x00-\x1f/\\]+", "_", f"{siren} {name}").strip(". ") or entity_id
                evidence.add_bundle(writer, session, store, deposit, f"{folder}/{deposit.obligation}-{deposit.id}")
                yield from writer.flush()
            after = (batch[-1][1], batch[-1][0])
            session.expunge_all()
    yield from writer.close()


@blp.route("/supervision/evidence", methods=["GET"])
@blp.refuses(403)
@declarative_signed_in
@blp.arguments(EvidenceQuery, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/zip")
def supervision_evidence(query):
    """The evidence bundles of the subsidiaries' latest deposits of the year, one ZIP streamed: a
    folder per subsidiary (``<SIREN> <name>/``), in it one per deposit (``<obligation>-<id>/``)."""
    identity = _supervisor()
    criteria = _criteria(query)
    supervision_rows.ensure_year(database(), criteria.year)
    answer = Response(_bundles(database(), default_store(), identity, criteria, now()), mimetype="application/zip", direct_passthrough=True)
    answer.headers["Content-Disposition"] = f'attachment; filename="supervision-{criteria.year}.zip"'
    answer.headers["Cache-Control"] = "private, no-store"
    return answer
