"""Reading a deposited file as EDIFACT: the optional software header line, the charset UNB names,
and pydifact's syntax (read by ``edifact_split``: cut fast, pydifact's segments, pydifact's own
tokenizer for what the fast path is not sure of), into segments that remember their position
(``Segment.index``).

Positions are 1-based, counted from UNB (UNA, a service string advice, is not counted); elements
are 1-based after the tag, components 1-based within an element.
"""
from __future__ import annotations

import gc
import re
import warnings
from dataclasses import dataclass
from typing import NamedTuple

from pydifact.exceptions import EDISyntaxError, MissingImplementationWarning, ValidationError

from . import edifact_split
from .refusals import Refusal

# UNB's syntax identifier → the charset of the interchange's bytes (UNOL: Latin-9).
CHARSETS = {"UNOA": "ascii", "UNOB": "ascii", "UNOC": "iso-8859-1", "UNOL": "iso-8859-15"}
_START = re.compile(rb"UN[AB]")
# Control characters have no place in a text interchange: a binary file is refused by them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Segment(NamedTuple):
    """A light segment (a tuple: an interchange of 5 MB makes ~400,000 of them). ``fields``: its
    elements as pydifact builds them (a str, or a list of str: components) — or, when ``separator``
    is the component separator, as their text, split into components only when read (most are
    never read: the checks look at a few segments)."""
    index: int
    tag: str
    fields: list | tuple
    separator: str = ""

    @property
    def elements(self) -> tuple:
        return tuple(self.element(position) for position in range(1, len(self.fields) + 1))

    def element(self, position: int) -> str | list | None:
        if not 0 < position <= len(self.fields):
            return None
        value = self.fields[position - 1]
        return edifact_split.element(value, self.separator) if self.separator else value

    def component(self, position: int, component: int = 1) -> str:
        """One component as text ("" when absent); a simple element is its own first component."""
        value = self.element(position)
        if isinstance(value, list):
            return value[component - 1] if component <= len(value) else ""
        return (value or "") if component == 1 else ""


@dataclass(frozen=True)
class Interchange:
    header: bytes  # the software's header line before UNA/UNB, kept as received (may be empty)
    syntax: str    # UNB's syntax identifier (UNOL…)
    segments: list[Segment]


def split_header(data: bytes) -> tuple[bytes, bytes]:
    """The header line some software writes before the interchange (``DOC+01=…'``), and the rest."""
    if data.startswith((b"UNA", b"UNB")):
        return b"", data
    for match in _START.finditer(data):
        # The interchange starts after a segment terminator (the header's) or a line break.
        if data[match.start() - 1:match.start()] in (b"'", b"\n", b"\r"):
            return data[:match.start()], data[match.start():]
    raise Refusal("no_interchange", "UNB", 0)


def syntax_identifier(body: bytes) -> str:
    """UNB's syntax identifier, read from the bytes before decoding (it is plain ASCII)."""
    at = body.find(b"UNB")
    identifier = body[at + 4:at + 8].decode("ascii", "replace") if at >= 0 else ""
    if identifier not in CHARSETS:
        raise Refusal("unknown_charset", "UNB", 1, 1, value=identifier)
    return identifier


def read(data: bytes) -> Interchange:
    """The interchange's segments; ``Refusal`` for bytes that are not a readable EDIFACT text."""
    header, body = split_header(data)
    syntax = syntax_identifier(body)
    try:
        text = body.decode(CHARSETS[syntax])
    except UnicodeDecodeError as error:
        raise Refusal("undecodable", "UNB", 1, 1, value=syntax, offset=len(header) + error.start) from None
    control = _CONTROL.search(text)
    if control:
        raise Refusal("undecodable", "UNB", 1, 1, value=syntax, offset=len(header) + control.start())
    # The parse makes hundreds of thousands of small objects that all live on: the collector's
    # passes over them would cost a good part of the time, and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with warnings.catch_warnings():
            # pydifact ships no segment directory for these syntaxes: the checks are the portal's own.
            warnings.simplefilter("ignore", MissingImplementationWarning)
            segments, error = edifact_split.parse(text, Segment)
    except ValidationError as failed:  # pydifact: a UNA cut short
        error, segments = failed, []
    finally:
        if collecting:
            gc.enable()
    if error is not None:
        # The segment being read when the text stopped making sense: the one after the last read.
        raise Refusal("syntax_error", "?", len(segments) + 1, detail=str(error))
    return Interchange(header, syntax, segments)
