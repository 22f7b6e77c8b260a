"""``analysis.indexed_and_plain``, the index's analysis a piece at a time through a cache, against
the whole-text analysis it stands for (``indexed`` and ``plain``: elisions, fold, split, stems):
the same strings for every text — French and English, accents, ligatures, elisions, digits,
underscores, apostrophes, odd spaces and signs — found in the cache or not, the cache full or not."""
from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from knowledge.search import analysis

TEXTS = [
    "", " ", "\t\n", "L'immobilisation d’un bien", "Qu'il soit jusqu'au bout, lorsqu’elle puisqu'on quoiqu'il",
    "aujourd'hui l'l'x d'1 l'_x c'est s’il n'est", "l’ ’x 'x x' ''", "Écriture ÉCRITURE écriture ecriture",
    "Œuvre cœur Æsop ex æquo Straße Øre Łódź Đakovo", "ﬁnance ﬂux ﬀ", "invoices invoice's customers’",
    "snake_case __init__ a_b_c _x_ x__y", "TVA 20% n° 12 000123-456. Réf. 2026-12-04 3,14 1.5e3 ²³ ½",
    "déclarations mensuelles, trimestrielles; annuelles! (ex-ante) «guillemets» — tiret",
    "a\u00a0b\u2009c\u3000d\u202fe\u2028f\x1cg\x85h", "e\u0301cole cafe\u0301 n\u0303 ¨ ´ ¸ ˜",
    "ＦＵＬＬ ｗｉｄｔｈ １２３ ＿", "Ǆ ǅ ǆ ĳ Ŀ ŉ ſt ﬆ K Å", "Σίσυφος ΣΑΣ ﬅ", "Москва привет", "日本語のテキスト",
    "emoji 👍🏽 ok", "㏂ ㎏ ℡ ™ ℃", "ligne\nnouvelle\r\nligne", "D'ACCORD L'ÉTÉ QU’IL", "x" * 300,
]
# What random texts are drawn from: each kind above, and the spaces and signs between words.
ALPHABET = ("abcdeéèêëàâäîïôöùûüçœæßøłđ" "ABCDEÉÈÀÇŒÆØŁĐ" "0123456789" "___''’’" "  \t\n\u00a0\u2009\u3000"
            ".,;:!?-()«»/%°²½" "\u0301\u0308¨´" "ﬁＡｂ１ſKΣσςДд日")
SEPARATORS = ["", " ", " ", "  ", "\n", "\u00a0", "'", "’", "_"]


def _whole_text(text: str, language: str) -> tuple[str, str]:
    return analysis.indexed(text, language), analysis.plain(text)


def _random_texts(count: int) -> list[str]:
    rng = random.Random(13)  # the same texts each run
    words = [word for text in TEXTS for word in text.split()]
    texts = []
    for _ in range(count):
        pieces = [rng.choice(words) if rng.random() < 0.4 else
                  "".join(rng.choices(ALPHABET, k=rng.randint(1, 9))) for _ in range(rng.randint(0, 12))]
        texts.append("".join(piece + rng.choice(SEPARATORS) for piece in pieces))
    return texts


@pytest.fixture
def empty_cache(monkeypatch):
    monkeypatch.setattr(analysis, "_known", {language: ({}, {}) for language in analysis.LANGUAGES})


@pytest.mark.parametrize("language", analysis.LANGUAGES)
def test_the_same_strings_as_the_whole_text_analysis(language, empty_cache):
    for text in TEXTS + _random_texts(3000):
        expected = _whole_text(text, language)
        assert analysis.indexed_and_plain(text, language) == expected, text  # learnt
        assert analysis.indexed_and_plain(text, language) == expected, text  # found in the cache


def test_the_same_strings_when_the_cache_empties_meanwhile(monkeypatch, empty_cache):
    # One piece at most: learning the next one empties it, as another thread's learning would.
    monkeypatch.setattr(analysis, "_KNOWN_LIMIT", 1)
    for text in TEXTS + _random_texts(300):
        assert analysis.indexed_and_plain(text, "fr") == _whole_text(text, "fr"), text
    assert len(analysis._known["fr"][0]) <= 1


def test_a_text_and_its_stems_are_those_of_its_pieces():
    assert analysis.indexed_and_plain("L'immobilisation des Déclarations  n° 12_b", "fr") == \
        ("immobilis de declar n 12 b", "immobilisation des declarations n 12 b")
    assert analysis.indexed_and_plain("The customers' invoices", "en") == \
        ("the custom invoic", "the customers invoices")
    assert analysis.indexed_and_plain(None, "en") == ("", "")


def test_every_space_folds_to_spaces_alone():
    """What analysing a piece at a time relies on: a character that splits a text folds to
    nothing but spaces, and NFKD's reordering of combining marks stops at it (class 0)."""
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if character.isspace():
            folded = analysis.fold(character)
            assert folded == "" or folded.isspace(), hex(code)
            assert unicodedata.combining(character) == 0, hex(code)
