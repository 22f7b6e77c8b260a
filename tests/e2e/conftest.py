"""What every browser test shares: one headless Chromium for the whole run (each test opens its own
contexts in it, so no cookie or storage leaks from one test to the next)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import launched_browser  # noqa: E402


@pytest.fixture(scope="session")
def browser():
    with launched_browser() as launched:
        yield launched
