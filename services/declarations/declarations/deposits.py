"""The deposit's use case: the bytes kept as received (file store, SHA-256, size limit), checked
(edifact.read, checks.check), refused whole or accepted whole — the file, the deposit with its
timeline and receipt, and DeclarationDeposited in one transaction (a refusal deletes the file)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.filestore import FileStore, StoredFile
from portalkit.signed_identity import Identity
from portalkit.signing_keys import KeyRing

from . import checks, edifact, receipts, scope, supervision_rows
from .events import outbox
from .models import Deposit, DepositStep, Entity
from .refusals import Refusal

# Earlier deposits a new one does not correct: refused by the partner or rejected, they never counted.
REFUSED = ("refused_by_partner", "rejected")


def entities_of(session: Session, identity: Identity) -> dict[str, str]:
    """The SIRENs of the entities the declarant declares for (a supervisor: its subsidiaries)."""
    return scope.sirens(session, identity)


def _entity_name(session: Session, entity_id: str) -> str:
    entity = session.get(Entity, entity_id)
    return entity.name if entity is not None else ""


def _read_all(store: FileStore, stored: StoredFile) -> bytes:
    return b"".join(store.open(stored.key))


def deposit(session: Session, store: FileStore, stored: StoredFile, file_name: str, identity: Identity,
            campaigns: tuple[int, ...], ring: KeyRing, moment: datetime) -> Deposit:
    """Check the stored file and record the deposit; ``Refusal`` (400, 409) deletes the file."""
    try:
        interchange = edifact.read(_read_all(store, stored))
        filing = checks.check(interchange, entities_of(session, identity), campaigns)
        earlier = session.scalars(select(Deposit).where(Deposit.entity_id == filing.entity_id,
                                                        Deposit.sha256 == stored.sha256)).first()
        if earlier is not None:
            raise Refusal("duplicate_filing", "UNB", 1, status=409, value=earlier.id)
        corrected = session.scalars(select(Deposit.id).where(
            Deposit.entity_id == filing.entity_id, Deposit.kind == filing.kind,
            Deposit.period_end == filing.period_end, Deposit.status.not_in(REFUSED))).first()
        row = Deposit(entity_id=filing.entity_id, siren=filing.siren, declarant_id=identity.user_id,
                      file_key=stored.key, file_name=file_name[:255], size=stored.size, sha256=stored.sha256,
                      kind=filing.kind, campaign=filing.campaign, interchange_reference=filing.interchange_reference[:40],
                      period_start=filing.period_start, period_end=filing.period_end,
                      regimes=",".join(filing.regimes)[:100], currency=filing.currency[:3],
                      tax_reference=filing.tax_reference[:40], corrective=corrected is not None, obligation=filing.obligation,
                      status="queued", next_attempt_at=moment, deposited_at=moment, receipt="")
        session.add(row)
        session.flush()
        row.receipt = receipts.issue(ring, row.id, row.siren, row.sha256, moment)
        # The portal's checks, each passed at the moment of the deposit; "queued" (for the partner,
        # transmission.py) ends them, not final: the partner's and the administration's steps follow.
        for step in ("received", *checks.STEPS, "queued"):
            session.add(DepositStep(deposit_id=row.id, step=step, at=moment))
        supervision_rows.record(session, row)
        outbox.add(session, "DeclarationDeposited", {
            "deposit_id": row.id, "entity_id": row.entity_id, "siren": row.siren, "declarant_id": row.declarant_id,
            "entity_name": _entity_name(session, row.entity_id), "file_name": row.file_name,
            "sha256": row.sha256, "size": row.size, "kind": row.kind, "campaign": row.campaign,
            "period_start": row.period_start, "period_end": row.period_end, "corrective": row.corrective,
            "deposited_at": moment})
        session.commit()
        return row
    except IntegrityError:
        # Two deposits of one file at once: the other one won.
        session.rollback()
        store.delete(stored.key)
        raise Refusal("duplicate_filing", "UNB", 1, status=409, value="") from None
    except BaseException:
        session.rollback()
        store.delete(stored.key)
        raise
