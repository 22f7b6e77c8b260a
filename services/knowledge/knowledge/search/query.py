"""What a reader types in the search box, read into what every engine asks: every word must match,
"quoted phrases" match as written, ``word*`` matches words starting so. Nothing is ever a syntax
error: operators (AND, OR, NOT, -, +, parentheses), lone stars, unbalanced quotes, emoji and other
signs are read as the words around them, or dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import analysis

MAX_TERMS = 12  # a longer query keeps its first twelve words
MAX_QUERY_LENGTH = 500
_PIECE = re.compile(r'"([^"]*)"?|(\S+)')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True)
class Term:
    """One word, a prefix (``word*``), or a phrase (several words, in that order)."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms


def parse(text: str | None) -> Query:
    """The terms of a reader's query (an empty ``Query`` when nothing searchable is left)."""
    text = (text or "")[:MAX_QUERY_LENGTH].replace("“", '"').replace("”", '"').replace("«", '"').replace("»", '"')
    found: list[Term] = []
    for match in _PIECE.finditer(text):
        phrase, bare = match.group(1), match.group(2)
        if phrase is not None:
            written = tuple(analysis.words(phrase))
            if written:
                found.append(Term(written))
            continue
        if bare in _OPERATORS:
            continue
        written = tuple(analysis.words(bare))
        if not written:
            continue
        # "word*" is a prefix; a star anywhere else, or alone, is only a sign.
        prefix = bare.rstrip('"),;.!?').endswith("*") and len(written) == 1
        # "e-mail", "2024/25": one piece written with signs inside is a phrase of its words.
        found.append(Term(written, prefix=prefix))
    unique: list[Term] = []
    for item in found:
        if item not in unique:
            unique.append(item)
    return Query(tuple(unique[:MAX_TERMS]))


def stems(query: Query, language: str) -> list[tuple[tuple[str, ...], bool]]:
    """Each term as the SQLite index's terms in ``language``: (terms, prefix). A word is its stem,
    a prefix its folded letters unstemmed (matched against the words as written: ``déclarat*``
    must find "déclaration", whose stem ``declar`` is shorter than the prefix)."""
    result = []
    for item in query.terms:
        if item.prefix:
            found = tuple(analysis.split(analysis.fold(item.words[0])))[:1]
        else:
            found = tuple(t for word in item.words for t in analysis.terms(word, language))
        if found:
            result.append((found, item.prefix))
    return result
