"""identity's Flask app factory (served by gunicorn: ``identity.app:create_app()``)."""
from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import (access_requests_api, accounts, auth_api, contacts_api, declarants_api, directory_api, groups_api,
               imports_api, operator_api, profile_api, users_api)
from .settings import IdentitySettings

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None):
    settings = Settings.load("identity")
    app = create_service_app("identity", [auth_api.blp, profile_api.blp, users_api.blp, directory_api.blp,
                                          groups_api.blp, imports_api.blp, operator_api.blp,
                                          contacts_api.blp, contacts_api.operator_blp,
                                          access_requests_api.public_blp, access_requests_api.blp,
                                          access_requests_api.operator_blp, declarants_api.operator_blp,
                                          declarants_api.blp, declarants_api.auth_blp], settings)
    app.config.update(test_config or {})
    _bootstrap_operator(app.extensions["portal.database"], IdentitySettings.load())
    return app


def _bootstrap_operator(database: Database, settings: IdentitySettings) -> None:
    if not (settings.bootstrap_operator_email and settings.bootstrap_operator_password):
        return
    try:
        with database.transaction() as session:
            if accounts.bootstrap_operator(session, settings.bootstrap_operator_email,
                                           settings.bootstrap_operator_password):
                log.info("bootstrapped operator %s", settings.bootstrap_operator_email)
    except IntegrityError:
        pass  # another worker of the same service bootstrapped it at the same moment
