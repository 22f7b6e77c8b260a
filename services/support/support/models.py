"""support's tables: the companies and members read-models fed by identity, assets' products and
holdings, and the bus's two tables."""
from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from portalkit.consumer import HandledEventMixin
from portalkit.directory import CompanyMixin, ForgottenMemberMixin, MemberMixin
from portalkit.outbox import OutboxMixin
from portalkit.product_directory import HoldingMixin, ProductMixin

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
    """identity's client company, as support needs it (portalkit.directory)."""


class Member(MemberMixin, Base):
    """A user of a client company: who opened or follows a request, by name (``display_name``)."""


class ForgottenMember(ForgottenMemberMixin, Base):
    """A deleted user: their late events do not bring them back."""


class Product(ProductMixin, Base):
    """A product of the vendor's, as assets tells it (portalkit.product_directory)."""


class Holding(HoldingMixin, Base):
    """What a company holds, as assets tells it: a request offers the company's products."""
