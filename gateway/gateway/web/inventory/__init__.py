"""The IT assets space: "Your IT assets" (``/assets/inventory``), the company's holdings with their
contract and serialization code, filtered as the user guide's screen."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import assets_page
    app.register_blueprint(assets_page.bp)
