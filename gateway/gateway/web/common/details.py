"""A person's details as every form shows them (profile, activation, an administrator's user form)."""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from . import calls

TITLES = {"M": lazy_gettext("Mr"), "MME": lazy_gettext("Mrs"), "MLE": lazy_gettext("Miss")}
LEVELS = {1: lazy_gettext("Weak"), 2: lazy_gettext("Moderate"), 3: lazy_gettext("Strong")}
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "function": 100, "office_phone": 40, "mobile_phone": 40}


def refused_fields(body, names) -> dict:
    """identity's 400 field errors, in the page's words."""
    errors = {name: gettext("This value is not accepted.") for name in calls.error_fields(body) if name in names}
    return errors or {"form": gettext("Some information was not accepted. Check the form, then save again.")}
