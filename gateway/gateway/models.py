"""The gateway's tables: its sessions, and the read-models it keeps from catalog and identity events."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class UserSession(Base):
    """A signed-in session: the cookie of the pages or the bearer token of an API client.

    Only the SHA-256 of the token is kept. ``revision`` grows whenever what the session grants
    changes (entitlements, language, name), so that each gateway process can keep what it
    derived from the session for as long as the revision it reads stays the same.
    """

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_open", "user_id", "ended_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(String(64))
    company_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    operator: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(5), default="en")
    display_name: Mapped[str] = mapped_column(String(210), default="")
    company_name: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(String(20), default="full")  # full | password_change | declarative
    # A declarative session's (``user_id`` is then the declarant account's): its role and the ids
    # of the companies it declares for, space-separated, as identity named them at sign-in.
    declarant_role: Mapped[str] = mapped_column(String(20), default="")
    entity_ids: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime(), nullable=False)  # absolute, whatever the activity
    ended_at = mapped_column(UTCDateTime(), nullable=True)


class Entitlement(Base):
    """A catalog subscription a user holds, for the company it applies to.

    An ended subscription keeps its row: the times of the events that granted and ended it let
    an event delivered late (at-least-once delivery does not keep order) change nothing.
    """

    __tablename__ = "entitlements"

    subscription_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    service_code: Mapped[str] = mapped_column(String(200))
    scope_company_id: Mapped[str] = mapped_column(String(64))
    granted_at = mapped_column(UTCDateTime(), nullable=True)
    ended_at = mapped_column(UTCDateTime(), nullable=True)


class Company(Base):
    """A client company as identity registered it (names for the pages)."""

    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class CatalogService(Base):
    """A service of the catalog as published (the pages' menus and spaces follow its code)."""

    __tablename__ = "catalog_services"

    code: Mapped[str] = mapped_column(String(200), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
