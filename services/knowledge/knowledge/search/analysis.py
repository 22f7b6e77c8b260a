"""How French and English text becomes search terms, alike for the index and the query: French
elisions dropped (l', d', qu'…), words split on anything but letters and digits, accents and case
folded, then stemmed (Snowball, PyStemmer) in the text's language — and, for ``word*`` prefixes,
the same words unstemmed (``plain``): a prefix longer than a word's stem (``déclarat*`` against the
stem ``declar`` of "déclaration") is matched against the whole folded words.

The SQLite engine indexes and queries these terms; PostgreSQL's configurations ``portal_en`` and
``portal_fr`` (unaccent + Snowball, no stop words: migration 0005_articles) and ``portal_simple``
(unaccent alone: migration 0009_search_prefix_words) do the same inside the database, and the
snippets mark the words of a text whose terms a query asks for.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

LANGUAGES = ("en", "fr")
_STEMMERS = {"en": "english", "fr": "french"}
# A French elision before a word: "l'immobilisation", "qu’il", "jusqu'au" (either apostrophe).
ELISION = re.compile(r"\b(?:qu|jusqu|lorsqu|puisqu|quoiqu|[ldjmnstc])['’](?=[^\W\d_])", re.IGNORECASE)
# Letters and digits (the underscore is turned into a space first: faster than a class without it).
_WORD = re.compile(r"\w+")
# What NFKD does not take apart (PostgreSQL's unaccent does).
_LIGATURE = re.compile("[œŒæÆßøØłŁđĐ]")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O",
                            "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})


# The same found from the apostrophes, which are few: ``ELISION.sub`` tries its alternatives at
# every word of a text (measured: most of the analysis's time). The elided word ends just before.
_APOSTROPHE = re.compile(r"['’](?=[^\W\d_])")
_ELIDED = re.compile(r"(?<!\w)(?:qu|jusqu|lorsqu|puisqu|quoiqu|[ldjmnstc])\Z", re.IGNORECASE)
_LONGEST_ELIDED = 7  # "lorsqu" and the character before it


def without_elisions(text: str) -> str:
    """``ELISION.sub("", text)``, found from the apostrophes."""
    pieces, last = [], 0
    for match in _APOSTROPHE.finditer(text):
        start = match.start()
        window = max(0, start - _LONGEST_ELIDED)
        elided = _ELIDED.search(text[window:start])
        # At the window's first character the look-behind cannot see the text before it.
        if elided and (elided.start() > 0 or window == 0):
            pieces.append(text[last:window + elided.start()])
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


# The combining marks NFKD leaves after the letters it takes apart.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case and accents folded: ``Écriture`` → ``ecriture`` (a whole text at once, in C)."""
    if _LIGATURE.search(text):
        text = text.translate(_LIGATURES)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def split(text: str) -> list[str]:
    """The runs of letters and digits of ``text``: ``\\w+`` (``str.isalnum`` is its test), the
    pieces between spaces that are whole words kept as they are — most of them: faster than the
    regex over the whole text (measured: 0.62 s -> 0.45 s for 6,000 bodies)."""
    found = []
    for piece in text.replace("_", " ").split():
        if piece.isalnum():
            found.append(piece)
        else:
            found += _WORD.findall(piece)
    return found


@lru_cache(maxsize=4)
def _stemmer(language: str):
    return Stemmer.Stemmer(_STEMMERS[language])


def words(text: str) -> list[str]:
    """The words of ``text`` as written (elisions dropped), in order."""
    return split(without_elisions(text or ""))


def term(word: str, language: str) -> str:
    """One written word's search term in ``language``."""
    return _stemmer(language).stemWord(fold(word))


def terms(text: str, language: str) -> list[str]:
    """Every word's term, in order (positions kept for phrases)."""
    return _stemmer(language).stemWords(split(fold(without_elisions(text or ""))))


def indexed(text: str, language: str) -> str:
    """``text`` as the SQLite index holds it: its terms separated by spaces."""
    return " ".join(terms(text, language))


def plain(text: str) -> str:
    """``text``'s words folded but not stemmed (what ``word*`` prefixes match), separated by spaces."""
    return " ".join(split(fold(without_elisions(text or ""))))


def indexed_and_plain(text: str, language: str) -> tuple[str, str]:
    """(``indexed``, ``plain``) of ``text``: the same strings, analysed a whitespace-separated piece
    at a time through a cache (``_known``) rather than the whole text — the index's hot path.

    Alike because every step works within a piece: the elisions' apostrophes, letters and
    look-behind never span whitespace, NFKD and casefold map each character alone (whitespace
    folds to whitespace: a test checks every code point), and the words are split on whitespace
    anyway. A vocabulary repeats: most pieces are found, and the look-ups and joins run in C
    (measured on the benchmark's generated entries, their four texts, alternated in one run:
    89-97 -> 29-40 µs an entry at 40,000, load 2.2; 71-94 -> 50-60 at 200,000, load 2.2-3.4;
    the misses left are mostly the reference numbers)."""
    pieces = (text or "").split()
    stems, words = _known[language]
    found_stems, found_words = list(map(stems.get, pieces)), list(map(words.get, pieces))
    for found in (found_stems, found_words):  # the pieces not seen yet (or forgotten meanwhile)
        at = -1
        try:
            while True:
                at = found.index(None, at + 1)
                found_stems[at], found_words[at] = _learn(pieces[at], language)
        except ValueError:
            pass
    return "".join(found_stems)[:-1], "".join(found_words)[:-1]


# Per language, a piece of text as written -> its stems, and its folded words, each followed by a
# space ("" for a piece of signs only): joined as they are, the last space cut. Bounded: emptied
# when full (a load's unique pieces — reference numbers — would otherwise grow it without end);
# 50,000 pieces a language are some 14 MB (measured), and a vocabulary of thousands is learnt
# again at once. A piece found in one and not the other (emptied meanwhile) is learnt again.
_KNOWN_LIMIT = 50_000
_known: dict[str, tuple[dict[str, str], dict[str, str]]] = {language: ({}, {}) for language in LANGUAGES}


def _learn(piece: str, language: str) -> tuple[str, str]:
    written = split(fold(without_elisions(piece)))
    stem = "".join(found + " " for found in _stemmer(language).stemWords(written))
    word = "".join(found + " " for found in written)
    stems, words = _known[language]
    if len(stems) >= _KNOWN_LIMIT:
        stems.clear()
        words.clear()
    stems[piece], words[piece] = stem, word
    return stem, word
