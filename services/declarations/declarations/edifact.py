"""Reading a deposited file as EDIFACT: the optional software header line, the charset UNB names,
and pydifact's syntax, into segments that remember their position (``Segment.index``).

Positions are 1-based, counted from UNB (UNA, a service string advice, is not counted); elements
are 1-based after the tag, components 1-based within an element.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from pydifact.exceptions import EDISyntaxError, MissingImplementationWarning
from pydifact.parser import Parser

from .refusals import Refusal

# UNB's syntax identifier → the charset of the interchange's bytes (UNOL: Latin-9).
CHARSETS = {"UNOA": "ascii", "UNOB": "ascii", "UNOC": "iso-8859-1", "UNOL": "iso-8859-15"}
_START = re.compile(rb"UN[AB]")
# Control characters have no place in a text interchange: a binary file is refused by them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Segment:
    index: int
    tag: str
    elements: tuple  # each a str, or a list of str (components)

    def element(self, position: int) -> str | list | None:
        return self.elements[position - 1] if 0 < position <= len(self.elements) else None

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
    segments: list[Segment] = []
    try:
        with warnings.catch_warnings():
            # pydifact ships no segment directory for these syntaxes: the checks are the portal's own.
            warnings.simplefilter("ignore", MissingImplementationWarning)
            for segment in Parser().parse(text):
                if segment.tag != "UNA":
                    segments.append(Segment(len(segments) + 1, segment.tag, tuple(segment.elements)))
    except (EDISyntaxError, ValueError, IndexError) as error:
        # The segment being read when the text stopped making sense: the one after the last read.
        raise Refusal("syntax_error", "?", len(segments) + 1, detail=str(error)) from None
    return Interchange(header, syntax, segments)
