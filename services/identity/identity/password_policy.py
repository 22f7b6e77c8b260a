"""The rules of the three password security levels, each named by a stable code.

1 weak: 8 characters at least. 2 moderate: 8 characters of 3 classes, nothing of the names, none
of the last 10 passwords. 3 strong: as moderate, 10 characters. Every level: at most 128
characters (never truncated), not a common password (nor one with a few digits or symbols
around it), not the e-mail address.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

from sqlalchemy.orm import Session

from portalkit.errors import PortalError

from .models import User
from .passwords import recent_hashes, verify_password
from .settings import IdentitySettings

MIN_LENGTH = {1: 8, 2: 8, 3: 10}
MAX_LENGTH = 128
LEVEL_NAMES = {1: "weak", 2: "moderate", 3: "strong"}
CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


def rules_for(level: int) -> list[str]:
    """The codes of the rules a new password must meet at ``level``, in the order pages list them."""
    codes = [f"min_length_{MIN_LENGTH[level]}", f"max_length_{MAX_LENGTH}"]
    if level >= 2:
        codes += ["three_character_classes", "no_part_of_name", "reused_password"]
    return codes + ["common_password", "not_email"]


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the 30,000 most common passwords (see data/README.md), lower case."""
    text = resources.files("identity").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line)


# A listed password with a few digits or symbols before or after it ("!!password2024",
# "Password123!") is as guessable as the listed one: guessers try those first.
MAX_PADDING, MIN_LISTED_CORE = 6, 4


def _padding(text: str) -> int:
    """How many of ``text``'s first characters (at most MAX_PADDING) are digits or symbols."""
    count = 0
    while count < min(MAX_PADDING, len(text)) and not text[count].isalpha():
        count += 1
    return count


def is_common(password: str) -> bool:
    """True for a listed password in any case, also with up to 6 digits or symbols before or
    after it; at most 49 set look-ups."""
    folded, listed = password.casefold(), common_passwords()
    lead, trail, length = _padding(folded), _padding(folded[::-1]), len(folded)
    return any(folded[start:length - end] in listed for start in range(lead + 1) for end in range(trail + 1)
               if start == end == 0 or length - start - end >= MIN_LISTED_CORE)


def fold(text: str) -> str:
    """Lower case without accents: "Élodie" and "elodie" are the same to the name rule."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _classes(password: str) -> int:
    return sum(bool(re.search(pattern, password)) for pattern in CLASSES)


def _has_part_of(folded_password: str, names: tuple[str, ...]) -> bool:
    for name in names:
        name = fold(name or "")
        if any(name[i:i + 3] in folded_password for i in range(len(name) - 2)):
            return True
    return False


def _is_email(folded_password: str, email: str | None) -> bool:
    if not email:
        return False
    address = fold(email)
    return folded_password in (address, address.partition("@")[0])


def broken_rules(password: str, level: int, email: str | None = None, names: tuple[str, ...] = (),
                 previous_hashes: tuple[str, ...] = ()) -> list[str]:
    """The codes of the rules ``password`` breaks at ``level`` (empty if it is acceptable)."""
    broken = []
    if len(password) < MIN_LENGTH[level]:
        broken.append(f"min_length_{MIN_LENGTH[level]}")
    if len(password) > MAX_LENGTH:
        broken.append(f"max_length_{MAX_LENGTH}")
        return broken  # never hashed, so not compared with the history either
    folded = fold(password)
    if level >= 2:
        if _classes(password) < 3:
            broken.append("three_character_classes")
        if _has_part_of(folded, names):
            broken.append("no_part_of_name")
        if any(verify_password(previous, password) for previous in previous_hashes):
            broken.append("reused_password")
    if is_common(password):
        broken.append("common_password")
    if _is_email(folded, email):
        broken.append("not_email")
    return broken


def check_new_password(session: Session, settings: IdentitySettings, user: User, password: str) -> None:
    """Refuse (400 ``password_rules``, ``fields.password`` = the broken codes) a password the
    user's level does not allow."""
    history: tuple[str, ...] = ()
    if user.security_level >= 2:
        # The current password counts even if it was set before the history was kept.
        history = tuple(dict.fromkeys([*([user.password_hash] if user.password_hash else []),
                                       *recent_hashes(session, user, settings.password_history)]))
    broken = broken_rules(password, user.security_level, user.email, (user.first_name, user.last_name), history)
    if broken:
        raise PortalError(400, "password_rules", "The password does not meet the rules.", {"password": broken})
