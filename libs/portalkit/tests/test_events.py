import uuid

import pytest
from marshmallow import ValidationError

from portalkit import topology
from portalkit.events import CONTRACTS, PRODUCER_OF, UnknownEvent, load_event, new_envelope


def test_envelope_carries_the_contract_fields():
    envelope = new_envelope("CompanyRegistered", {"company_id": "c1", "number": "N1", "name": "Acme"}, "corr")
    assert envelope["producer"] == "identity" and envelope["version"] == 1
    uuid.UUID(envelope["id"])
    event = load_event({**envelope, "data": {**envelope["data"], "added_later": 1}})
    assert event.routing_key == "identity.CompanyRegistered"
    assert "added_later" not in event.data  # consumers ignore unknown fields


def test_data_breaking_the_contract_is_refused_at_the_source():
    with pytest.raises(ValidationError):
        new_envelope("CompanyRegistered", {"company_id": "c1"})
    with pytest.raises(UnknownEvent):
        new_envelope("SomethingHappened", {})


def test_every_bound_routing_key_names_a_known_event():
    for consumer in topology.SUBSCRIPTIONS:
        for key in topology._patterns(topology.SUBSCRIPTIONS[consumer]):
            producer, _, name = key.partition(".")
            if name != "#":
                assert PRODUCER_OF[name] == producer, key
    assert set(PRODUCER_OF) == set(CONTRACTS)
