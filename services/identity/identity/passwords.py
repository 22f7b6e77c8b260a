"""Password hashing (argon2id) and a user's password history."""
from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow

from .models import PasswordHistory, User

# OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the e-mail is unknown, so that known and unknown addresses take the same time.
DUMMY_HASH = HASHER.hash("not a password of anyone")


# One hash per core at a time: each works through 19 MiB, and more of them at once than cores
# only evict each other from the caches.
_CORES = threading.BoundedSemaphore(os.cpu_count() or 1)


def hash_password(password: str) -> str:
    with _CORES:
        return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        with _CORES:
            return HASHER.verify(password_hash or DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def spend_hashing_time() -> None:
    """Cost what one password check costs, for answers that must not tell cases apart by time."""
    verify_password(None, "not a password")


def recent_hashes(session: Session, user: User, count: int) -> list[str]:
    """The hashes of the user's ``count`` latest passwords, the current one included."""
    return list(session.scalars(select(PasswordHistory.password_hash)
                                .where(PasswordHistory.user_id == user.id)
                                .order_by(PasswordHistory.created_at.desc(), PasswordHistory.id)
                                .limit(count)))


def store_password(session: Session, user: User, password: str, keep: int) -> None:
    """Make ``password`` the user's (hashed), remember it, and forget all but the ``keep`` latest."""
    now = utcnow()
    user.password_hash, user.password_changed_at = hash_password(password), now
    user.password_renewal_required = False
    session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash, created_at=now))
    session.flush()
    kept = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id) \
        .order_by(PasswordHistory.created_at.desc(), PasswordHistory.id).limit(keep)
    session.execute(delete(PasswordHistory).where(PasswordHistory.user_id == user.id,
                                                  PasswordHistory.id.not_in(kept.scalar_subquery())))
