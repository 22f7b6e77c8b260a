"""The simulated partner's HTTP API (the partner API of declarations' README): submit an
interchange, poll its reports. Every answer carries ``EDI-Simulation: true``."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import asdict
from datetime import datetime, timezone

from flask import Flask, jsonify, request

from ..refusals import Refusal
from . import administration
from .checks import SYNTAX_CODES, syntax
from .settings import SimulationSettings
from .store import KeyReused, Store

NAME = "edi-partner-simulation"
log = logging.getLogger(NAME)


def _error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": f"SIMULATION: {message}"}})
    response.status_code = status
    return response


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).isoformat().replace("+00:00", "Z")


def create_app(settings: SimulationSettings | None = None) -> Flask:
    settings = settings or SimulationSettings.load()
    store = Store(settings.database)
    administration.taxpayers(settings.taxpayers)  # a broken fixture stops the process at start
    app = Flask(NAME)
    app.config["SIMULATION"] = settings

    @app.after_request
    def mark(response):
        response.headers["EDI-Simulation"] = "true"
        return response

    @app.before_request
    def authenticate():
        if request.path == "/health":
            return None
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {settings.token}".encode()):
            return _error(401, "unauthorized", "the bearer token is not the simulation's")
        return None

    @app.get("/health")
    def health():
        return jsonify({"status": "ok", "service": NAME, "simulation": True})

    @app.post("/v1/interchanges")
    def submit():
        key = request.headers.get("Idempotency-Key", "").strip()
        siren = request.headers.get("X-Siren", "").strip()
        if not key or len(key) > 200:
            return _error(400, "idempotency_key_required", "Idempotency-Key is required (at most 200 characters)")
        content = request.get_data(cache=False)
        if not content:
            return _error(400, "empty_interchange", "the body holds no interchange")
        report, filing = _partner_report(content, siren)
        try:
            reference, replayed = store.submit(key, siren, hashlib.sha256(content).hexdigest(),
                                               settings.delay, filing, report)
        except KeyReused:
            return _error(422, "idempotency_key_reused", "this Idempotency-Key was sent with other bytes")
        log.info("SIMULATION: interchange %s %s for SIREN %s: %s", reference, "replayed" if replayed else "received",
                 siren or "?", report["outcome"])
        response = jsonify({"reference": reference, "simulation": True})
        response.status_code = 200 if replayed else 201
        return response

    @app.get("/v1/interchanges/<reference>/reports")
    def reports(reference: str):
        interchange = store.interchange(reference)
        if interchange is None:
            return _error(404, "unknown_reference", f"no interchange {reference}")
        found = store.reports(reference)
        # The administration's answer is computed when first asked for after its delay: no
        # background thread, and every later poll reads the same stored report (same id).
        if interchange["filing"] and len(found) == 1 and _now() >= interchange["due_at"]:
            filing = json.loads(interchange["filing"])
            store.add_report(reference, 2, "administration",
                             administration.verdict(filing, administration.taxpayers(settings.taxpayers)),
                             at=interchange["due_at"])
            found = store.reports(reference)
        return jsonify({"reports": [{**item, "at": _iso(item["at"]), "simulation": True} for item in found]})

    return app


def _now() -> float:
    return datetime.now(timezone.utc).timestamp()


def _partner_report(content: bytes, siren: str) -> tuple[dict, dict | None]:
    """The partner's own report (``taken`` or ``syntax_reject``), and the filing the
    administration will judge (None when rejected)."""
    try:
        filing = syntax(content)
    except Refusal as refusal:
        return {"outcome": "syntax_reject", "codes": [SYNTAX_CODES.get(refusal.code, "P01")],
                "detail": f"SIMULATION: {refusal.message('en')}"}, None
    if siren and siren != filing.siren:
        return {"outcome": "syntax_reject", "codes": ["P04"],
                "detail": f"SIMULATION: X-Siren {siren} is not the file's declarant ({filing.siren})"}, None
    data = asdict(filing)
    data.update(period_start=str(filing.period_start), period_end=str(filing.period_end))
    return {"outcome": "taken", "codes": [], "detail": "SIMULATION: taken by the simulated partner"}, data
