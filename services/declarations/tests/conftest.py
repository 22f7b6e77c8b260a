"""Fixtures of declarations' unit tests: a migrated SQLite database per test, the app, the sample
filing (as published, and repaired) and a declarant of two entities."""
from __future__ import annotations

from pathlib import Path

import pytest

from portalkit import testing

from declarations.app import create_app
from declarations.handlers import HANDLERS

DATA = Path(__file__).parent / "data"
SIREN, OTHER_SIREN = "732829320", "552100554"


def repaired(sample: bytes, siren: str = SIREN) -> bytes:
    """The sample with its two faults repaired: a SIREN with a valid key, UNT's true count."""
    return sample.replace(b"999999999:", siren.encode() + b":").replace(b"UNT+542+", b"UNT+97+")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    return testing.migrated_template(tmp_path_factory.mktemp("template"), "declarations")


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    database = testing.isolated_database(monkeypatch, tmp_path, migrated, "declarations")
    # The sample's millésime (FD2401): the 2024 campaign, past by the default.
    monkeypatch.setenv("PORTAL_DECLARATIONS_CAMPAIGNS", "2024,2025,2026")
    yield database
    database.engine.dispose()


@pytest.fixture
def handle(database):
    return lambda event_type, data: testing.handle(database, HANDLERS, event_type, data)


@pytest.fixture
def client(database, handle):
    handle("CompanyRegistered", {"company_id": "c-blabla", "number": "C1", "name": "BLABLA PATRIMOINE", "siren": SIREN})
    handle("CompanyRegistered", {"company_id": "c-other", "number": "C2", "name": "Other", "siren": OTHER_SIREN})
    return create_app({"TESTING": True}).test_client()


@pytest.fixture
def sample() -> bytes:
    return (DATA / "sage_coala.ped").read_bytes()


@pytest.fixture
def good(sample) -> bytes:
    return repaired(sample)


@pytest.fixture
def repair():
    return repaired


@pytest.fixture
def declarant(handle):
    """The header of a declarative session of the first entity's declarant; a supervisor's
    declares for the others too, linked below the first (declarations derives the scope)."""
    def headers(*entities: str, language: str = "en", user: str = "d-1", role: str = "declarant") -> dict:
        if role == "supervisor":
            for associate in entities[1:]:
                handle("AssociateLinked", {"company_id": entities[0], "associate_id": associate})
        return testing.signed_headers(user_id=user, scope="declarative", declarant_role=role,
                                      company_id=entities[0] if entities else None, language=language)
    return headers
