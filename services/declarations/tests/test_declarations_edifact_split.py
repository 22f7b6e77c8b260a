"""The fast splitter (edifact_split) against pydifact's own tokenizer: the same segments, the same
error after the same segments, on the sample, on generated interchanges and on edge cases; and
the fast path really taken where it should be (pydifact's parser reading the whole text is the
fallback, not the rule)."""
from __future__ import annotations

import random

import pytest
from pydifact.exceptions import EDISyntaxError, ValidationError
from pydifact.parser import Parser

from declarations import edifact, edifact_split

# pydifact warns of every service segment it has no directory for, and of segments without elements.
pytestmark = pytest.mark.filterwarnings("ignore::pydifact.exceptions.MissingImplementationWarning",
                                        "ignore::SyntaxWarning")


def reference(text: str):
    """pydifact's tokenizer and parser: the segments but UNA, and the class of the error after them."""
    segments = []
    try:
        for segment in Parser().parse(text):
            if segment.tag != "UNA":
                segments.append((segment.tag, tuple(segment.elements)))
    except (EDISyntaxError, ValueError, IndexError) as error:
        return segments, type(error)
    return segments, None


def fast(text: str):
    segments, error = edifact_split.parse(text, edifact.Segment)
    assert [segment.index for segment in segments] == list(range(1, len(segments) + 1))
    return [(segment.tag, segment.elements) for segment in segments], type(error) if error else None


@pytest.fixture
def no_fallback(monkeypatch):
    """The text must be read by the fast path: pydifact's whole-text parser is not called."""
    def whole(message, kind):
        raise AssertionError("the fast path fell back to pydifact's parser")
    monkeypatch.setattr(edifact_split, "_whole", whole)


def body_of(data: bytes) -> str:
    header, body = edifact.split_header(data)
    return body.decode("iso-8859-15")


def test_the_sample_reads_the_same(sample, good, no_fallback):
    for data in (sample, good):
        expected = reference(body_of(data))
        assert expected[1] is None and len(expected[0]) == 101
        assert fast(body_of(data)) == expected
    # Made in bulk (no release character): components split when read, UNB by pydifact.
    segments, _ = edifact_split.parse(body_of(good), edifact.Segment)
    assert segments[0].separator == "" and {segment.separator for segment in segments[1:]} == {":"}
    assert segments[0].fields == (["UNOL", "3"], ["99999999800028", "5", "I"], ["9215001", "146"],
                                  ["240704", "1032"], "20241861032cor", "", "", "", "", "TDT-PED-IN-TD2401")
    # With the software's header line before UNA: pydifact finds "'UNA" and drops what precedes it.
    text = sample.decode("iso-8859-15")
    assert not text.startswith("UNA") and fast(text) == reference(text)


ENVELOPE = "UNA:+.? 'UNB+UNOL:3+SENDER+RECIPIENT+240704:1032+REF'"
EDGE_CASES = {
    "release before the terminator": ENVELOPE + "FTX+AAA+++L?'ENTREPRISE D?'EN FACE'UNZ+1+REF'",
    "release before the separators": ENVELOPE + "FTX+AAA+++A?+B?:C+D?:'UNZ+1+REF'",
    "released release": ENVELOPE + "FTX+AAA+++A??'UNZ+1+REF'",
    "released release then released terminator": ENVELOPE + "FTX+AAA+++A???'B'UNZ+1+REF'",
    "release before a letter": ENVELOPE + "FTX+AAA+++?A?B'UNZ+1+REF'",
    "release at the end": ENVELOPE + "UNZ+1+REF?",
    "release before the last terminator": ENVELOPE + "UNZ+1+REF?'",
    "release then a line break": ENVELOPE + "FTX+AAA+++A?\nB'UNZ+1+REF'",
    "release after a line break between segments": ENVELOPE + "\r\n?AFTX+AAA'UNZ+1+REF'",
    "released space after a terminator": ENVELOPE + "? FTX+AAA'UNZ+1+REF'",
    "empty elements": ENVELOPE + "NAD+DT++++X+++'FTX+'UNZ+1+REF'",
    "empty components": ENVELOPE + "NAD+:A+A:+A::+::+:+::B+A:::B:'UNZ+1+REF'",
    "only a tag": ENVELOPE + "UNH'UNZ+1+REF'",
    "UNA with other separators": "UNA*|.! ~UNB|UNOL*3|S|R|240704*1032|REF~FTX|A!~B!|C*D!*|E~UNZ|1|REF~",
    "UNA with repeated separators": "UNA++.? 'UNB+UNOL+3'UNZ+1'",
    "UNA cut short": "UNA:+",
    "a line break as the terminator": "UNA:+.? \nUNB+UNOL:3+S+R+1:2+REF\nUNZ+1+REF\n",
    "no UNA": "UNB+UNOL:3+S+R+1:2+REF'FTX+A?'B'UNZ+1+REF'",
    "UNA inside after UNB": "UNB+UNOL:3+S+R+1:2+REF'UNA:+.? 'UNZ+1+REF'",
    "CRLF between segments": ENVELOPE.replace("'", "'\r\n") + "UNH+1+INFENT'\r\n  UNT+2+1'\r\nUNZ+1+REF'\r\n",
    "LF inside a segment": ENVELOPE + "FTX+AAA\n+B'UNZ+1+REF'",
    "Latin-9 text": ENVELOPE + "NAD+DT+732829320:100:107++SOCIÉTÉ € ŒUVRES ŠŽ+Rue de l?'Été'UNZ+1+REF'",
    "truncated in a segment": ENVELOPE + "UNH+1+INF",
    "truncated after a separator": ENVELOPE + "UNZ+1+",
    "truncated after a component separator": ENVELOPE + "UNZ+1:",
    "spaces at the end": ENVELOPE + "UNZ+1+REF'   \r\n ",
    "an empty segment": ENVELOPE + "UNH+1''UNZ+1+REF'",
    "empty segments": ENVELOPE + "UNH+1'''UNZ+1+REF'",
    "an empty segment, then white space": ENVELOPE + "UNH+1' ' \r\nUNZ:1+REF'",
    "an empty segment before the last": ENVELOPE + "UNZ+1+REF''",
    "an empty segment before an unterminated one": ENVELOPE + "UNZ+1+REF''UNZ",
    "an empty segment before one ending on a separator": ENVELOPE + "UNZ+1+REF''UNZ+",
    "an empty segment, then a released character": ENVELOPE + "UNH+1''? UNZ+1+REF'",
    "a terminator first": "UNA:+.? ''UNB+UNOL:3'",
    "a lowercase tag": ENVELOPE + "unh+1'UNZ+1+REF'",
    "a tag of components": ENVELOPE + "UN:H+1'UNZ+1+REF'",
    "a long tag": ENVELOPE + "UNHH+1'UNZ+1+REF'",
    "an empty tag": ENVELOPE + "+1'UNZ+1+REF'",
    "UNB of one character": "UNB+U'UNZ+1'",
    "UNB without elements": "UNB'UNZ+1'",
    "a second UNA": ENVELOPE + "UNA:+.? 'UNZ+1+REF'",
    "nothing": "",
}


@pytest.mark.parametrize("name", EDGE_CASES)
def test_edge_cases_read_the_same(name):
    text = EDGE_CASES[name]
    try:
        expected = reference(text)
    except ValidationError:
        with pytest.raises(ValidationError):
            fast(text)
        return
    assert fast(text) == expected, name


@pytest.mark.parametrize("name", ["release before the terminator", "release before the separators",
                                  "released release then released terminator", "release at the end",
                                  "release then a line break", "empty components", "CRLF between segments",
                                  "Latin-9 text", "truncated in a segment", "truncated after a separator",
                                  "UNA with other separators", "a lowercase tag", "a tag of components",
                                  "an empty segment", "empty segments", "an empty segment, then white space",
                                  "an empty segment before the last", "an empty segment before an unterminated one",
                                  "an empty segment before one ending on a separator", "a terminator first",
                                  "an empty segment, then a released character"])
def test_the_usual_edge_cases_take_the_fast_path(name, no_fallback):
    assert fast(EDGE_CASES[name]) == reference(EDGE_CASES[name])


def test_the_errors_come_after_the_same_segments():
    segments, error = fast(EDGE_CASES["truncated in a segment"])
    assert error is EDISyntaxError and [tag for tag, _ in segments] == ["UNB"]
    segments, error = fast(EDGE_CASES["a lowercase tag"])
    assert error is ValueError and len(segments) == 1
    # A segment dropped at the end (it ends on a separator) is no error: the checks find UNZ missing.
    assert fast(EDGE_CASES["truncated after a separator"]) == ([("UNB", reference(ENVELOPE)[0][0][1])], None)


# --- generated interchanges -----------------------------------------------------------------
WORDS = ["A", "ZZZ", "1387", "20231231", "BLABLA PATRIMOINE", "Été", "€", "x y", "0000 55 Bd", ""]
RELEASED = ["?'", "?+", "?:", "??", "?A"]


def generated(rng: random.Random, release_rate: float, noise: bool) -> str:
    """A random interchange: segments of elements of components, with released characters, white
    space after terminators, and (``noise``) stray service characters anywhere."""
    segments = ["UNB+UNOL:3+SENDER+RECIPIENT+240704:1032+REF"]
    for _ in range(rng.randint(1, 60)):
        elements = []
        for _ in range(rng.randint(0, 6)):
            components = []
            for _ in range(rng.choice((1, 1, 2, 3, 5))):
                word = rng.choice(WORDS)
                if rng.random() < release_rate:
                    at = rng.randint(0, len(word))
                    word = word[:at] + rng.choice(RELEASED) + word[at:]
                components.append(word)
            elements.append(":".join(components))
        segments.append("+".join([rng.choice(("NAD", "MOA", "FTX", "IND", "SEQ"))] + elements))
    segments.append("UNZ+1+REF")
    text = ""
    for segment in segments:
        text += segment + "'" + rng.choice(("", "", "", "\r\n", "\n", " ", "\r\n  "))
    if noise:
        characters = list(text)
        for _ in range(rng.randint(1, 4)):
            characters.insert(rng.randint(0, len(characters)), rng.choice(("'", "+", ":", "?", "\n", " ", "''")))
        text = "".join(characters)
    if rng.random() < 0.2:
        text = text[:rng.randint(0, len(text))]  # cut short
    return ("UNA:+.? '" if rng.random() < 0.7 else "") + text


@pytest.mark.parametrize("seed", range(12))
def test_generated_interchanges_read_the_same(seed):
    rng = random.Random(seed)
    for _ in range(60):
        text = generated(rng, release_rate=rng.choice((0, 0.05, 0.3)), noise=rng.random() < 0.4)
        assert fast(text) == reference(text), text


def test_generated_interchanges_without_noise_take_the_fast_path(no_fallback):
    rng = random.Random(2026)
    for _ in range(200):
        text = generated(rng, release_rate=0.1, noise=False)
        assert fast(text) == reference(text), text
