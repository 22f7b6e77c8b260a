"""A company's contacts for the vendor: the administrators' Contacts page (who is the main
contact, the accounting, payroll or IT contact, the signatory, and each user's interests) and the
operators' read of it (``/operator/companies/<id>/contacts``).

Interests are the users' catalog subscriptions to the "Functional preference: …" and "Receive …"
services: ticking one subscribes the user, unticking cancels the subscription (catalog's API);
identity reads them back from catalog's events."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import administrators, operators
    for module in (administrators, operators):
        app.register_blueprint(module.bp)
