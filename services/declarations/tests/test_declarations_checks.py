"""The checks of a deposited interchange, without the app: the sample as published is refused on
its two faults, repaired it is read; malformed interchanges of every kind are refused, each naming
its segment."""
from __future__ import annotations

import os
from datetime import date

import pytest

from declarations import checks, edifact
from declarations.refusals import Refusal

SIREN = "732829320"  # conftest.SIREN: the entity the repaired sample declares

ENTITIES = {SIREN: "c-blabla"}
OPEN = (2024,)


def refusal_of(data: bytes, entities=ENTITIES, campaigns=OPEN) -> Refusal:
    with pytest.raises(Refusal) as caught:
        checks.check(edifact.read(data), entities, campaigns)
    return caught.value


def test_the_sample_as_published_is_refused_on_its_count_then_on_its_siren(sample):
    first = refusal_of(sample)
    assert (first.code, first.location()) == ("wrong_count", {"segment": "UNT", "index": 99, "element": 1})
    assert first.message() == "UNT counts 542 (segments from UNH to UNT), but the file holds 97."
    assert "mais le fichier en contient 97" in first.message("fr")
    second = refusal_of(sample.replace(b"UNT+542+", b"UNT+97+"), {"999999999": "c-blabla"})
    assert (second.code, second.location()) == ("invalid_siren",
                                                {"segment": "NAD", "index": 9, "element": 2, "component": 1})


def test_every_fault_is_reported_after_the_first(sample, good):
    published = refusal_of(sample)
    assert [(fault.code, fault.segment, fault.index) for fault in published.faults] == [
        ("wrong_count", "UNT", 99), ("invalid_siren", "NAD", 9)]
    error = published.error("en")
    assert error.fields["location"] == published.location()
    assert [fault["code"] for fault in error.fields["faults"]] == ["wrong_count", "invalid_siren"]
    assert error.fields["faults"][1] == {"code": "invalid_siren", "location": {
        "segment": "NAD", "index": 9, "element": 2, "component": 1},
        "message": "The declarant's SIREN \"999999999\" (NAD+DT) is not valid: its check digit is wrong."}
    # Each field of the identification, the envelope's counts and references, the campaign.
    many = (good.replace(b"CUX+3:EUR", b"CUX+3").replace(b"KDRFF'", b"KERFF'").replace(b"UNE+1+1'", b"UNE+2+7'")
            .replace(b"UN:FD2401'", b"UN:FD1901'"))
    assert [(fault.code, fault.segment) for fault in refusal_of(many, {"552100554": "c-other"}).faults] == [
        ("wrong_count", "UNE"), ("reference_mismatch", "UNE"), ("not_your_entity", "NAD"),
        ("missing_identification", "IND"), ("missing_identification", "IND"), ("campaign_closed", "UNH")]
    assert [fault.values["value"] for fault in refusal_of(many).faults if fault.code == "missing_identification"] == [
        "currency", "tax_reference"]


def test_the_checks_stop_where_going_on_makes_no_sense(good):
    # Not an INFENT: its declarant and identification mean nothing; the envelope's fault comes first.
    other = good.replace(b"UNH+00001+INFENT", b"UNH+00001+INVOIC").replace(b"UNZ+1+", b"UNZ+3+")
    assert [fault.code for fault in refusal_of(other).faults] == ["wrong_count", "wrong_message_type"]
    # A missing UNT: the messages cannot be told apart, nothing else is checked.
    assert [fault.code for fault in refusal_of(good.replace(b"UNT+97+00001'", b"")).faults] == ["missing_segment"]
    # Unreadable: one fault.
    assert [fault.code for fault in refusal_of(good[:len(good) // 2]).faults] == ["syntax_error"]


def test_the_repaired_sample_is_read(good):
    interchange = edifact.read(good)
    assert interchange.header.startswith(b"DOC+01=") and interchange.syntax == "UNOL"
    filing = checks.check(interchange, ENTITIES, OPEN)
    assert (filing.siren, filing.entity_id, filing.campaign) == (SIREN, "c-blabla", 2024)
    assert (filing.period_start, filing.period_end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert (filing.regimes, filing.currency, filing.tax_reference) == (["BI", "RN", "IS", "NOR"], "EUR", "IS1")
    assert (filing.interchange_reference, filing.message_reference) == ("20241861032cor", "00001")


def test_the_header_line_is_optional(good):
    without = good[good.index(b"UNA"):]
    assert edifact.read(without).header == b""
    assert checks.check(edifact.read(without), ENTITIES, OPEN).siren == SIREN


def test_the_charset_is_unb_s(good):
    latin9 = good.replace(b"BLABLA PATRIMOINE+0000", "BLABLA PATRIMOINE €+0000".encode("iso-8859-15"), 1)
    assert checks.check(edifact.read(latin9), ENTITIES, OPEN).siren == SIREN
    ascii_only = latin9.replace(b"UNB+UNOL:3", b"UNB+UNOA:3")
    assert refusal_of(ascii_only).code == "undecodable"
    assert refusal_of(good.replace(b"UNB+UNOL:3", b"UNB+UTF8:3")).code == "unknown_charset"
    assert checks.check(edifact.read(good.replace(b"UNB+UNOL:3", b"UNB+UNOC:3")), ENTITIES, OPEN)


@pytest.mark.parametrize("name, mangle, code, segment", [
    ("binary", lambda data: os.urandom(4096).replace(b"UN", b"xx"), "no_interchange", "UNB"),
    ("binary after UNB", lambda data: data[:400] + b"\x00\x01\x02" + data[400:], "undecodable", "UNB"),
    ("truncated", lambda data: data[:len(data) // 2], "syntax_error", "?"),
    ("truncated at a segment", lambda data: data[:data.index(b"UNT+")], "missing_segment", "UNZ"),
    ("unbalanced release character", lambda data: data[:-1] + b"?'", "syntax_error", "?"),
    ("group count", lambda data: data.replace(b"UNE+1+1'", b"UNE+2+1'"), "wrong_count", "UNE"),
    ("group reference", lambda data: data.replace(b"UNE+1+1'", b"UNE+1+7'"), "reference_mismatch", "UNE"),
    ("interchange count", lambda data: data.replace(b"UNZ+1+", b"UNZ+3+"), "wrong_count", "UNZ"),
    ("interchange reference", lambda data: data.replace(b"UNZ+1+20241861032cor", b"UNZ+1+other"),
     "reference_mismatch", "UNZ"),
    ("message reference", lambda data: data.replace(b"UNT+97+00001", b"UNT+97+00002"), "reference_mismatch", "UNT"),
    ("message type", lambda data: data.replace(b"UNH+00001+INFENT", b"UNH+00001+INVOIC"), "wrong_message_type", "UNH"),
    ("document", lambda data: data.replace(b"BGM+IDF", b"BGM+XYZ"), "wrong_document", "BGM"),
    ("no UNT", lambda data: data.replace(b"UNT+97+00001'", b""), "missing_segment", "UNT"),
    ("period end", lambda data: data.replace(b"CBDTM'", b"ZZDTM'"), "missing_identification", "IND"),
    ("a date", lambda data: data.replace(b"DTM+ZZZ:20231231:102", b"DTM+ZZZ:20231331:102"), "invalid_date", "DTM"),
    ("currency", lambda data: data.replace(b"CUX+3:EUR", b"CUX+3"), "missing_identification", "IND"),
    ("tax reference", lambda data: data.replace(b"KDRFF'", b"KERFF'"), "missing_identification", "IND"),
    ("campaign", lambda data: data.replace(b"UN:FD2401'", b"UN:FD1901'"), "campaign_closed", "UNH"),
])
def test_malformed_interchanges_are_refused_naming_the_segment(good, name, mangle, code, segment):
    refused = refusal_of(mangle(good))
    assert (refused.code, refused.segment) == (code, segment), name
    assert refused.message("en") and refused.message("fr") != refused.message("en")


def test_the_declarant_must_be_one_of_the_depositor_s_entities(good):
    refused = refusal_of(good, {"552100554": "c-other"})
    assert refused.code == "not_your_entity" and "732829320" in refused.message()


def test_the_checks_called_alone_raise_their_first_fault(sample, good):
    # The simulated partner calls envelope, message, declarant and identification one by one.
    from declarations.simulated_partner import checks as partner_checks
    assert partner_checks.syntax(good).siren == SIREN
    with pytest.raises(Refusal) as caught:
        partner_checks.syntax(sample.replace(b"CUX+3:EUR", b"CUX+3").replace(b"KDRFF'", b"KERFF'"))
    assert caught.value.code == "wrong_count" and caught.value.others == []
    with pytest.raises(Refusal) as caught:
        checks.identification(edifact.read(good.replace(b"CUX+3:EUR", b"CUX+3").replace(b"KDRFF'", b"KERFF'"))
                              .segments[3:], checks.Filing())
    assert caught.value.values["value"] == "currency"
