"""The password rules of each security level as the pages list them, and the words for each rule code.

identity decides (its 400 names the broken rules by code); these lists only let the page show the
rules beforehand and tick them live. A code the page does not know yet is shown generically.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext

MIN_LENGTH = {1: 8, 2: 8, 3: 10}
MAX_LENGTH = 128
DEFAULT_LEVEL = 2


@dataclass(frozen=True)
class Rule:
    code: str
    text: str


def level_of(value) -> int:
    return value if value in MIN_LENGTH else DEFAULT_LEVEL


def rules_for(level: int) -> list[Rule]:
    """The rules a new password must meet at ``level`` (1 weak, 2 moderate, 3 strong)."""
    level = level_of(level)
    codes = [f"min_length_{MIN_LENGTH[level]}", f"max_length_{MAX_LENGTH}"]
    if level >= 2:
        codes += ["three_character_classes", "no_part_of_name"]
    codes.append("not_email")
    return [Rule(code, describe(code)) for code in codes]


def describe(code: str) -> str:
    """The sentence for one rule code, in the page's language."""
    length = re.fullmatch(r"(min|max)_length_(\d+)", code)
    if length:
        kind, count = length.group(1), int(length.group(2))
        if kind == "min":
            return gettext("At least %(count)d characters", count=count)
        return gettext("At most %(count)d characters", count=count)
    known = {
        "three_character_classes": gettext(
            "At least 3 of these 4 kinds: lower-case letters, upper-case letters, digits, other signs"),
        "no_part_of_name": gettext("No 3 consecutive characters of your first or last name"),
        "not_email": gettext("Not your e-mail address"),
        "common_password": gettext("Not a commonly used password"),
        "reused_password": gettext("Not one of your previous passwords"),
        "passwords_match": gettext("Both passwords are the same"),
    }
    return known.get(code) or gettext("The password does not meet a security rule (%(code)s)", code=code)


@dataclass
class NewPasswordForm:
    """What ``_password.html`` shows: the level's rules, those identity refused, the field errors."""

    level: int
    errors: dict
    broken: list[str]

    @property
    def rules(self) -> list[Rule]:
        return rules_for(self.level)

    @property
    def broken_texts(self) -> list[str]:
        return [describe(code) for code in self.broken]

    @property
    def match_rule(self) -> str:
        return describe("passwords_match")

    @property
    def min_length(self) -> int:
        return MIN_LENGTH[self.level]

    max_length = MAX_LENGTH


def new_password_form(level, errors: dict | None = None, broken: list[str] | None = None) -> NewPasswordForm:
    return NewPasswordForm(level_of(level), errors or {}, broken or [])


def check_confirmation(password: str, confirmation: str) -> dict:
    """The field errors of a new password before it is sent (identity checks the rules)."""
    if not password:
        return {"password": gettext("Choose a password.")}
    if password != confirmation:
        return {"password_confirmation": gettext("The two passwords are not the same.")}
    return {}


def refusal(broken: list[str]) -> dict:
    return {"password": gettext("The password does not meet these rules:")} if broken else {}
