"""The read-model of identity every service keeps (portalkit.directory): the companies' tree and
the members, safe against redelivered events and events arriving out of order."""
from datetime import timedelta

import pytest
from sqlalchemy import Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.db import Database, utcnow
from portalkit.directory import CompanyMixin, ForgottenMemberMixin, IdentityDirectory, MemberMixin
from portalkit.events import load_event, new_envelope


class Base(DeclarativeBase):
    metadata = MetaData()


class Company(CompanyMixin, Base):
    pass


class Member(MemberMixin, Base):
    # A field of the service's own, named as the user events name it: copied too.
    security_level: Mapped[int] = mapped_column(Integer, default=1)


class ForgottenMember(ForgottenMemberMixin, Base):
    pass


class OtherBase(DeclarativeBase):
    metadata = MetaData()


class NamesOnly(MemberMixin, OtherBase):
    """Another service's members, with the mixin's fields only (no security level)."""


IDENTITY = IdentityDirectory(Company, Member, ForgottenMember)
START = utcnow()


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'directory.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.engine.dispose()


@pytest.fixture
def handle(database):
    """Handle one event in one transaction; ``at`` seconds after START (its occurred_at)."""
    def run(event_type, data, at=0):
        envelope = new_envelope(event_type, data)
        envelope["occurred_at"] = (START + timedelta(seconds=at)).isoformat()
        event = load_event(envelope)
        with database.transaction() as session:
            IDENTITY.handlers()[event.routing_key](session, event)
        return event
    return run


def user(user_id="u1", **changes):
    return {"user_id": user_id, "email": f"{user_id}@example.com", "first_name": "Lovana", "last_name": "Dupont",
            "language": "fr", "company_id": "c1", "security_level": 2, **changes}


def members(database):
    with database.sessions() as session:
        return {m.user_id: (m.company_id, m.display_name, m.language, m.security_level, m.activated)
                for m in session.query(Member)}


def companies(database):
    with database.sessions() as session:
        return {c.id: (c.number, c.name, c.parent_id) for c in session.query(Company)}


def test_the_handlers_cover_identitys_company_and_user_events():
    assert set(IDENTITY.handlers()) == {"identity.CompanyRegistered", "identity.AssociateLinked",
                                        "identity.AssociateUnlinked", "identity.UserCreated", "identity.UserActivated",
                                        "identity.UserUpdated", "identity.UserDeleted"}
    assert set(IdentityDirectory(Company).handlers()) == {"identity.CompanyRegistered", "identity.AssociateLinked",
                                                          "identity.AssociateUnlinked"}
    assert IDENTITY.member_fields == ("company_id", "email", "first_name", "last_name", "language",
                                      "security_level")
    assert IdentityDirectory(Company, NamesOnly).member_fields == (
        "company_id", "email", "first_name", "last_name", "language")


def test_companies_and_their_associates_tree(database, handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme", "parent_id": None})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Shop", "parent_id": "c1"})
    handle("AssociateLinked", {"company_id": "c2", "associate_id": "c3", "associate_name": "Branch"})
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme SA"})  # renamed
    assert companies(database) == {"c1": ("C-1", "Acme SA", None), "c2": ("C-2", "Shop", "c1"),
                                   "c3": ("", "Branch", "c2")}


def test_an_unlinked_associate_stands_alone_unless_it_moved_since(database, handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Shop", "parent_id": "c1"})
    handle("AssociateUnlinked", {"company_id": "c1", "associate_id": "c2"})
    assert companies(database)["c2"] == ("C-2", "Shop", None)
    handle("AssociateLinked", {"company_id": "c3", "associate_id": "c2", "associate_name": "Shop"})
    handle("AssociateUnlinked", {"company_id": "c1", "associate_id": "c2"})  # a late redelivery
    assert companies(database)["c2"] == ("C-2", "Shop", "c3")


def test_a_registration_handled_after_the_associates_link_keeps_the_link(database, handle):
    handle("AssociateLinked", {"company_id": "c1", "associate_id": "c2", "associate_name": "Shop"}, at=2)
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Shop SARL"}, at=1)
    assert companies(database) == {"c2": ("C-2", "Shop SARL", "c1")}


def test_a_member_is_known_from_creation_then_activated(database, handle):
    handle("UserCreated", user(), at=1)
    assert members(database) == {"u1": ("c1", "Lovana Dupont", "fr", 2, False)}
    handle("UserActivated", user(first_name="Lou"), at=2)
    assert members(database) == {"u1": ("c1", "Lou Dupont", "fr", 2, True)}


def test_redelivered_events_change_nothing_twice(database, handle):
    handle("UserCreated", user(), at=1)
    activated = handle("UserActivated", user(), at=2)
    handle("UserActivated", user(), at=2)
    with database.sessions() as session:
        assert session.get(Member, "u1").activated_at == activated.occurred_at
    handle("UserCreated", user(), at=1)  # an activation mail sent again, come late
    assert members(database) == {"u1": ("c1", "Lovana Dupont", "fr", 2, True)}


def test_an_older_event_come_late_neither_undoes_a_newer_one_nor_the_activation(database, handle):
    handle("UserActivated", user(), at=2)
    handle("UserUpdated", user(last_name="Martin", security_level=3), at=4)
    handle("UserUpdated", user(last_name="Old", security_level=1), at=3)  # retried, overtaken
    handle("UserCreated", user(last_name="Older"), at=1)
    assert members(database) == {"u1": ("c1", "Lovana Martin", "fr", 3, True)}


def test_an_update_of_an_active_user_before_their_activation_event_counts_as_activated(database, handle):
    handle("UserCreated", user(), at=1)
    handle("UserUpdated", user(status="not_activated"), at=2)
    assert not members(database)["u1"][4]
    handle("UserUpdated", user(status="active"), at=4)
    handle("UserActivated", user(), at=3)
    assert members(database)["u1"][4]


def test_a_deleted_member_is_forgotten_and_deleting_twice_is_fine(database, handle):
    handle("UserCreated", user(), at=1)
    handle("UserDeleted", user(), at=2)
    handle("UserDeleted", user(), at=2)
    assert members(database) == {}


def test_a_late_event_about_a_deleted_user_does_not_bring_them_back(database, handle):
    handle("UserCreated", user(), at=1)
    handle("UserDeleted", user(), at=3)
    handle("UserUpdated", user(last_name="Late"), at=2)  # retried after the deletion
    handle("UserActivated", user(), at=2)
    handle("UserCreated", user(), at=1)
    assert members(database) == {}
