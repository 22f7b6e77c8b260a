"""Administrative documents: operators publish them (the PDF goes to the file store), the holders of
the viewing service of their kind see them — invoices and credits "Invoice viewing service", reports
and attendance sheets "Intervention reports and attendance sheet viewing service" — for the company
they hold it for (their own, or a supervised associate's: the company is named on each).

Another company's document answers 404; a document of the caller's own company whose service the
caller lacks, 403. Each publication tells ``DocumentPublished`` (one per company per upload).
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.entitlements import DOCUMENT_VIEWING
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.filestore import StoredFile
from portalkit.signed_identity import Identity

from .events import outbox
from .models import DOCUMENT_KINDS, Company, Document


def visible_kinds(identity: Identity, kinds: list[str] | None) -> dict[str, set[str]]:
    """Per kind asked (every kind when None), the companies whose documents of it the caller sees;
    403 when the caller holds none of the services the kinds need."""
    seen = {kind: identity.companies_with(DOCUMENT_VIEWING[kind]) for kind in (kinds or DOCUMENT_KINDS)}
    seen = {kind: companies for kind, companies in seen.items() if companies}
    if not seen:
        raise forbidden("Your subscriptions do not include the viewing of these documents.")
    return seen


def _conditions(query: dict) -> list:
    conditions = []
    if query.get("number"):
        pattern = query["number"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower()
        conditions.append(func.lower(Document.number).like(pattern + "%", escape="\\"))
    if query.get("issued_from"):
        conditions.append(Document.issued_on >= query["issued_from"])
    if query.get("issued_to"):
        conditions.append(Document.issued_on <= query["issued_to"])
    if query.get("amount_min") is not None:
        conditions.append(Document.amount >= query["amount_min"])
    if query.get("amount_max") is not None:
        conditions.append(Document.amount <= query["amount_max"])
    if query.get("intervention"):
        conditions.append(Document.intervention == query["intervention"])
    return conditions


def _scope(seen: dict[str, set[str]], company: str | None) -> list:
    """Who sees what, as SQL: (kind, company in those the kind is seen for), narrowed to ``company``."""
    if company is not None:
        if not any(company in companies for companies in seen.values()):
            raise not_found("company")
        seen = {kind: {company} for kind, companies in seen.items() if company in companies}
    # Kinds seen for the same companies share one condition (the usual case: one company).
    groups: dict[frozenset, list[str]] = {}
    for kind, companies in seen.items():
        groups.setdefault(frozenset(companies), []).append(kind)
    return [or_(*(and_(Document.kind.in_(sorted(kinds)), Document.company_id.in_(sorted(companies)))
                  for companies, kinds in groups.items()))]


def list_seen(session: Session, identity: Identity, query: dict) -> dict:
    """The caller's documents, newest first, with the totals of the whole filtered set."""
    seen = visible_kinds(identity, query.get("kind"))
    return listing(session, _scope(seen, query.get("company")) + _conditions(query), query)


def list_all(session: Session, query: dict) -> dict:
    """The operators' list: every company's documents (``company_id`` narrows to one)."""
    conditions = _conditions(query)
    if query.get("kind"):
        conditions.append(Document.kind.in_(query["kind"]))
    if query.get("company_id"):
        conditions.append(Document.company_id == query["company_id"])
    if query.get("company_number"):
        conditions.append(Document.company_id.in_(select(Company.id).where(Company.number == query["company_number"])))
    return listing(session, conditions, query)


def listing(session: Session, conditions: list, query: dict) -> dict:
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(
        select(Document, Company).outerjoin(Company, Company.id == Document.company_id).where(*conditions)
        .order_by(Document.issued_on.desc(), Document.id.desc())
        .offset((page - 1) * per_page).limit(per_page)).all()
    # The count and the totals in one pass over the filtered set: per currency (reports have none),
    # how many, and the invoices less the credits.
    signed = case((Document.kind == "credit", -Document.amount),
                  (Document.kind == "invoice", Document.amount), else_=None)
    groups = session.execute(select(Document.currency, func.count(), func.sum(signed)).where(*conditions)
                             .group_by(Document.currency).order_by(Document.currency)).all()
    totals = [{"currency": currency, "amount": _money(amount)} for currency, _count, amount in groups
              if currency is not None and amount is not None]
    return {"items": [tuple(row) for row in rows], "total": sum(count for _currency, count, _amount in groups),
            "totals": totals}


def _money(value) -> Decimal:
    # SQLite sums NUMERIC as a float: brought back to cents (the amounts have two decimals at most).
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def find_seen(session: Session, identity: Identity, document_id: str) -> tuple[Document, Company | None]:
    """The document if the caller sees it; 403 for one of their own company whose service they lack,
    404 for any other (another company's is not told apart from a missing one)."""
    document = session.get(Document, document_id)
    if document is None:
        raise not_found("document")
    if document.company_id in identity.companies_with(DOCUMENT_VIEWING[document.kind]):
        return document, session.get(Company, document.company_id)
    if identity.company_id is not None and document.company_id == identity.company_id:
        raise forbidden("Your subscriptions do not include the viewing of these documents.")
    raise not_found("document")


def publish(session: Session, fields: dict, stored: StoredFile, file_name: str, operator_id: str | None) -> Document:
    """Record one uploaded document and tell it (``DocumentPublished``); 409 when its number is taken."""
    if fields.get("company_id"):
        company = session.get(Company, fields["company_id"])
    else:
        company = session.scalar(select(Company).where(Company.number == fields["company_number"]))
    if company is None:
        field = "company_id" if fields.get("company_id") else "company_number"
        raise PortalError(400, "unknown_company", "No such company.", {field: ["No such company."]})
    fields = {**fields, "company_id": company.id}
    document = new_document(fields, stored, file_name, operator_id)
    session.add(document)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise number_taken() from None
    tell(session, company, [document])
    session.commit()
    return document


def number_taken() -> PortalError:
    return PortalError(409, "document_exists", "The company already has a document of this kind with this number.",
                       {"number": ["Already used for this company and kind."]})


def exists(session: Session, company_id: str, kind: str, number: str) -> bool:
    return session.scalar(select(literal(True)).where(Document.company_id == company_id, Document.kind == kind,
                                                      Document.number == number)) is not None


def new_document(fields: dict, stored: StoredFile, file_name: str, operator_id: str | None,
                 import_id: str | None = None) -> Document:
    return Document(company_id=fields["company_id"], kind=fields["kind"], number=fields["number"],
                    issued_on=fields["issued_on"], amount=fields.get("amount"), currency=fields.get("currency"),
                    intervention=fields.get("intervention"), file_key=stored.key, file_name=file_name[:255],
                    size=stored.size, sha256=stored.sha256, published_by=operator_id, import_id=import_id)


def tell(session: Session, company: Company, documents: list[Document], batch_id: str | None = None) -> None:
    """One ``DocumentPublished`` for the company's new documents (notifications mails one digest)."""
    outbox.add(session, "DocumentPublished", {
        "company_id": company.id, "company_name": company.name or None, "batch_id": batch_id,
        "documents": [{"document_id": document.id, "kind": document.kind, "number": document.number,
                       "issued_on": document.issued_on,
                       "amount": None if document.amount is None else str(document.amount),
                       "currency": document.currency} for document in documents]})
