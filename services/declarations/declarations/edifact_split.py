"""A fast reading of an EDIFACT text into segments, the same as ``pydifact.Parser().parse``.

pydifact's tokenizer reads one character at a time (~2 s a MiB); here the text is cut with
``str.split``/``re.split`` on the segment terminator and the separators. pydifact still makes the
segments: the first segment of each tag (every UNB, every segment without elements) is built by
``Parser.convert_raw_segment_to_segment``, which checks the tag and raises as it would; later
segments of a tag it accepted are taken as it would build them (its generic ``Segment`` keeps the
elements as given: no segment class of its own is registered for them). Its quirks are reproduced
(``tests/test_declarations_edifact_split.py`` compares the two):

- the UNA service string advice is read where pydifact reads it (at the start, else after the
  first ``'UNA``, what precedes it dropped), the text after it stripped of leading CR/LF;
- after a terminator, spaces, CRs and LFs are skipped (``Characters.line_terminators``);
- an element's trailing empty components are dropped (``A:B:`` is ``["A", "B"]``, ``A:`` is ``"A"``);
- a last segment without its terminator is dropped if it ends on a separator, an error otherwise.

A text without a release character nor an empty segment is made in bulk (``_bulk``: the loops
in C, a segment's components split only when read, ``edifact.Segment.element``); otherwise
segment by segment. Whatever this fast path is not sure of goes to pydifact's own tokenizer: a segment holding the
release character is tokenized by it alone (its state starts afresh after each terminator); a
text with unusual service characters (not distinct, or white space) or a release character where
pydifact skips white space is parsed whole by ``Parser.parse``; an empty segment (pydifact reads
its terminator as content, glued to the next segment) is tokenized by pydifact with that next one.
"""
from __future__ import annotations

import re
from itertools import count, repeat
from operator import itemgetter

from pydifact.control import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser, TokenIterator
from pydifact.segments import Segment
from pydifact.tokenizer import Tokenizer

_SKIPPED = "".join(Characters().line_terminators)  # " \r\n": skipped after a terminator


class _Unusual(Exception):
    """The fast path is not sure of this text: pydifact's parser reads it whole."""


def service_characters(message: str) -> tuple[Characters | None, str]:
    """pydifact's reading of UNA (``Parser.parse``): the characters (None without UNA) and the
    text after it."""
    if message.startswith("UNA"):
        index, begin = 0, 3
    else:
        index = message.find("'UNA")
        begin = index + 4
    if index == -1:
        return None, message
    characters = Characters.from_str(f"UNA{message[begin:begin + 6]}")
    return characters, message[begin + 6:].lstrip("\r\n")


def _odd_release(text: str, release: str) -> bool:
    """Whether ``text`` ends with an odd run of release characters (its last one releases what follows)."""
    return (len(text) - len(text.rstrip(release))) % 2 == 1


def _pieces(text: str, terminator: str, release: str) -> list[str]:
    """The text cut at each terminator not released, each piece but the first stripped of the
    white space skipped after a terminator; the last piece is what follows the last terminator."""
    if release + terminator not in text:
        # No terminator is released: one split, eating the white space after each terminator.
        return re.split(re.escape(terminator) + "[ \r\n]*", text)
    joined: list[str] = []
    carry = None
    for piece in text.split(terminator):
        if carry is not None:
            piece = carry + terminator + piece
        elif joined:
            piece = piece.lstrip(_SKIPPED)
        if piece.endswith(release) and _odd_release(piece, release):
            carry = piece
        else:
            joined.append(piece)
            carry = None
    if carry is not None:
        joined.append(carry)
    return joined


def element(text: str, component: str):
    """An element's text (components not split yet) as pydifact builds it."""
    return _trimmed(text.split(component)) if component in text else text


def _trimmed(parts: list[str]):
    """An element of components as pydifact builds it: without its trailing empty components, a
    str when one is left, "" when none."""
    while parts and not parts[-1]:
        parts.pop()
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else parts


def _tokenized(parser: Parser, text: str, characters: Characters) -> list[list]:
    """pydifact's own tokenizer on one segment (or a last unterminated one): its raw segments."""
    tokens = TokenIterator(Tokenizer().get_tokens(text, characters))
    return list(parser.convert_tokens_to_raw_segments(tokens))


class _Builder:
    """Segments as pydifact builds them: through ``convert_raw_segment_to_segment`` for the first
    of each tag (and every UNB, and every segment without elements); a tag it accepted once it
    accepts again the same way. Each segment is a tuple ``(index, tag, elements)`` of ``kind``
    (a tuple's subclass), ``index`` counted from 1."""

    def __init__(self, parser: Parser, kind: type):
        self.parser, self.kind, self.segments = parser, kind, []
        self.accepted: set[str] = set()
        # pydifact's own segment classes (none by default) are built by pydifact every time.
        self.special = {"UNB", "UNA"} | {getattr(plugin, "tag", "") for plugin in Segment.plugins}

    def add(self, raw: list) -> None:
        tag = raw[0]
        try:
            known = tag in self.accepted
        except TypeError:  # a list (components) as the tag: pydifact refuses it below
            known = False
        if known and len(raw) > 1:
            elements = tuple(raw)[1:]
        else:
            segment = self.parser.convert_raw_segment_to_segment(raw, directory=self.parser.directory)
            if type(segment) is Segment and segment.tag not in self.special and segment.elements:
                self.accepted.add(segment.tag)
            tag, elements = segment.tag, tuple(segment.elements)
        self.segments.append(tuple.__new__(self.kind, (len(self.segments) + 1, tag, elements, "")))


def _read(builder: _Builder, message: str, characters: Characters) -> None:
    """Every segment into ``builder``; ``_Unusual`` when pydifact's parser must read it all."""
    terminator, release = characters.segment_terminator, characters.escape_character
    data, component = characters.data_separator, characters.component_separator
    service = {terminator, release, data, component}
    if len(service) != 4 or service & set(_SKIPPED):
        raise _Unusual()
    pieces = _pieces(message, terminator, release)
    tail = pieces.pop()
    if release not in message and all(pieces):
        _bulk(builder, pieces, data, component)
        pieces = []
    add, accepted, segments, kind, new = builder.add, builder.accepted, builder.segments, builder.kind, tuple.__new__
    glued = False
    for position, piece in enumerate(pieces):
        if glued:  # read with the empty segment before it
            glued = False
            continue
        if not piece:
            # An empty segment: pydifact reads its terminator as the content of a segment that
            # runs to the next terminator (a tag it then refuses) — its tokenizer on just that.
            if terminator.isalnum():
                raise _Unusual()
            following = pieces[position + 1] + terminator if position + 1 < len(pieces) else tail
            for raw in _tokenized(builder.parser, terminator + following, characters):
                add(raw)
            if position + 1 >= len(pieces):
                return  # the tail was read with it
            glued = True
            continue
        if piece[0] == release and piece[1:2] in _SKIPPED:
            # A release character that pydifact would read while skipping white space.
            raise _Unusual()
        if release in piece:
            for raw in _tokenized(builder.parser, piece + terminator, characters):
                add(raw)
            continue
        row = piece.split(data)
        if component in piece:
            for index, element in enumerate(row):
                if component in element:
                    parts = element.split(component)
                    row[index] = parts if parts[-1] else _trimmed(parts)
        tag = row[0]
        if tag.__class__ is str and tag in accepted and len(row) > 1:
            # builder.add's known tag, inlined: this line runs for nearly every segment.
            segments.append(new(kind, (len(segments) + 1, tag, tuple(row)[1:], "")))
        else:
            add(row)
    if tail:  # no terminator after it: pydifact drops it or finds the end unexpected
        for raw in _tokenized(builder.parser, tail, characters):
            add(raw)


def _index(items: list, value, start: int, end: int) -> int:
    try:
        return items.index(value, start, end)
    except ValueError:
        return -1


def _bulk(builder: _Builder, pieces: list[str], data: str, component: str) -> None:
    """Segments without a release character nor an empty one, made in bulk (the loops in C): the
    elements cut on the data separator, their components split only when read (``element``).
    pydifact builds a probe of each tag first seen and every UNB: its error, if any, ends the
    segments at the first one it refuses."""
    rows = list(map(str.split, pieces, repeat(data)))
    pieces.clear()  # the segments' texts, no longer needed: the parse's peak of memory is lower
    tags = list(map(itemgetter(0), rows))
    end, error = len(rows), None
    distinct = list(dict.fromkeys(tags))  # in the order first seen
    # A tag is an element too: "MOA:" is pydifact's "MOA" (a list of components it refuses).
    names = {tag: element(tag, component) for tag in distinct if component in tag}
    probe = _Builder(builder.parser, tuple)
    for tag in distinct:
        name = names.get(tag, tag)
        if name.__class__ is str and (name in builder.accepted or name in builder.special):
            continue
        try:
            # pydifact's checks of a segment but UNB's depend on its tag alone.
            probe.add([name, ""])
        except (EDISyntaxError, ValueError, IndexError) as refused:
            end, error = tags.index(tag), refused
            break
        builder.accepted.add(name)
    if names:
        renamed = {tag: name for tag, name in names.items() if name.__class__ is str}
        tags = [renamed.get(tag, tag) for tag in tags[:end]]
    distinct = set(tags[:end])
    unbs = []
    for tag in builder.special & distinct:
        position = -1
        while (position := _index(tags, tag, position + 1, end)) >= 0:
            unbs.append(position)
    unbs.sort()
    start = len(builder.segments) + 1
    builder.segments.extend(map(tuple.__new__, repeat(builder.kind), zip(
        count(start), tags[:end], map(itemgetter(slice(1, None)), rows[:end]), repeat(component))))
    for position in unbs:  # UNB (and UNA): pydifact's own building, in place
        try:
            built = probe.parser.convert_raw_segment_to_segment(
                [element(field, component) for field in rows[position]], directory=probe.parser.directory)
        except (EDISyntaxError, ValueError, IndexError) as refused:
            del builder.segments[start - 1 + position:]
            raise refused from None
        builder.segments[start - 1 + position] = tuple.__new__(
            builder.kind, (start + position, built.tag, tuple(built.elements), ""))
    if error is not None:
        raise error


def parse(message: str, kind: type = tuple) -> tuple[list, Exception | None]:
    """The segments of ``message`` but UNA, as ``(index, tag, elements)`` tuples of ``kind`` — what
    ``pydifact.Parser().parse`` yields — and the error it raises after them (``EDISyntaxError``,
    ``ValueError``, ``IndexError``), or None. A ``ValidationError`` for a UNA cut short is raised
    at once, as pydifact does."""
    parser = Parser()
    characters, rest = service_characters(message)
    builder = _Builder(parser, kind)
    try:
        _read(builder, rest, characters or parser.characters)
    except _Unusual:
        return _whole(message, kind)
    except (EDISyntaxError, ValueError, IndexError) as error:
        return builder.segments, error
    return builder.segments, None


def _whole(message: str, kind: type) -> tuple[list, Exception | None]:
    """pydifact's parser on the whole text (the tokenizer's speed)."""
    segments: list = []
    try:
        for segment in Parser().parse(message):
            if segment.tag != "UNA":
                segments.append(tuple.__new__(kind, (len(segments) + 1, segment.tag, tuple(segment.elements), "")))
    except (EDISyntaxError, ValueError, IndexError) as error:
        return segments, error
    return segments, None
