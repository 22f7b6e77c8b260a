"""Mails of new documents: ``DocumentPublished`` (one per company per upload) mails the holders of
the viewing service of each kind in that company — "Invoice viewing service" for invoices and
credits, "Intervention reports and attendance sheet viewing service" for reports and sheets — one
digest per person listing the documents they may see, in their language, with a link to the page.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.entitlements import DOCUMENT_VIEWING, INVOICE_VIEWING
from portalkit.events import Event

from .compose import Mail, link, mail_to
from .holders import holders, person

# A mail lists this many documents; past it, it says how many more there are.
MAX_LISTED = 50
KIND_NAMES = {"en": {"invoice": "Invoice", "credit": "Credit", "intervention_report": "Intervention report",
                     "attendance_sheet": "Attendance sheet"},
              "fr": {"invoice": "Facture", "credit": "Avoir", "intervention_report": "Rapport d’intervention",
                     "attendance_sheet": "Feuille de présence"}}


def documents_published(session: Session, event: Event, base_url: str) -> list[Mail]:
    """One mail per holder in the company, listing the new documents their services show them."""
    data = event.data
    company = data["company_id"]
    by_service: dict[str, list[dict]] = {}
    for document in data.get("documents") or []:
        by_service.setdefault(DOCUMENT_VIEWING[document["kind"]], []).append(document)
    seen: dict[str, tuple] = {}  # user id → (holder, their documents)
    for service, documents in by_service.items():
        for holder in holders(session, [service], [company]):
            _holder, mine = seen.setdefault(holder.user_id, (holder, []))
            mine.extend(documents)
    mails = []
    for holder, mine in seen.values():
        language = holder.language
        listed = [{**document, "kind_name": KIND_NAMES[language][document["kind"]]} for document in mine[:MAX_LISTED]]
        page = "invoices" if any(DOCUMENT_VIEWING[d["kind"]] == INVOICE_VIEWING for d in mine) else "reports"
        mails.append(mail_to("documents_published", person(holder), documents=listed, count=len(mine),
                             more=max(len(mine) - MAX_LISTED, 0), company_name=data.get("company_name") or "",
                             link=link(base_url, page)))
    return mails
