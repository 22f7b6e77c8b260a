"""The administrative documents space: "Invoices" (invoices and credits) and "Reports and attendance
sheets" for the holders of their viewing services, each with its print view (``/documents/...``);
and the operators' documents in the back office: the list, the upload of one, the bulk upload of a
ZIP with its report (``/operator/documents...``)."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import bulk_upload, operator_pages, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(operator_pages.bp)
    app.register_blueprint(bulk_upload.bp)
