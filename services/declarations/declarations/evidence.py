"""A deposit's evidence bundle, members of a streamed ZIP (portalkit.zip_stream): the bytes as
received, the signed receipt with its public key, the timeline and reports as JSON, a README.txt.
``add_bundle`` queues one deposit's members (under ``folder``), so that ZIPs of many reuse it."""
from __future__ import annotations

import json
import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.filestore import FileStore
from portalkit.zip_stream import ZipWriter

from . import receipts
from .models import Deposit, DepositStep

README = """Evidence of deposit {id} / Preuve du dépôt {id}

{file}
  EN: the file exactly as it was received by the portal (its SHA-256 is the receipt's "sha256").
  FR : le fichier exactement tel que le portail l'a reçu (son SHA-256 est le « sha256 » du reçu).
receipt.json
  EN: the signed receipt ("receipt": <payload>.<signature>, base64url; Ed25519 over the payload's
      bytes), its claims, and the public key "key" (key_id, raw 32-byte key, base64url) to verify
      it offline.
  FR : le reçu signé (« receipt » : <charge>.<signature>, base64url ; Ed25519 sur les octets de la
       charge), ses champs, et la clé publique « key » (key_id, clé brute de 32 octets, base64url)
       pour le vérifier hors ligne.
timeline.json
  EN: the deposit's state and its timeline: the portal's checks, the EDI partner's events and the
      administration's reports, each with its source, code and detail.
  FR : l'état du dépôt et sa chronologie : les contrôles du portail, les événements du partenaire
       EDI et les comptes rendus de l'administration, avec leur source, code et détail.
{simulation}"""
SIMULATION_EN = ("  EN: SIMULATION — the EDI partner was the simulated one: every step marked \"simulation\": true\n"
                 "      is a simulated answer, not the administration's.\n")
SIMULATION_FR = ("  FR : SIMULATION — le partenaire EDI était le partenaire simulé : chaque étape marquée\n"
                 "       « simulation »: true est une réponse simulée, non celle de l'administration.\n")
NO_SIMULATION = ("  EN: steps marked \"simulation\": true would come from the simulated partner; none here.\n"
                 "  FR : les étapes marquées « simulation »: true viendraient du partenaire simulé ; aucune ici.\n")


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def file_name_of(deposit: Deposit) -> str:
    """The deposited file's name, safe as a member's name (no folders, no control characters)."""
    name = re.sub(r"[\x00-\x1f/\\]+", "_", deposit.file_name or "").strip(". ")
    return name or f"{deposit.id}.edi"


def timeline_of(session: Session, deposit: Deposit) -> dict:
    steps = session.scalars(select(DepositStep).where(DepositStep.deposit_id == deposit.id).order_by(DepositStep.id))
    keys = ("id", "entity_id", "siren", "file_name", "size", "sha256", "kind", "obligation", "campaign",
            "period_start", "period_end", "corrective", "status", "simulation", "partner_reference",
            "deposited_at", "transmitted_at", "acknowledged_at")
    return {**{key: _iso(getattr(deposit, key)) for key in keys},
            "codes": [code for code in deposit.codes.split(",") if code],
            "timeline": [{"step": s.step, "at": _iso(s.at), "source": s.source, "code": s.code, "detail": s.detail,
                          "error": s.error, "final": s.final, "simulation": s.simulation, "report_id": s.report_id}
                         for s in steps]}


def receipt_of(deposit: Deposit) -> dict:
    ring = receipts.KEYS.ring()
    claims = receipts.read(ring, deposit.receipt)
    key = ring.get(claims["key_id"])
    return {"receipt": deposit.receipt, "claims": claims, "key": key.published() if key else None}


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def add_bundle(writer: ZipWriter, session: Session, store: FileStore, deposit: Deposit, folder: str = "") -> None:
    """Queue ``deposit``'s evidence in ``writer`` (the JSON read now, the file when written)."""
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    name = file_name_of(deposit)
    if name in ("receipt.json", "timeline.json", "README.txt"):
        name = f"file-{name}"
    timeline = timeline_of(session, deposit)
    simulated = deposit.simulation or any(step["simulation"] for step in timeline["timeline"])
    key = deposit.file_key
    # The exact bytes, stored (not deflated): a reader checks their SHA-256 straight from the archive.
    writer.add(prefix + name, lambda: store.open(key), compress=False, modified=deposit.deposited_at)
    writer.add(prefix + "receipt.json", _json(receipt_of(deposit)), modified=deposit.deposited_at)
    writer.add(prefix + "timeline.json", _json(timeline))
    readme = README.format(id=deposit.id, file=name,
                           simulation=SIMULATION_EN + SIMULATION_FR if simulated else NO_SIMULATION)
    writer.add(prefix + "README.txt", readme.encode("utf-8"))


def bundle_name(deposit: Deposit) -> str:
    return f"evidence-{deposit.id}.zip"
