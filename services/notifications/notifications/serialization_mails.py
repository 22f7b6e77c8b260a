"""The mails of identifier changes (the serialization form): the request to the vendor's operators,
at their team's address (``PORTAL_OPERATORS_EMAIL``: assets and notifications know no operator's
own address), and the decision to the requester, in their language (the event carries them).
"""
from __future__ import annotations

from urllib.parse import quote

from portalkit.events import Event
from portalkit.settings import env

from .compose import Mail, full_name, link, mail_to


def operators_address() -> str | None:
    """The operators' team address; none set (or ``none``): the request is only in their queue."""
    address = env("PORTAL_OPERATORS_EMAIL", "operators@portal.localhost")
    return None if address.lower() == "none" else address


def change_requested(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    address = operators_address()
    if address is None:
        return []
    team = {"email": address, "first_name": "", "last_name": "", "language": "en"}
    return [mail_to("identifier_change_requested", team, requester=full_name(data) or data.get("email") or data["user_id"],
                    company_name=data.get("company_name") or "", machine_id=data["new_machine_id"],
                    reason=data.get("reason") or "", holdings=data["holdings"],
                    link=link(base_url, "operator_identifier_changes"))]


def change_decided(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    return [mail_to("identifier_change_decided", data, approved=data["decision"] == "approved",
                    machine_id=data["new_machine_id"], reason=data.get("reason") or "",
                    link=link(base_url, "inventory") + "?machine_id=" + quote(data["new_machine_id"], safe=""))]
