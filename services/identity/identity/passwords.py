"""Password hashing (argon2id) and the security-level rules a new password must meet."""
from __future__ import annotations

import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_LENGTH = 128
# Verified when the e-mail is unknown, so that known and unknown addresses take the same time.
DUMMY_HASH = HASHER.hash("not a password of anyone")

MIN_LENGTH = {1: 8, 2: 8, 3: 10}
LEVEL_NAMES = {1: "weak", 2: "moderate", 3: "strong"}


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _classes(password: str) -> int:
    return sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"))


def broken_rules(password: str, level: int, email: str | None = None,
                 names: tuple[str, ...] = ()) -> list[str]:
    """The stable codes of the rules ``password`` breaks at ``level`` (empty if it is acceptable)."""
    broken = []
    if len(password) < MIN_LENGTH[level]:
        broken.append(f"min_length_{MIN_LENGTH[level]}")
    if len(password) > MAX_LENGTH:
        broken.append(f"max_length_{MAX_LENGTH}")
    if level >= 2:
        if _classes(password) < 3:
            broken.append("three_character_classes")
        folded = _fold(password)
        for name in names:
            name = _fold(name)
            if any(name[i:i + 3] in folded for i in range(len(name) - 2)):
                broken.append("no_part_of_name")
                break
    if email and _fold(password) == _fold(email):
        broken.append("not_email")
    return broken
