"""The bounds both engines rank and count within, one place so that they behave alike (and one test
suite, which makes them tiny, holds on both).

A query with more than ``CANDIDATES`` matches in a language is ranked among bounded candidates of
each language — every entry whose title or keywords match, plus the first ``CANDIDATES`` others —
a page past them by the exact ranking, and its total counted up to ``TOTAL_AHEAD`` past the page's
first hit (``capped``), as the news list does.
"""
CANDIDATES = 500  # each language's matches ranked for a page (beyond: the exact statement)
TOTAL_AHEAD = 1_000  # a capped total counts this many matches past the page's first
