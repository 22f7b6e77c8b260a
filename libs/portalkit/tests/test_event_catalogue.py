"""docs/events.md is what the contracts and the topology say today: regenerate it with
``python -m portalkit.event_catalogue > docs/events.md`` when this fails."""
from pathlib import Path

from portalkit import event_catalogue, topology
from portalkit.event_catalogue import consumers_of, topic_matches

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "events.md"


def test_the_committed_catalogue_is_up_to_date():
    assert COMMITTED.read_text(encoding="utf-8") == event_catalogue.render(), (
        "docs/events.md is out of date: python -m portalkit.event_catalogue > docs/events.md")


def test_topics_match_as_amqp_does():
    assert topic_matches("identity.#", "identity.UserLocked")
    assert topic_matches("#", "identity.UserLocked")
    assert topic_matches("*.UserLocked", "identity.UserLocked")
    assert not topic_matches("identity.*", "catalog.UserLocked")
    assert not topic_matches("identity", "identity.UserLocked")


def test_consumers_follow_the_bindings(monkeypatch):
    assert "gateway" in consumers_of("identity.SessionsEnded")
    assert "catalog" not in consumers_of("identity.SessionsEnded")
    monkeypatch.setitem(topology.SUBSCRIPTIONS, "assets", ("identity.CompanyRegistered", "identity.SessionsEnded"))
    assert "assets" in consumers_of("identity.SessionsEnded")
    assert "| [`SessionsEnded`](#sessionsended) | identity | assets, notifications, gateway |" in event_catalogue.render()


def test_every_event_has_its_section_and_fields():
    text = event_catalogue.render()
    assert "### UserLocked" in text and "| `locked_until` | date-time with zone | required |" in text
    assert "| `administrators` | list of [Recipient](#recipient) | optional, default `[]` |" in text
