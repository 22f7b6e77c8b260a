"""The shared text fields: a BCP 47 tag kept as the portal's language, single-line text."""
import pytest
from marshmallow import Schema, ValidationError, validate

from portalkit.fields import Language, SingleLine, is_single_line, portal_language


class Profile(Schema):
    language = Language()
    name = SingleLine(validate=validate.Length(max=5))


@pytest.mark.parametrize("tag, language", [
    ("en", "en"), ("en-US", "en"), ("en-GB", "en"), ("fr", "fr"), ("fr-FR", "fr"), ("fr-CA", "fr"), ("FR-fr", "fr"),
    ("fr_CA", "fr"), ("en-Latn-GB", "en"), ("en-001", "en"), ("fr-CH-1996", "fr"), ("en-US-x-portal", "en"),
    ("de", None), ("de-DE", None), ("xx-YY", None), ("", None), (None, None), ("fr-", None), ("en-US-", None),
    ("english", None), ("enfr", None), (" fr", None), ("fr\n", None),
])
def test_a_tag_is_kept_as_the_portals_language(tag, language):
    assert portal_language(tag) == language


def test_the_language_field_keeps_en_or_fr_and_names_any_other():
    assert Profile().load({"language": "fr-CA"}) == {"language": "fr"}
    with pytest.raises(ValidationError) as refused:
        Profile().load({"language": "de"})
    assert list(refused.value.messages) == ["language"]


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "a\tb", "a\x00", "\x1b[31m", "a\x7f", "a\x85", "a\u2028", "a\u2029",
                                  "\u202eevil", "a\u2066b"])
def test_control_characters_and_line_breaks_are_not_one_line(text):
    assert not is_single_line(text)
    with pytest.raises(ValidationError) as refused:
        Profile().load({"name": text[:5]})
    assert list(refused.value.messages) == ["name"]


def test_ordinary_text_is_one_line_and_other_validators_still_apply():
    assert is_single_line("Zoé D'Arc-Ñúñez — +33 (0)1 ☎ 日本")
    assert Profile().load({"name": "Zoé"}) == {"name": "Zoé"}
    with pytest.raises(ValidationError):
        Profile().load({"name": "too long"})


def test_the_documented_pattern_refuses_what_the_field_refuses():
    import re

    from portalkit.fields import SINGLE_LINE_PATTERN, is_single_line
    pattern = re.compile(SINGLE_LINE_PATTERN[1:-1])  # fullmatch: the whole value, as OpenAPI reads it
    for code in range(0x3000):
        assert bool(pattern.fullmatch(chr(code) * 2)) == is_single_line(chr(code) * 2), hex(code)


LANGUAGE_SAMPLES = ["en", "EN", "fr-CA", "Fr_ca", "en-Latn-GB", "en-001", "fr-CH-1996", "en-US-x-portal", "en-US-X-Portal",
                    "fr-u-co-phonebk", "fr-X-a", "de", "fr-", "en-US-", "english", "enfr", " fr", "fr\n", "fr-x", "en-a-b",
                    "en-Y-bb", "", "ñ", "fr-12"]


@pytest.mark.parametrize("tag", LANGUAGE_SAMPLES)
def test_the_documented_language_pattern_accepts_what_the_field_accepts(tag):
    import re

    from portalkit.fields import LANGUAGE_OR_BLANK_PATTERN, LANGUAGE_PATTERN
    # Read as OpenAPI does (ECMA, case-sensitive, the whole value): no IGNORECASE here.
    assert bool(re.fullmatch(LANGUAGE_PATTERN[1:-1], tag)) == (portal_language(tag) is not None)
    assert bool(re.fullmatch(LANGUAGE_OR_BLANK_PATTERN[1:-1], tag)) == (tag == "" or portal_language(tag) is not None)
    assert Language().metadata["pattern"] == LANGUAGE_PATTERN
    assert Language(blank_is_absent=True).metadata["pattern"] == LANGUAGE_OR_BLANK_PATTERN


def test_the_fast_check_agrees_with_the_unicode_categories_over_every_code_point():
    from portalkit.fields import _is_single_line_by_category
    for code_point in range(0x110000):
        character = chr(code_point)
        assert is_single_line(character) == _is_single_line_by_category(character), hex(code_point)
