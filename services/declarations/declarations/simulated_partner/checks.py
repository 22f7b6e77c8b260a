"""The simulated partner's syntax checks: the portal's own (``declarations.edifact``, ``.checks``)
minus what only the portal knows (the depositor's entities, the open campaigns)."""
from __future__ import annotations

from ..checks import Filing, declarant, envelope, identification, message
from ..edifact import read

# The partner's syntax codes (explained in declarations.reject_codes), by the portal's refusal.
SYNTAX_CODES = {
    "no_interchange": "P01", "unknown_charset": "P01", "undecodable": "P01", "syntax_error": "P01",
    "missing_segment": "P02", "wrong_count": "P02", "reference_mismatch": "P02",
    "wrong_message_type": "P03", "wrong_document": "P03",
    "invalid_siren": "P04",
    "missing_identification": "P05", "invalid_date": "P05",
}


class _AnyDeclarant(dict):
    """The partner files for any valid SIREN: every one is "an entity" of the sender."""

    def __contains__(self, siren) -> bool:
        return True

    def __getitem__(self, siren):
        return siren


def syntax(content: bytes) -> Filing:
    """The filing, or ``declarations.refusals.Refusal`` (its code one of SYNTAX_CODES)."""
    filing = Filing()
    first = envelope(read(content).segments, filing)[0]
    message(first, filing)
    declarant(first, _AnyDeclarant(), filing)
    identification(first, filing)
    return filing
