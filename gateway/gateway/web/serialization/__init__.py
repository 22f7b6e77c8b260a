"""The serialization pages: the key button of Your IT assets (``/assets/serialization``) and the
identifier change form it offers when a holding has another identifier already."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import forms
    app.register_blueprint(forms.bp)
