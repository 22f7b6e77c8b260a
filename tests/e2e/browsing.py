"""What the browser tests share: the Chromium to drive, numbered screenshots, signing in, a new company's
administrator."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def launched_browser():
    """A context manager's worth of browser: ``with launched_browser() as browser``."""
    class _Launched:
        def __enter__(self):
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            return self.browser

        def __exit__(self, *exc):
            self.browser.close()
            self.playwright.stop()
    return _Launched()


class Photographer:
    """Numbered full-page screenshots of one run, named after the backend and the page."""

    def __init__(self, backend: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.backend, self.count = backend, 0

    def __call__(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(SCREENSHOTS / f"{self.backend}-{self.count:02d}-{name}.png"), full_page=True)


def sign_in(page, mesh, email: str, password: str) -> None:
    """Fill in and send the sign-in page."""
    page.goto(mesh.base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()


def register_company(mesh, email: str, tag: str) -> None:
    """An operator registers a company whose administrator is ``email`` (an activation mail follows)."""
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    answer = operator.post(mesh.base_url + "/api/operator/companies", json={
        "number": f"WEB-{tag}", "name": f"Dupont & Fils {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": email, "title": "MME", "last_name": "Dupont",
                          "first_name": "Lovana", "language": "en"}}, timeout=10)
    assert answer.status_code == 201, answer.text
