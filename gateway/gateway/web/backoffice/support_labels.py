"""The words of the operators' support pages: statuses, severities, clock states (with a context,
so that "New" or "Major" here never changes another page's French), and the operators' names
(support keeps no directory of operators: identity's list names them; see ``operators_by_id``)."""
from __future__ import annotations

from flask_babel import lazy_pgettext

from .access import optional

STATUSES = {
    "new": lazy_pgettext("support status", "New"),
    "in_progress": lazy_pgettext("support status", "In progress"),
    "waiting_for_customer": lazy_pgettext("support status", "Waiting for the customer"),
    "resolved": lazy_pgettext("support status", "Resolved"),
    "closed": lazy_pgettext("support status", "Closed"),
    "reopened": lazy_pgettext("support status", "Reopened"),
}
SEVERITIES = {
    "blocking": lazy_pgettext("support severity", "Blocking"),
    "major": lazy_pgettext("support severity", "Major"),
    "minor": lazy_pgettext("support severity", "Minor"),
    "question": lazy_pgettext("support severity", "Question"),
}
# support's clock states as the operators say them: "at risk" is due soon, "breached" is late.
CLOCK_STATES = {
    "on_time": lazy_pgettext("support clock", "On time"),
    "at_risk": lazy_pgettext("support clock", "Due soon"),
    "breached": lazy_pgettext("support clock", "Late"),
    "paused": lazy_pgettext("support clock", "Paused"),
}
OPERATORS_LISTED = 200  # operators are few: one page of identity's list names them all


def operators_by_id() -> dict[str, dict]:
    """identity's operators by id (``display_name``, ``status``); empty when identity cannot say."""
    answer = optional("identity", "/operator/operators", {"per_page": OPERATORS_LISTED}) or {}
    return {operator["id"]: operator for operator in answer.get("items") or [] if operator.get("id")}
