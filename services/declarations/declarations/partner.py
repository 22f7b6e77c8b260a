"""The vendor's EDI partner, behind one small interface: ``submit`` a deposit's interchange (→ the
partner's reference), then ``reports`` polled for the partner's and the administration's answers.

Backends (chosen by settings): the HTTPS client of the partner's API in production, the same
client pointed at the simulated partner (a local process, ``SIMULATION`` on every report) in the
embedded default and the tests.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# What a report says. The partner's: ``syntax_reject`` (final: refused by the partner) or
# ``taken``; the administration's: ``accepted``, ``partly_rejected``, ``rejected`` (final).
PARTNER_OUTCOMES = ("syntax_reject", "taken")
ADMINISTRATION_OUTCOMES = ("accepted", "partly_rejected", "rejected")


@dataclass(frozen=True)
class Report:
    """One answer about a transmitted interchange; ``id`` is the partner's, stable across polls."""

    id: str
    source: str  # partner, administration
    outcome: str
    at: datetime
    codes: tuple[str, ...] = ()
    detail: str = ""
    simulation: bool = False


class PartnerUnavailable(Exception):
    """The partner did not answer (network, 5xx, timeout): try again later, with backoff."""


class PartnerRefused(Exception):
    """The partner refused the submission itself (4xx): retrying the same bytes will not help."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Submission:
    """What the partner answered a submission: its reference for the interchange."""

    reference: str
    simulation: bool = False
    extra: dict = field(default_factory=dict)


class Partner(Protocol):
    def submit(self, deposit_id: str, siren: str, content: bytes) -> Submission:
        """Hand the interchange over; idempotent on ``deposit_id`` (a retry after a lost answer
        gets the same reference, nothing is filed twice)."""

    def reports(self, reference: str) -> list[Report]:
        """Every report so far on ``reference``, oldest first."""
