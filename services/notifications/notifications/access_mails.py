"""The mails of access requests (the sign-in page's « identifiants perdus »): the request to
whoever decides it (the company's administrators, else the operators), the refusal to the
requester, and the way back in to the holder of an address that has an account already.

An accepted request sends nothing here: the account's ``UserCreated`` mails the activation link.
"""
from __future__ import annotations

from portalkit.events import Event

from .compose import Mail, full_name, link, mail_to


def access_requested(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    operators = data["routed_to"] == "operators"
    page = link(base_url, "operator_access_requests" if operators else "access_requests")
    return [mail_to("access_requested", decider, requester=full_name(data) or data["email"],
                    requester_email=data["email"], phone=data.get("phone") or "",
                    company_text=data.get("company_text") or "", company_name=data.get("company_name") or "",
                    message=data.get("message") or "", for_operators=operators, link=page)
            for decider in data["recipients"]]


def access_decided(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    if data["decision"] != "refused":
        return []  # accepted: the activation mail of the new account says it all
    return [mail_to("access_refused", data, reason=data.get("reason") or "",
                    company_name=data.get("company_name") or "")]


def existing_account(event: Event, base_url: str) -> list[Mail]:
    data = event.data
    return [mail_to("access_existing_account", data, email=data["email"], activated=data["activated"],
                    link=link(base_url, "sign_in"), forgot_link=link(base_url, "password_forgotten"))]
