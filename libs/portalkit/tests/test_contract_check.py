"""The plain-Python contract check: it never accepts what marshmallow refuses (every contract, good
data and malformed variants), and a malformed event is still refused with marshmallow's messages."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError, fields

from portalkit import contract_check
from portalkit.events import CONTRACTS, new_envelope

CODE = {"code_id": "c1", "holding_id": "h1", "product": "ACC", "major_version": 7, "key_id": "k1"}
ISSUED = {"company_id": "co1", "user_id": "u1", "machine_id": "PC-1", "codes": [CODE] * 500}

# Values of every kind a malformed event might carry in a field.
ODD_VALUES = (None, "", "x" * 65, "text", 0, -1, 5, True, 2.5, [], ["a"], [None], [{}], {}, {"a": 1},
              "2026-12-02T10:00:00+00:00", "someone@example.test", [CODE], [{**CODE, "major_version": "7"}])


def _sample(contract) -> dict:
    """Data every field of ``contract`` accepts (what marshmallow says decides, not this)."""
    data = {}
    for name, field in contract().load_fields.items():
        for value in ("a1", 1, True, [], {}, "2026-12-02T10:00:00+00:00", "someone@example.test"):
            try:
                field.deserialize(value)
            except ValidationError:
                continue
            data[field.data_key or name] = value
            break
    return data


@pytest.mark.parametrize("event_type", sorted(CONTRACTS))
def test_it_never_accepts_what_marshmallow_refuses(event_type):
    contract = CONTRACTS[event_type]
    sample = _sample(contract)
    variants = [sample, {}, None, [sample]]
    for key in contract().load_fields:
        variants.append({name: value for name, value in sample.items() if name != key})
        variants.extend({**sample, key: value} for value in ODD_VALUES)
    for data in variants:
        if contract_check.accepts(contract, data):
            assert contract().validate(data) == {}, (event_type, data)


def test_a_large_valid_event_is_accepted_without_marshmallow():
    assert contract_check.accepts(CONTRACTS["SerializationCodesIssued"], ISSUED)
    assert new_envelope("SerializationCodesIssued", ISSUED)["data"]["codes"][499] == CODE


@pytest.mark.parametrize("broken, field", [
    ({**CODE, "key_id": None}, "key_id"),
    ({key: value for key, value in CODE.items() if key != "holding_id"}, "holding_id"),
    ({**CODE, "major_version": "seven"}, "major_version"),
    ({**CODE, "major_version": True}, "major_version"),
    ({**CODE, "product": 12}, "product"),
])
def test_one_malformed_item_among_500_is_refused_with_marshmallow_s_message(broken, field):
    data = {**ISSUED, "codes": [CODE] * 499 + [broken]}
    assert not contract_check.accepts(CONTRACTS["SerializationCodesIssued"], data)
    with pytest.raises(ValidationError) as refused:
        new_envelope("SerializationCodesIssued", data)
    assert field in refused.value.messages["codes"][499]


def test_the_envelope_s_own_fields_are_still_checked():
    for data in ({**ISSUED, "company_id": ""}, {**ISSUED, "company_id": "x" * 65}, {**ISSUED, "codes": None},
                 {**ISSUED, "codes": CODE}, {key: value for key, value in ISSUED.items() if key != "machine_id"}):
        with pytest.raises(ValidationError):
            new_envelope("SerializationCodesIssued", data)


def test_fields_it_does_not_know_are_asked_to_marshmallow():
    class WithEmail(CONTRACTS["UserDeleted"]):
        when = fields.AwareDateTime(required=True)
    good = {"user_id": "u1", "email": "a@example.test", "company_id": "c1", "when": "2026-12-02T10:00:00+00:00"}
    assert contract_check.accepts(WithEmail, good)
    assert not contract_check.accepts(WithEmail, {**good, "email": "not an address"})
    assert not contract_check.accepts(WithEmail, {**good, "when": "2026-12-02T10:00:00"})  # not aware
