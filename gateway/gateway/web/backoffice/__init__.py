"""The operators' back office (``/operator/...``): client companies (search, creation, a company's
associates, contracts, users, trail and holdings), the catalog's services, the vendor's products,
the operators themselves, the companies' identifier changes, the updates (``releases``), the news,
and the support queue with its requests (``support_queue``, ``support_request``) (the declarant
accounts' page, /operator/declarants, is the declarations space's).

Only the vendor's operators open it (``common.rights.operator_page``); they land here after signing in,
and the header shows the space to them alone (``operator_spaces``, read by ``base.html``).
"""
from __future__ import annotations

from flask import Flask

from . import access


def register(app: Flask) -> None:
    from . import (companies, company, company_lists, holdings, identifier_changes, operators, products,
                   release_calendar, releases, services)
    from . import news, support_queue, support_request
    for module in (companies, company, company_lists, services, operators, products, holdings, release_calendar,
                   identifier_changes, releases, news, support_queue, support_request):
        app.register_blueprint(module.bp)
    app.register_blueprint(releases.uploads)
    app.register_blueprint(support_request.answers)
    app.context_processor(access.header_space)
