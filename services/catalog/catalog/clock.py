"""The catalog's calendar: what day it is (UTC). Tests move it by monkeypatching ``today``.

Expiry dates are calendar days; a subscription whose ``expires_on`` is D ends on D.
"""
from __future__ import annotations

from datetime import date

from portalkit.db import utcnow


def today() -> date:
    return utcnow().date()
