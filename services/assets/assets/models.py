"""assets' tables: the products the vendor sells, the companies' holdings of them, their maintenance
contracts and what each covers, the serialization codes issued, the companies read-model fed by
identity, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, MetaData, Numeric,
                        String, Text, UniqueConstraint, false)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.directory import CompanyMixin, ForgottenMemberMixin, MemberMixin
from portalkit.outbox import OutboxMixin

# Named constraints, so that later batch migrations on SQLite can find them again.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class Company(CompanyMixin, Base):
    """identity's client company, as assets needs it (portalkit.directory)."""


class Member(MemberMixin, Base):
    """identity's user, as assets needs them: whom an identifier change's decision is mailed to,
    at which address and in which language (portalkit.directory)."""


class ForgottenMember(ForgottenMemberMixin, Base):
    """A deleted user, so that a late event does not bring them back."""


class Contract(Base):
    """A company's maintenance contract: in force from ``starts_on`` through ``ends_on`` (if set),
    unless an operator ends it first."""

    __tablename__ = "contracts"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    starts_on = mapped_column(Date(), nullable=False)
    ends_on = mapped_column(Date(), nullable=True)  # the last day it covers
    ended_on = mapped_column(Date(), nullable=True)  # the first day it no longer covers
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # When ContractActivated was told (at creation, or on its first day by the worker).
    activated_at = mapped_column(UTCDateTime(), nullable=True)
    # Whether it names its holdings (ContractHolding rows) or covers all of its company's: kept on
    # the contract so that coverage tests a column, not the absence of rows (PostgreSQL hashed the
    # whole contract_holdings table for that NOT EXISTS on every listing).
    names_holdings: Mapped[bool] = mapped_column(Boolean(), nullable=False, default=False,
                                                 server_default=false())
    # The holdings it names (none: it covers every holding of its company); rows are written as
    # ContractHolding, this reads them.
    holdings_named = relationship("Holding", secondary="contract_holdings", viewonly=True, lazy="selectin",
                                  order_by="Holding.id")

    @property
    def holding_ids(self) -> list[str]:
        return [holding.id for holding in self.holdings_named]

    @property
    def status(self) -> str:
        if self.ended_on is not None:
            return "ended"
        return "active" if self.activated_at is not None else "planned"


def _new_id() -> str:
    return uuid.uuid4().hex


class Product(Base):
    """A product of the vendor's: a software package (serializable or not, at its current major
    version) or a piece of hardware."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("kind IN ('software', 'hardware')", name="kind"),
                      CheckConstraint("major_version IS NULL OR major_version >= 0", name="major_version"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    name_fr: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    brand: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    domain: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    serializable: Mapped[bool] = mapped_column(Boolean(), nullable=False, default=False)
    major_version = mapped_column(Integer(), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    retired_at = mapped_column(UTCDateTime(), nullable=True)


class Holding(Base):
    """A company's holding of a product: how many, and the machine it is installed on if known.
    Removed holdings are kept (``removed_at``) so that the codes once issued for them stay explained."""

    __tablename__ = "holdings"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),
                      Index("ix_holdings_company_machine", "company_id", "machine_id"),
                      Index("ix_holdings_company_product", "company_id", "product_id"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    company_id: Mapped[str] = mapped_column(String(64), nullable=False)
    product_id: Mapped[str] = mapped_column(String(32), ForeignKey("products.id"), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer(), nullable=False, default=1)
    machine_id = mapped_column(String(64), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    removed_at = mapped_column(UTCDateTime(), nullable=True)


class ContractHolding(Base):
    """A holding a contract covers. A contract with no row here covers every holding of its company
    (the operators' API: "all of the company's when absent"): see ``coverage``."""

    __tablename__ = "contract_holdings"

    contract_id: Mapped[str] = mapped_column(String(32), ForeignKey("contracts.id"), primary_key=True)
    holding_id: Mapped[str] = mapped_column(String(32), ForeignKey("holdings.id"), primary_key=True, index=True)


class SerializationCode(Base):
    """A serialization code issued for a holding, bound to (company, product, machine, major version)
    and signed by the key ``key_id``; revoked when the holding's machine identifier changes."""

    __tablename__ = "serialization_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    holding_id: Mapped[str] = mapped_column(String(32), ForeignKey("holdings.id"), nullable=False, index=True)
    company_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    product_id: Mapped[str] = mapped_column(String(32), ForeignKey("products.id"), nullable=False)
    machine_id: Mapped[str] = mapped_column(String(64), nullable=False)
    major_version = mapped_column(Integer(), nullable=True)
    key_id: Mapped[str] = mapped_column(String(64), nullable=False)
    code: Mapped[str] = mapped_column(Text(), nullable=False)
    issued_on = mapped_column(Date(), nullable=False)
    issued_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    issued_by = mapped_column(String(64), nullable=True)  # the user who asked for it
    revoked_at = mapped_column(UTCDateTime(), nullable=True)


class Release(Base):
    """An update of a product offered for download: its version, channel and notes, and the file
    in the file store (``file_key``) with its size and SHA-256, computed as it was received."""

    __tablename__ = "releases"
    __table_args__ = (CheckConstraint("channel IN ('stable', 'prerelease')", name="channel"),
                      UniqueConstraint("product_id", "version", name="uq_releases_product_version"),
                      Index("ix_releases_product_released", "product_id", "released_on"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    product_id: Mapped[str] = mapped_column(String(32), ForeignKey("products.id"), nullable=False)
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False, default="stable")
    released_on = mapped_column(Date(), nullable=False)
    notes_en: Mapped[str] = mapped_column(Text(), nullable=False, default="")
    notes_fr: Mapped[str] = mapped_column(Text(), nullable=False, default="")
    file_key: Mapped[str] = mapped_column(String(200), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    size = mapped_column(BigInteger(), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    created_by = mapped_column(String(64), nullable=True)
    retired_at = mapped_column(UTCDateTime(), nullable=True)


class ReleaseDownload(Base):
    """A user's downloads of a release: a release without a row for the user is "waiting" for them."""

    __tablename__ = "release_downloads"

    release_id: Mapped[str] = mapped_column(String(32), ForeignKey("releases.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    company_id = mapped_column(String(64), nullable=True)
    times: Mapped[int] = mapped_column(Integer(), nullable=False, default=1)
    first_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class CalendarLine(Base):
    """A line of the release calendar: the forecast date of a product's version, and the actual
    date once it is out."""

    __tablename__ = "release_calendar"
    __table_args__ = (UniqueConstraint("product_id", "version", name="uq_release_calendar_product_version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    product_id: Mapped[str] = mapped_column(String(32), ForeignKey("products.id"), nullable=False, index=True)
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    forecast_on = mapped_column(Date(), nullable=False)
    released_on = mapped_column(Date(), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)
class IdentifierChange(Base):
    """A company's request to move holdings to another machine identifier (the manual's
    serialization form): an operator approves it (old codes revoked, new ones issued) or refuses it."""

    __tablename__ = "identifier_changes"
    __table_args__ = (CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
                      Index("ix_identifier_changes_status_time", "status", "requested_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    company_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    requested_by: Mapped[str] = mapped_column(String(64), nullable=False)
    requester_language: Mapped[str] = mapped_column(String(5), nullable=False, default="en")
    new_machine_id: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str] = mapped_column(Text(), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    requested_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    decided_at = mapped_column(UTCDateTime(), nullable=True)
    decided_by = mapped_column(String(64), nullable=True)
    decision_reason = mapped_column(Text(), nullable=True)


class IdentifierChangeHolding(Base):
    """A holding an identifier change names, with the identifier it had when asked."""

    __tablename__ = "identifier_change_holdings"

    change_id: Mapped[str] = mapped_column(String(32), ForeignKey("identifier_changes.id"), primary_key=True)
    holding_id: Mapped[str] = mapped_column(String(32), ForeignKey("holdings.id"), primary_key=True, index=True)
    previous_machine_id = mapped_column(String(64), nullable=True)


DOCUMENT_KINDS = ("invoice", "credit", "intervention_report", "attendance_sheet")


class Document(Base):
    """An administrative document of a company (invoice, credit, intervention report or attendance
    sheet): its number (unique per company and kind), its date, the amount of an invoice or credit
    (Decimal, with its currency), the intervention a report or sheet belongs to, and its PDF in the
    file store with its size and SHA-256, computed as it was received."""

    __tablename__ = "documents"
    __table_args__ = (CheckConstraint("kind IN ('invoice', 'credit', 'intervention_report', 'attendance_sheet')",
                                      name="kind"),
                      CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
                      UniqueConstraint("company_id", "kind", "number", name="uq_documents_company_kind_number"),
                      # The list: a company's documents of a kind, newest first (the benchmark's query).
                      Index("ix_documents_company_kind_issued", "company_id", "kind", "issued_on", "id"),
                      Index("ix_documents_import", "import_id"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    company_id: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_on = mapped_column(Date(), nullable=False)
    amount = mapped_column(Numeric(14, 2), nullable=True)
    currency = mapped_column(String(3), nullable=True)
    intervention = mapped_column(String(64), nullable=True)  # the intervention a report or sheet belongs to
    file_key: Mapped[str] = mapped_column(String(200), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    size = mapped_column(BigInteger(), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    published_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    published_by = mapped_column(String(64), nullable=True)
    import_id = mapped_column(String(32), nullable=True)  # the bulk upload that brought it


class DocumentImport(Base):
    """A bulk upload of documents (a ZIP of PDFs with a CSV index): the ZIP in the file store until
    assets' worker has read it, then its progress and its per-line report."""

    __tablename__ = "document_imports"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
                      Index("ix_document_imports_status", "status", "created_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="queued")
    file_key = mapped_column(String(200), nullable=True)  # the ZIP; emptied once read
    file_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    size = mapped_column(BigInteger(), nullable=False, default=0)
    total: Mapped[int] = mapped_column(Integer(), nullable=False, default=0)
    processed: Mapped[int] = mapped_column(Integer(), nullable=False, default=0)
    created: Mapped[int] = mapped_column(Integer(), nullable=False, default=0)
    rejected: Mapped[str] = mapped_column(Text(), nullable=False, default="[]")  # JSON [{line, reason}]
    error = mapped_column(String(64), nullable=True)  # why a failed one failed as a whole
    created_by = mapped_column(String(64), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at = mapped_column(UTCDateTime(), nullable=True)
    finished_at = mapped_column(UTCDateTime(), nullable=True)


class FeedLink(Base):
    """A user's secret link to a feed that calendar apps read without signing in (``purpose``:
    ``release_calendar``, ``planning``): only the SHA-256 of its secret is kept, and
    renewing it replaces the hash, so the old link answers 404 at once."""

    __tablename__ = "feed_links"
    __table_args__ = (UniqueConstraint("user_id", "purpose", name="uq_feed_links_user_purpose"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    user_id: Mapped[str] = mapped_column(String(64), nullable=False)
    purpose: Mapped[str] = mapped_column(String(32), nullable=False)
    company_id: Mapped[str] = mapped_column(String(64), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="en")
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_read_at = mapped_column(UTCDateTime(), nullable=True)
class Intervention(Base):
    """A planned on-site service or training (the planning of services): when (UTC, shown in the
    company's ``time_zone``), where (a place, or a web meeting and its access code), by whom, for
    which order; seen only by its recipient and the order's contact (``planning``)."""

    __tablename__ = "interventions"
    __table_args__ = (CheckConstraint("kind IN ('on_site', 'training')", name="kind"),
                      CheckConstraint("status IN ('planned', 'cancelled')", name="status"),
                      CheckConstraint("ends_at > starts_at", name="span"),
                      Index("ix_interventions_recipient_starts", "recipient_id", "starts_at"),
                      Index("ix_interventions_contact_starts", "contact_id", "starts_at"),
                      Index("ix_interventions_company_starts", "company_id", "starts_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    company_id: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    starts_at = mapped_column(UTCDateTime(), nullable=False)
    ends_at = mapped_column(UTCDateTime(), nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    place = mapped_column(String(300), nullable=True)
    meeting_url = mapped_column(String(500), nullable=True)
    access_code = mapped_column(String(100), nullable=True)
    consultant = mapped_column(String(200), nullable=True)
    order_number = mapped_column(String(64), nullable=True)
    recipient_id: Mapped[str] = mapped_column(String(64), nullable=False)
    contact_id = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned")
    cancellation_reason = mapped_column(Text(), nullable=True)
    # RFC 5545 SEQUENCE: one more at each change, so that calendars take the newest.
    sequence: Mapped[int] = mapped_column(Integer(), nullable=False, default=0)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    created_by = mapped_column(String(64), nullable=True)
    updated_at = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)
