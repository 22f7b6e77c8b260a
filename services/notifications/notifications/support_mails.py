"""The mails of support requests, to the requester and the followers the event names, each in their
language: the request registered, an operator's answer (its text: an internal note never comes in
an event), "waiting for you", and resolved — with the request's page, where the client closes or
reopens it (a mail's link changes nothing itself: mail scanners follow links).

Other updates (the client's own comments, other status moves) mail no one.
"""
from __future__ import annotations

from portalkit.events import Event

from .compose import Mail, language_of, link, mail_to

UPDATE_KINDS = {"answered": "support_answered", "waiting_for_customer": "support_waiting"}


def _people(data: dict) -> list[dict]:
    return [data, *(data.get("followers") or [])]


def _mails(kind: str, event: Event, base_url: str, **context) -> list[Mail]:
    data = event.data
    page = f"{link(base_url, 'support_requests')}/{data['request_id']}"
    mails = []
    for person in _people(data):
        language = language_of(person.get("language"))
        product = data.get("product_name_fr") if language == "fr" else data.get("product_name_en")
        mails.append(mail_to(kind, person, number=data.get("number") or "", subject_line=data["subject"],
                             product=product or data.get("product_name_en") or "", link=page,
                             for_requester=person is data, **context))
    return mails


def opened(event: Event, base_url: str) -> list[Mail]:
    return _mails("support_opened", event, base_url, severity=event.data.get("severity") or "")


def updated(event: Event, base_url: str) -> list[Mail]:
    kind = UPDATE_KINDS.get(event.data.get("kind"))
    if kind is None:
        return []
    return _mails(kind, event, base_url, answer=event.data.get("answer") or "")


def resolved(event: Event, base_url: str) -> list[Mail]:
    page = f"{link(base_url, 'support_requests')}/{event.data['request_id']}"
    return _mails("support_resolved", event, base_url, close_link=f"{page}#close", reopen_link=f"{page}#reopen")
