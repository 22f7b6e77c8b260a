"""The Planning of services space: the on-site services and trainings the visitor is the recipient
or the order's contact of — a month calendar (today marked, days with a service marked, a day
opens its services) with the month's list beside it, a service's details with its ``.ics``, and the
secret link to the visitor's iCalendar feed; and the operators' planning (``/operator/planning``).
The ``.ics`` files are the API's (``/api/assets/planning/...``), the browser's cookie signs the call."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import operators, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(operators.bp)
