"""Use cases of user groups: a company's named sets of users, to filter the users list by."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import access, audit_trail
from .models import GroupMember, UserGroup, new_id


def _group(session: Session, identity: Identity, group_id: str) -> UserGroup:
    group = session.get(UserGroup, group_id) if len(group_id) <= 32 else None
    if group is None or group.company_id not in access.administered_companies(session, identity):
        raise not_found("group")
    return group


def list_groups(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    companies = access.scope(session, identity, query.get("company"))
    condition = UserGroup.company_id.in_(companies)
    total = session.scalar(select(func.count()).select_from(UserGroup).where(condition))
    members = (select(func.count()).select_from(GroupMember).where(GroupMember.group_id == UserGroup.id)
               .correlate(UserGroup).scalar_subquery())
    rows = session.execute(select(UserGroup, members).where(condition).order_by(UserGroup.name, UserGroup.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return [_shown(group, count) for group, count in rows], total


def create_group(session: Session, identity: Identity, name: str, company_id: str | None) -> dict:
    group = UserGroup(id=new_id(), company_id=access.target_company(session, identity, company_id),
                      name=name.strip())
    session.add(group)
    _ensure_name_free(session, group)
    audit_trail.record(session, identity, "group_created", group.company_id, group.id, group.name)
    _commit(session)
    return _shown(group, 0)


def rename_group(session: Session, identity: Identity, group_id: str, name: str) -> dict:
    group = _group(session, identity, group_id)
    previous, group.name = group.name, name.strip()
    _ensure_name_free(session, group)
    audit_trail.record(session, identity, "group_renamed", group.company_id, group.id, group.name, previous=previous)
    _commit(session)
    return _shown(group, _member_count(session, group))


def delete_group(session: Session, identity: Identity, group_id: str) -> None:
    group = _group(session, identity, group_id)
    audit_trail.record(session, identity, "group_deleted", group.company_id, group.id, group.name)
    session.delete(group)
    session.commit()


def add_members(session: Session, identity: Identity, group_id: str, user_ids: list[str]) -> dict:
    """Put users of the group's company in it (those already in stay)."""
    group = _group(session, identity, group_id)
    users = [access.administered_user(session, identity, user_id) for user_id in dict.fromkeys(user_ids)]
    strangers = [user.id for user in users if user.company_id != group.company_id]
    if strangers:
        raise PortalError(400, "invalid_input", "A group only holds users of its own company.",
                          {"user_ids": strangers})
    present = set(session.scalars(select(GroupMember.user_id).where(GroupMember.group_id == group.id)))
    added = [user for user in users if user.id not in present]
    session.add_all(GroupMember(group_id=group.id, user_id=user.id) for user in added)
    audit_trail.record(session, identity, "group_members_added", group.company_id, group.id, group.name,
                       user_ids=[user.id for user in added])
    session.commit()
    return _shown(group, len(present) + len(added))


def remove_member(session: Session, identity: Identity, group_id: str, user_id: str) -> None:
    group = _group(session, identity, group_id)
    removed = session.execute(delete(GroupMember).where(GroupMember.group_id == group.id,
                                                        GroupMember.user_id == user_id)).rowcount
    if not removed:
        raise not_found("member")
    audit_trail.record(session, identity, "group_member_removed", group.company_id, group.id, group.name,
                       user_id=user_id)
    session.commit()


def _member_count(session: Session, group: UserGroup) -> int:
    return session.scalar(select(func.count()).select_from(GroupMember).where(GroupMember.group_id == group.id))


def _ensure_name_free(session: Session, group: UserGroup) -> None:
    with session.no_autoflush:
        clash = session.scalar(select(UserGroup.id).where(UserGroup.company_id == group.company_id,
                                                          UserGroup.name == group.name, UserGroup.id != group.id))
    if clash:
        raise _exists()


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise _exists()


def _exists() -> PortalError:
    return PortalError(409, "group_exists", "The company already has a group of this name.", {"name": ["already used"]})


def _shown(group: UserGroup, member_count: int) -> dict:
    return {"id": group.id, "company_id": group.company_id, "name": group.name, "member_count": member_count}
