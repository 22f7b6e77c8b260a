"""The search, one suite on both engines (SQLite FTS5 and PostgreSQL tsvector): every word must
match, phrases, prefixes, accents, case, plurals and French elisions, ranking, filters, paging,
the reader's language first, extracts, and queries in bad syntax that never fail."""
from __future__ import annotations

from datetime import date

import pytest

from knowledge import search
from knowledge.models import Article

NO_FILTER = search.Filters()


def add(session, article_id, language="fr", title="", body="", keywords="", attachments="", brand="Etafi",
        domain="Tax", published_on=date(2026, 11, 1), also=None):
    """Index one article (in one language, or two with ``also``: {language: (title, body)})."""
    session.add(Article(id=article_id, status="published", published_version=1, brand=brand, domain=domain))
    session.flush()
    entries = [search.Entry(language, title, keywords, body, attachments, brand, domain, published_on)]
    for other, (other_title, other_body) in (also or {}).items():
        entries.append(search.Entry(other, other_title, keywords, other_body, attachments, brand, domain,
                                    published_on))
    search.index(session, article_id, entries)


@pytest.fixture
def session(engine_database):
    with engine_database.sessions() as session:
        yield session


def found(session, query, language="fr", filters=NO_FILTER, page=1, per_page=10):
    return [hit.article_id for hit in search.search(session, query, filters, language, page, per_page).hits]


@pytest.fixture
def library(session):
    add(session, "ecr", title="Saisir une écriture", body="Comment passer une écriture comptable de régularisation.")
    add(session, "dec", title="Les déclarations de TVA", body="Envoyer la déclaration mensuelle avant le 15.")
    add(session, "imm", title="Amortissements", body="Le calcul des immobilisations corporelles et leur sortie.")
    add(session, "inv", language="en", title="Printing an invoice", body="Open the invoice list and print it.")
    add(session, "pay", language="en", title="Payroll closing", body="Close the payroll month, then pay slips.",
        brand="Other", domain="HR")
    session.commit()
    return session


@pytest.mark.parametrize("query, expected", [
    ("ecriture", ["ecr"]),            # accent-blind
    ("ÉCRITURE", ["ecr"]),            # case-blind
    ("écritures", ["ecr"]),           # plural
    ("déclarations", ["dec"]),        # stemmed: the singular is found
    ("invoices", ["inv"]),
    ("l'immobilisation", ["imm"]),    # elision, plural in the text
    ("l’immobilisation", ["imm"]),    # typographic apostrophe
    ("d'immobilisations", ["imm"]),
])
def test_french_and_english_as_readers_write_them(library, query, expected):
    assert found(library, query) == expected


def test_every_word_must_match(library):
    assert found(library, "écriture comptable") == ["ecr"]
    assert found(library, "écriture TVA") == []


def test_phrases_match_words_in_order(library):
    assert found(library, '"écriture comptable"') == ["ecr"]
    assert found(library, '"comptable écriture"') == []
    assert found(library, '"pay slips"', "en") == ["pay"]


def test_prefixes(library):
    assert found(library, "immobili*") == ["imm"]
    assert found(library, "pay*", "en") == ["pay"]
    assert found(library, "zzz*") == []


@pytest.mark.parametrize("query, language, expected", [
    ("déclarat*", "fr", ["dec"]),          # longer than the stem declar of "déclaration"
    ("declarat*", "fr", ["dec"]),          # accent-blind
    ("DÉCLARATION*", "fr", ["dec"]),       # case-blind, the whole word as a prefix
    ("ecrit*", "fr", ["ecr"]),             # "écriture": accent-blind
    ("ecriture*", "fr", ["ecr"]),          # longer than its stem ecritur
    ("l'immobilisat*", "fr", ["imm"]),     # elision dropped before the prefix
    ("immobilisations*", "fr", ["imm"]),   # the plural as written
    ("invoic*", "en", ["inv"]),            # as long as the stem invoic
    ("printi*", "en", ["inv"]),            # "Printing", stem print
    ("closin*", "en", ["pay"]),            # "closing", stem close
    ("déclarat* mensuelle", "fr", ["dec"]),  # a prefix and a stemmed word together
    ("déclarat* TVA", "fr", ["dec"]),
    ("déclarat* comptable", "fr", []),     # every term must match
    ("declarations*", "fr", ["dec"]),
    ("declarationz*", "fr", []),           # longer than every word
])
def test_a_prefix_longer_than_the_stem(library, query, language, expected):
    assert found(library, query, language) == expected


def test_a_prefix_longer_than_the_stem_in_english(session):
    add(session, "cfg", language="en", title="Settings", body="The configuration of the workstation.")
    add(session, "inv", language="en", title="Invoices", body="Invoicing the customers.")
    session.commit()
    assert found(session, "configurat*", "en") == ["cfg"]   # stem configur
    assert found(session, "invoicin*", "en") == ["inv"]     # stem invoic
    assert found(session, "workstati*", "en") == ["cfg"]


def test_prefix_matches_rank_title_above_keywords_above_body_above_attachments(session):
    add(session, "body", title="Autre sujet", body="Parle de la déclaration ici.")
    add(session, "attach", title="Encore autre", body="Rien.", attachments="La déclaration en annexe.")
    add(session, "title", title="La déclaration", body="Rien de plus.")
    add(session, "keywords", title="Sujet", body="Rien.", keywords="déclarations")
    session.commit()
    assert found(session, "déclarat*") == ["title", "keywords", "body", "attach"]


def test_a_prefix_extract_marks_the_words_it_matched(session):
    add(session, "x", title="Guide", body="Avant la déclaration mensuelle, déclarer ses écritures.")
    session.commit()
    snippet = search.search(session, "déclarat*", NO_FILTER, "fr").hits[0].snippet
    assert "<mark>déclaration</mark>" in snippet and "<mark>déclarer</mark>" not in snippet


@pytest.mark.parametrize("query", ['"unbalanced', "*", "AND OR NOT", "(écriture", "écriture)", "-écriture",
                                   "+écriture", "écri\"ture", "😀", "NEAR(a b)", "col:écriture", "^écriture",
                                   "'", "''", "\\", "%_", "a & b | !c", "écriture:*", "<script>", "écriture -",
                                   "\u0301", "x" * 600, " ".join(["mot"] * 50)])
def test_bad_syntax_is_never_an_error(library, query):
    results = search.search(library, query, NO_FILTER, "fr")
    assert results.total >= 0


def test_operators_and_signs_are_read_as_the_words_around_them(library):
    assert found(library, "(écriture)") == ["ecr"]
    assert found(library, "-écriture") == ["ecr"]
    assert found(library, '"écriture') == ["ecr"]
    assert found(library, "écriture AND comptable") == ["ecr"]
    assert found(library, "😀") == []


def test_title_ranks_above_keywords_above_body_above_attachments(session):
    add(session, "body", title="Autre sujet", body="Parle du lettrage ici.")
    add(session, "attach", title="Encore autre", body="Rien.", attachments="Le lettrage en annexe.")
    add(session, "title", title="Le lettrage", body="Rien de plus.")
    add(session, "keywords", title="Sujet", body="Rien.", keywords="lettrage")
    session.commit()
    assert found(session, "lettrage") == ["title", "keywords", "body", "attach"]


def test_brand_and_domain_filters(library):
    assert found(library, "pay*", "en", search.Filters(brand="Other")) == ["pay"]
    assert found(library, "pay*", "en", search.Filters(brand="Etafi")) == []
    assert found(library, "pay*", "en", search.Filters(domain="HR")) == ["pay"]
    assert found(library, "", "fr", search.Filters(domain="HR")) == ["pay"]


def test_paged_with_the_total(session):
    for number in range(25):
        add(session, f"a{number:02}", title=f"Clôture numéro {number}", body="La clôture annuelle.")
    session.commit()
    first = search.search(session, "clôture", NO_FILTER, "fr", 1, 10)
    third = search.search(session, "clôture", NO_FILTER, "fr", 3, 10)
    beyond = search.search(session, "clôture", NO_FILTER, "fr", 9, 10)
    assert (first.total, len(first.hits), third.total, len(third.hits)) == (25, 10, 25, 5)
    assert (beyond.total, beyond.hits) == (25, [])
    every = {hit.article_id for page in (1, 2, 3)
             for hit in search.search(session, "clôture", NO_FILTER, "fr", page, 10).hits}
    assert len(every) == 25


def test_the_readers_language_first_then_the_other_one_hit_per_article(session):
    add(session, "both", language="en", title="Bank reconciliation", body="Reconcile the bank statement.",
        also={"fr": ("Rapprochement bancaire", "Rapprocher le relevé de la bank.")})
    add(session, "en-only", language="en", title="Bank fees", body="The bank charges.")
    add(session, "fr-only", language="fr", title="Frais de bank", body="La bank facture.")
    session.commit()
    french = search.search(session, "bank", NO_FILTER, "fr").hits
    assert [hit.language for hit in french] == ["fr", "fr", "en"]
    assert {hit.article_id for hit in french[:2]} == {"both", "fr-only"} and french[2].article_id == "en-only"
    english = search.search(session, "bank", NO_FILTER, "en").hits
    assert [hit.language for hit in english] == ["en", "en", "fr"]
    assert sorted(hit.article_id for hit in english) == ["both", "en-only", "fr-only"]
    # A French word that only the French version holds: that version answers for the English reader.
    assert [(hit.article_id, hit.language) for hit in search.search(session, "rapprochement", NO_FILTER, "en").hits] \
        == [("both", "fr")]


def test_extracts_mark_the_matches_and_escape_the_rest(session):
    add(session, "x", title="Sécurité", body="Avant <script>alert(1)</script> les écritures & les journaux.")
    session.commit()
    hit = search.search(session, "ecriture", NO_FILTER, "fr").hits[0]
    assert "<mark>écritures</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet


def test_an_extract_comes_from_the_attachment_when_only_it_matches(session):
    add(session, "x", title="Guide", body="Voir la pièce jointe.", attachments="Le barème kilométrique 2026.")
    session.commit()
    assert "<mark>kilométrique</mark>" in search.search(session, "kilometrique", NO_FILTER, "fr").hits[0].snippet


def test_an_empty_query_lists_the_newest(session):
    add(session, "old", title="Ancien", body="x", published_on=date(2025, 1, 1))
    add(session, "new", title="Nouveau", body="x", published_on=date(2026, 1, 1))
    session.commit()
    assert found(session, "") == ["new", "old"]


def test_unindexed_articles_are_not_found(library):
    search.unindex(library, "ecr")
    library.commit()
    assert found(library, "écriture") == []
    # Indexing again replaces (never duplicates) an article's entries.
    add_again = search.Entry("fr", "Saisir une écriture", "", "Texte.", "", "Etafi", "Tax", None)
    search.index(library, "ecr", [add_again])
    search.index(library, "ecr", [add_again])
    library.commit()
    assert search.search(library, "écriture", NO_FILTER, "fr").total == 1
