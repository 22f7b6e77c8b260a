"""Marshmallow fields every service reads the same way: a single line of text (no control
character, no line break), a language given as any BCP 47 tag, kept as the portal's own, and a
French company's SIREN (its Luhn key checked)."""
from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields
from stdnum.fr import siren as stdnum_siren

# The portal speaks these; a tag keeps only its primary language.
PORTAL_LANGUAGES = ("en", "fr")
# RFC 5646's well-formed shape on a primary language the portal speaks: script, region (ISO
# 3166 or UN M.49), variants, extensions, private use. "_" is accepted too (Excel, POSIX
# locales write "fr_CA").
_TAG = re.compile(r"""(?P<language>en|fr)
    (?:[-_][a-z]{4})?
    (?:[-_](?:[a-z]{2}|[0-9]{3}))?
    (?:[-_](?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
    (?:[-_][a-wyz0-9](?:[-_][a-z0-9]{2,8})+)*
    (?:[-_]x(?:[-_][a-z0-9]{1,8})+)?""", re.IGNORECASE | re.VERBOSE)
# Bidirectional embeddings, overrides and isolates: they reorder what is shown (a name that
# reads differently from what it holds).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SINGLE_LINE_MESSAGE = "Must be a single line, without control characters."
# What the OpenAPI documents say of a single line (ECMA and Python read it alike): the same
# characters :func:`is_single_line` refuses — C0 and C1 controls, line and paragraph
# separators, bidirectional controls.
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
# What the OpenAPI documents say of a language: ``_TAG`` transcribed for ECMA, which has no
# case-insensitive flag (each letter class names both cases). A test keeps the two in step.
_TAG_PATTERN_BODY = (r"(?:[eE][nN]|[fF][rR])"
                     r"(?:[-_][a-zA-Z]{4})?"
                     r"(?:[-_](?:[a-zA-Z]{2}|[0-9]{3}))?"
                     r"(?:[-_](?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*"
                     r"(?:[-_][a-wyzA-WYZ0-9](?:[-_][a-zA-Z0-9]{2,8})+)*"
                     r"(?:[-_][xX](?:[-_][a-zA-Z0-9]{1,8})+)?")
LANGUAGE_PATTERN = rf"^{_TAG_PATTERN_BODY}$"
# A query's language where ``language=`` (blank) stands for "not given".
LANGUAGE_OR_BLANK_PATTERN = rf"^(?:{_TAG_PATTERN_BODY})?$"
_NOT_SINGLE_LINE = re.compile(r"[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def portal_language(tag: str | None) -> str | None:
    """The portal's language (``en`` or ``fr``) of a BCP 47 tag in any case, None if it speaks
    none of it: ``fr-CA`` → ``fr``, ``en-Latn-GB`` → ``en``, ``de`` → None."""
    match = _TAG.fullmatch(tag or "")
    return match.group("language").lower() if match else None


def is_single_line(text: str) -> bool:
    """True when ``text`` holds no control character (tab, line break, NUL, C1...), no Unicode
    line or paragraph separator and no bidirectional control."""
    # One regular expression, not a category lookup per character (a 500-id selection is 16,000
    # characters): Cc is exactly C0, DEL and C1, Zl and Zp exactly U+2028 and U+2029 (a test
    # compares the two over every code point).
    return _NOT_SINGLE_LINE.search(text) is None


def _is_single_line_by_category(text: str) -> bool:
    """``is_single_line`` by the Unicode categories it means (the definition the test checks against)."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI_CONTROLS for c in text)


def single_line(value: str) -> None:
    """A validator refusing text :func:`is_single_line` refuses."""
    if isinstance(value, str) and not is_single_line(value):
        raise ValidationError(SINGLE_LINE_MESSAGE)


class SingleLine(fields.String):
    """A string of one line: names, phones, titles, labels (never a free-text body)."""

    def __init__(self, *args, validate=None, **kwargs):
        validators = [validate] if callable(validate) else list(validate or [])
        kwargs["metadata"] = {"pattern": SINGLE_LINE_PATTERN, **kwargs.get("metadata", {})}
        super().__init__(*args, validate=[single_line, *validators], **kwargs)


class Language(fields.String):
    """A BCP 47 tag in, the portal's language (``en`` or ``fr``) kept; 400 for any other."""

    default_error_messages = {
        "unknown_language": "Not a language the portal speaks: give en or fr, with a region if you like (en-US, fr-FR).",
    }

    def __init__(self, blank_is_absent: bool = False, **kwargs):
        # A query's ``language=`` (a form's empty select) means "not given" where that is allowed.
        self.blank_is_absent = blank_is_absent
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", "a BCP 47 tag (en, en-US, fr-FR, fr-CA...), kept as en or fr")
        metadata.setdefault("pattern", LANGUAGE_OR_BLANK_PATTERN if blank_is_absent else LANGUAGE_PATTERN)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if self.blank_is_absent and value == "":
            return None
        language = portal_language(super()._deserialize(value, attr, data, **kwargs))
        if language is None:
            raise self.make_error("unknown_language")
        return language


def valid_siren(value: str | None) -> bool:
    """True for nine digits whose Luhn key holds (python-stdnum's check; no spaces: the portal
    keeps and compares the plain nine digits, as the tax administration's files carry them)."""
    return isinstance(value, str) and len(value) == 9 and value.isdigit() and stdnum_siren.is_valid(value)

