"""The portal's checks of a deposited interchange, in order: the envelope (UNB/UNZ, UNG/UNE,
UNH/UNT), the message (INFENT, BGM+IDF), the declarant (NAD+DT: a valid SIREN of one of the
depositor's entities), the identification (F-IDENTIF) and the campaign. Each check either
passes or raises ``Refusal`` naming the segment at fault; ``check`` answers the ``Filing``, or
raises the first fault with every other one it found (``Refusal.faults``): the checks go on after
a fault where the rest still makes sense (each message's counts and references, the declarant, each
field of the identification, the campaign), and stop where it does not (a missing envelope
segment, a message that is not an INFENT).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from portalkit.fields import valid_siren

from .edifact import Interchange, Segment
from .obligations import classify
from .refusals import Refusal

STEPS = ("syntax", "envelope", "message", "declarant", "identification", "campaign")
MESSAGE_TYPE, DOCUMENT = "INFENT", "IDF"
_ASSOCIATION = re.compile(r"[A-Z]{2}(\d{2})\d{2}\Z")  # FD2401: the 2024 campaign's first release


@dataclass
class Filing:
    """What the checks read from an accepted interchange."""
    kind: str = MESSAGE_TYPE
    interchange_reference: str = ""
    message_reference: str = ""
    siren: str = ""
    entity_id: str = ""
    campaign: int = 0
    period_start: date | None = None
    period_end: date | None = None
    regimes: list[str] = field(default_factory=list)
    currency: str = ""
    tax_reference: str = ""
    obligation: str = "liasse"  # obligations.py's code, from the forms the message names


class Faults:
    """The faults found so far; ``noted`` runs a check the others can go on after. ``first_only``
    (a check called alone, the simulated partner's): the first fault raises at once."""

    def __init__(self, first_only: bool = False):
        self.found: list[Refusal] = []
        self.first_only = first_only

    @contextmanager
    def noted(self):
        try:
            yield
        except Refusal as refusal:
            if self.first_only:
                raise
            self.found.append(refusal)

    def refusal(self, stopped: Refusal | None = None) -> Refusal | None:
        """The first fault, carrying every one (``stopped``: the one the checks stopped at, last)."""
        found = self.found + ([stopped] if stopped is not None else [])
        if not found:
            return None
        found[0].others = found[1:]
        return found[0]


def check(interchange: Interchange, entities: dict[str, str], campaigns: tuple[int, ...]) -> Filing:
    """``entities``: the depositor's entities, SIREN → entity id; ``campaigns``: the open ones."""
    filing, faults = Filing(), Faults()
    try:
        messages = envelope(interchange.segments, filing, faults)
        first = messages[0]
        message(first, filing)
    except Refusal as stopped:
        raise faults.refusal(stopped) from None
    with faults.noted():
        declarant(first, entities, filing)
    identification(first, filing, faults)
    with faults.noted():
        campaign(first[0], campaigns, filing)
    refused = faults.refusal()
    if refused is not None:
        raise refused
    filing.obligation = classify(first)
    return filing


# --- the envelope ---------------------------------------------------------------------------
def _reference_matches(closing: Segment, position: int, opening: Segment, opening_position: int) -> None:
    if closing.component(position) != opening.component(opening_position):
        raise Refusal("reference_mismatch", closing.tag, closing.index, position,
                      value=closing.component(position), expected=opening.component(opening_position))


def _count_matches(closing: Segment, counted: int, what: str) -> None:
    value = closing.component(1)
    if value != str(counted):
        raise Refusal("wrong_count", closing.tag, closing.index, 1, value=value or "0", expected=counted,
                      counted=what)


def _missing(tag: str, index: int, where: str = "") -> Refusal:
    return Refusal("missing_segment", tag, index, where=where)


def envelope(segments: list[Segment], filing: Filing, faults: Faults | None = None) -> list[list[Segment]]:
    """The interchange's messages (each from UNH to UNT); a count or a reference that does not
    agree is noted in ``faults`` (without: raised), a segment missing or out of place raises."""
    faults = faults or Faults(first_only=True)
    if not segments or segments[0].tag != "UNB":
        raise _missing("UNB", 1, "start")
    unb, last = segments[0], segments[-1]
    if last.tag != "UNZ":
        raise _missing("UNZ", last.index + 1, "end")
    filing.interchange_reference = unb.component(5)
    messages: list[list[Segment]] = []
    groups = 0
    group: Segment | None = None
    group_messages = 0
    current: list[Segment] | None = None
    for segment in segments[1:-1]:
        if current is not None:
            current.append(segment)
            if segment.tag == "UNT":
                with faults.noted():
                    _count_matches(segment, len(current), "segments")
                with faults.noted():
                    _reference_matches(segment, 2, current[0], 1)
                messages.append(current)
                group_messages += 1
                current = None
            elif segment.tag in ("UNH", "UNG", "UNE", "UNB", "UNZ"):
                raise _missing("UNT", segment.index, "before")
        elif segment.tag == "UNH":
            current = [segment]
        elif segment.tag == "UNG" and group is None:
            group, group_messages = segment, 0
        elif segment.tag == "UNE" and group is not None:
            with faults.noted():
                _count_matches(segment, group_messages, "messages")
            with faults.noted():
                _reference_matches(segment, 2, group, 5)
            groups += 1
            group = None
        else:
            raise Refusal("syntax_error", segment.tag, segment.index)
    if current is not None:
        raise _missing("UNT", last.index, "before_unz")
    if group is not None:
        raise _missing("UNE", last.index, "before_unz")
    with faults.noted():
        _count_matches(last, groups or len(messages), "groups" if groups else "messages")
    with faults.noted():
        _reference_matches(last, 2, unb, 5)
    if not messages:
        raise _missing("UNH", 2)
    return messages


# --- the message ----------------------------------------------------------------------------
def message(segments: list[Segment], filing: Filing) -> None:
    unh = segments[0]
    if unh.component(2, 1) != MESSAGE_TYPE:
        raise Refusal("wrong_message_type", "UNH", unh.index, 2, 1, value=unh.component(2, 1))
    filing.message_reference = unh.component(1)
    bgm = next((segment for segment in segments if segment.tag == "BGM"), None)
    if bgm is None:
        raise _missing("BGM", unh.index + 1, "after_unh")
    if bgm.component(1, 1) != DOCUMENT:
        raise Refusal("wrong_document", "BGM", bgm.index, 1, 1, value=bgm.component(1, 1))


def declarant(segments: list[Segment], entities: dict[str, str], filing: Filing) -> None:
    nad = next((segment for segment in segments if segment.tag == "NAD" and segment.component(1) == "DT"), None)
    if nad is None:
        raise _missing("NAD+DT", segments[0].index + 1, "declarant")
    siren = nad.component(2, 1).strip()
    if not valid_siren(siren):
        raise Refusal("invalid_siren", "NAD", nad.index, 2, 1, value=siren)
    if siren not in entities:
        raise Refusal("not_your_entity", "NAD", nad.index, 2, 1, value=siren)
    filing.siren, filing.entity_id = siren, entities[siren]


# --- the identification (F-IDENTIF) -----------------------------------------------------------
def _zones(segments: list[Segment], form: str) -> list[tuple[str, Segment]]:
    """``(zone code, segment)`` for each data segment under an ``IND++<form> …<code>`` line, the
    code being the line's last five characters (``CADTM``: zone CA, carried by a DTM)."""
    zones, zone = [], None
    for segment in segments:
        if segment.tag == "IND":
            words = segment.component(2).split()
            zone = words[-1][-5:] if words and words[0] == form else None
        elif segment.tag != "SEQ" and zone is not None:
            zones.append((zone, segment))
    return zones


def _date(segment: Segment) -> date:
    text = segment.component(1, 2)
    refusal = Refusal("invalid_date", segment.tag, segment.index, 1, 2, value=text)
    if len(text) != 8 or not text.isdigit():
        raise refusal
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise refusal from None


def identification(segments: list[Segment], filing: Filing, faults: Faults | None = None) -> None:
    """Each field F-IDENTIF must give, each missing or wrong one a fault of its own (noted in
    ``faults``; without, the first raised)."""
    faults = faults or Faults(first_only=True)
    found: dict[str, Segment] = {}
    for code, segment in _zones(segments, "F-IDENTIF"):
        found.setdefault(code, segment)
        if code.endswith("CAV") or segment.tag == "CAV":
            filing.regimes.append(segment.component(1, 1))
    at = segments[0].index
    for name, code in (("period_start", "CADTM"), ("period_end", "CBDTM")):
        with faults.noted():
            if code not in found or found[code].tag != "DTM":
                raise Refusal("missing_identification", "IND", at, value=name)
            setattr(filing, name, _date(found[code]))
    with faults.noted():
        if not any(filing.regimes):
            raise Refusal("missing_identification", "IND", at, value="regime")
    with faults.noted():
        currency = next((segment for segment in found.values() if segment.tag == "CUX"), None)
        if currency is None or not currency.component(1, 2):
            raise Refusal("missing_identification", "IND", at, value="currency")
        filing.currency = currency.component(1, 2)
    with faults.noted():
        if "KDRFF" not in found or not found["KDRFF"].component(1, 2):
            raise Refusal("missing_identification", "IND", at, value="tax_reference")
        filing.tax_reference = found["KDRFF"].component(1, 2)


# --- the campaign ---------------------------------------------------------------------------
def campaign(unh: Segment, campaigns: tuple[int, ...], filing: Filing) -> None:
    """The millésime of UNH's association code (``FD2401`` → 2024) must be an open campaign."""
    code = unh.component(2, 5)
    match = _ASSOCIATION.match(code)
    year = 2000 + int(match.group(1)) if match else None
    if year not in campaigns:
        raise Refusal("campaign_closed", "UNH", unh.index, 2, 5, value=year or code or "none",
                      expected=", ".join(str(year) for year in sorted(campaigns)))
    filing.campaign = year
