"""A short stand-in for identity's password rules (the pages only show the codes identity answers)."""
from __future__ import annotations

import re


def broken_rules(password: str, profile: dict) -> list[str]:
    """A short stand-in for identity's rules (the pages only show the codes identity answers)."""
    level = profile.get("security_level", 2)
    minimum = 10 if level == 3 else 8
    broken = [f"min_length_{minimum}"] if len(password) < minimum else []
    if len(password) > 128:
        broken.append("max_length_128")
    if level >= 2:
        if sum(bool(re.search(p, password)) for p in ("[a-z]", "[A-Z]", "[0-9]", "[^a-zA-Z0-9]")) < 3:
            broken.append("three_character_classes")
        names = (profile.get("first_name", ""), profile.get("last_name", ""))
        if any(name.lower()[i:i + 3] in password.lower() for name in names for i in range(len(name) - 2)):
            broken.append("no_part_of_name")
    if password.lower() == profile.get("email", "").lower():
        broken.append("not_email")
    if password == "Password123!":
        broken.append("common_password")
    return broken
