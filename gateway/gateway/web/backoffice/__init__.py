"""The operators' back office (``/operator/...``): client companies (search, creation, a company's
associates, contracts, users and trail), the catalog's services, the operators themselves and the
companies' identifier changes.

Only the vendor's operators open it (``common.rights.operator_page``); they land here after signing in,
and the header shows the space to them alone (``operator_spaces``, read by ``base.html``).
"""
from __future__ import annotations

from flask import Flask

from . import access


def register(app: Flask) -> None:
    from . import companies, company, company_lists, operators, services
    for module in (companies, company, company_lists, services, operators):
        app.register_blueprint(module.bp)
    from . import identifier_changes
    app.register_blueprint(identifier_changes.bp)
    app.context_processor(access.header_space)
