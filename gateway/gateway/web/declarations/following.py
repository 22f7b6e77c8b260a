"""Following one's deposits (``/declarations/deposits``): the list with its criteria panel (entity,
status, obligation, closing) and pager, a declaration's page (its timeline — the portal's checks,
the partner's events, the administration's reports, each code explained — with the SIMULATION
marks), and its file, receipt and evidence bundle streamed on from the declarations service."""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from flask import Response, abort, redirect, render_template, request
from flask_babel import format_date, format_datetime, lazy_gettext

from gateway import seams
from gateway.upstream import UpstreamError
from portalkit.signed_identity import HEADER

from ..common import calls, space_blueprint
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with
from . import declarant

bp = space_blueprint("declarations_following", __name__)
PATH = "/declarations/deposits"
STATUSES = {"queued": lazy_gettext("Queued for transmission"), "sent": lazy_gettext("Sent to the EDI partner"),
            "taken": lazy_gettext("Taken by the EDI partner"),
            "refused_by_partner": lazy_gettext("Refused by the EDI partner"),
            "accepted": lazy_gettext("Accepted by the administration"),
            "partly_rejected": lazy_gettext("Partly rejected by the administration"),
            "rejected": lazy_gettext("Rejected by the administration")}
OBLIGATIONS = {"liasse": lazy_gettext("Tax return (liasse)"), "cvae": lazy_gettext("CVAE"), "vat": lazy_gettext("VAT"),
               "das2": lazy_gettext("Fees paid (DAS2)"), "ifu": lazy_gettext("Single tax form (IFU)")}
STEPS = {"received": lazy_gettext("File received"), "syntax": lazy_gettext("EDIFACT syntax checked"),
         "envelope": lazy_gettext("Envelope checked"), "message": lazy_gettext("Message checked"),
         "declarant": lazy_gettext("Declarant checked"), "identification": lazy_gettext("Identification checked"),
         "campaign": lazy_gettext("Campaign checked"), "queued": lazy_gettext("Queued for the EDI partner"),
         "sent": lazy_gettext("Sent to the EDI partner"),
         "partner_unavailable": lazy_gettext("EDI partner unavailable: the portal keeps trying"),
         "reports_unavailable": lazy_gettext("The EDI partner's reports unavailable: the portal keeps asking"),
         "refused_by_partner": lazy_gettext("Refused by the EDI partner"),
         "syntax_reject": lazy_gettext("Rejected by the EDI partner's syntax checks"),
         "taken": lazy_gettext("Taken by the EDI partner"), "accepted": lazy_gettext("Accepted by the administration"),
         "partly_rejected": lazy_gettext("Partly rejected by the administration"),
         "rejected": lazy_gettext("Rejected by the administration")}
SOURCES = {"portal": lazy_gettext("Portal"), "partner": lazy_gettext("EDI partner"),
           "administration": lazy_gettext("Administration")}
DOWNLOADS = ("file", "receipt", "evidence")


def moment_text(value) -> str:
    """An ISO 8601 time (or date) in the page's language, as is if it cannot be read."""
    text = str(value or "")
    try:
        if len(text) == 10:
            return format_date(date.fromisoformat(text), "medium")
        return format_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")), "medium")
    except ValueError:
        return text


def _entities() -> list[tuple[str, str]]:
    """The declarant's entities (id, "name (SIREN)") for the criteria panel."""
    status, me = calls.identity("GET", "/auth/declarative/me", identity=declarant.identity())
    entities = me.get("entities") if status == 200 and isinstance(me, dict) else None
    return [(str(entity["id"]), f"{entity.get('name') or ''} ({entity.get('siren') or ''})")
            for entity in entities or [] if isinstance(entity, dict) and entity.get("id")]


def _criteria(entities: list[tuple[str, str]]) -> dict:
    args = request.args
    closing = (args.get("closing") or "").strip()[:10]
    try:
        closing = date.fromisoformat(closing).isoformat() if closing else ""
    except ValueError:
        closing = ""
    return {"entity": args.get("entity") if args.get("entity") in {code for code, _ in entities} else "",
            "status": args.get("status") if args.get("status") in STATUSES else "",
            "obligation": args.get("obligation") if args.get("obligation") in OBLIGATIONS else "",
            "closing": closing}


@bp.route(PATH, methods=["GET"])
@declarant.declarative_page
def deposits():
    """The deposits of the declarant's entities, newest first, narrowed by the criteria."""
    entities = _entities()
    criteria, page = _criteria(entities), page_number(request.args.get("page"))
    status, body = calls.call("declarations", "GET", PATH, identity=declarant.identity(),
                              query={"page": page, "per_page": PER_PAGE,
                                     **{key: value for key, value in criteria.items() if value}})
    if status == 401:
        return declarant.close_session(redirect(declarant.SIGN_IN_PATH))
    if status != 200 or not isinstance(body, dict):
        abort(503)
    total = body.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(PATH, criteria, last_page_of(total)))
    return render_template("declarations/deposits.html", deposits=body.get("items") or [], criteria=criteria,
                           filtered=any(criteria.values()), pager=pager(PATH, criteria, page, total),
                           entities=entities, entity_names=dict(entities), statuses=STATUSES,
                           obligations=OBLIGATIONS, moment_text=moment_text)


@bp.route(PATH + "/<deposit_id>", methods=["GET"])
@declarant.declarative_page
def declaration(deposit_id: str):
    """One declaration: its state, its timeline with each code explained, its downloads."""
    status, body = calls.call("declarations", "GET", f"{PATH}/{quote(deposit_id, safe='')}",
                              identity=declarant.identity())
    if status == 401:
        return declarant.close_session(redirect(declarant.SIGN_IN_PATH))
    if status == 404:
        abort(404)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    simulated = bool(body.get("simulation")) or any(step.get("simulation") for step in body.get("timeline") or [])
    return render_template("declarations/declaration.html", deposit=body, simulated=simulated, statuses=STATUSES,
                           obligations=OBLIGATIONS, steps=STEPS, sources=SOURCES, moment_text=moment_text)


@bp.route(PATH + "/<deposit_id>/<any(file, receipt, evidence):what>", methods=["GET"])
@declarant.declarative_page
def download(deposit_id: str, what: str):
    """The file as received, the signed receipt or the evidence ZIP, streamed as the service sends it."""
    upstream = seams.current().upstream
    headers = {HEADER: upstream.signer.header(declarant.identity())}
    for name in ("Range", "If-None-Match", "If-Range"):
        if request.headers.get(name):
            headers[name] = request.headers[name]
    try:
        status, out, chunks = upstream.forward("declarations", "GET",
                                               f"{PATH}/{quote(deposit_id, safe='')}/{what}", headers)
    except UpstreamError:
        abort(503)
    code = int(status.split(" ", 1)[0])
    if code in (401, 404):
        getattr(chunks, "close", lambda: None)()
        abort(404)
    answer = Response(chunks, status=status, headers=out, direct_passthrough=True)
    if what == "receipt" and code == 200:
        answer.headers["Content-Disposition"] = f'attachment; filename="receipt-{deposit_id[:32]}.json"'
    return answer
