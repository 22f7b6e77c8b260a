"""assets' calendar: what day it is (UTC). Tests move it by monkeypatching ``today``."""
from __future__ import annotations

from datetime import date

from portalkit.db import utcnow


def today() -> date:
    return utcnow().date()
