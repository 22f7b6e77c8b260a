"""The page tests' stand-in for identity: a real HTTP service in memory, behind the real gateway."""
from __future__ import annotations

from .portal import ADMINISTRATION, FakePortal, demo_portal
from .rules import broken_rules

__all__ = ["ADMINISTRATION", "FakePortal", "broken_rules", "demo_portal"]
