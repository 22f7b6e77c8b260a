"""Every known reject code is explained in English and French, with what to do."""
from __future__ import annotations

import pytest

from declarations.reject_codes import CODES, explain
from declarations.simulated_partner.checks import SYNTAX_CODES


@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_code_has_a_text_and_an_action(code, language):
    explained = explain(code, language)
    assert explained["code"] == code and explained["text"] and explained["action"]


def test_13c_says_to_contact_the_sie_in_both_languages():
    assert "regime in the file differs" in explain("13C", "en")["text"]
    assert "SIE" in explain("13C", "en")["action"]
    assert "régime du fichier diffère" in explain("13C", "fr-FR")["text"]


def test_the_simulators_codes_and_the_administrations_are_all_known():
    assert set(SYNTAX_CODES.values()) | {"009", "010", "13A", "13B", "13C"} <= set(CODES)


def test_an_unknown_code_is_named_in_a_generic_explanation():
    assert "X99" in explain("X99", "en")["text"] and "X99" in explain("X99", "fr")["action"]
    assert explain("13c", "en")["text"] == explain("13C", "en")["text"]
