"""Use cases of reading users: one's own profile, the administrator's users list and its counts,
the company picker, and the administrators every user may see."""
from __future__ import annotations

from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from portalkit.errors import not_found
from portalkit.signed_identity import Identity

from . import access
from .administrators import live as grant_in_force
from .models import AdministrationGrant, Company, GroupMember, User, UserGroup

# One expression for the name-or-address search, the same text as the PostgreSQL trigram index
# of migration 0003 so that the planner uses it (literal spaces, not bound parameters).
SEARCH_TEXT = func.lower(User.first_name + literal_column("' '") + User.last_name + literal_column("' '")
                         + func.coalesce(User.email, literal_column("''")))


def me(session: Session, identity: Identity) -> User:
    user = session.get(User, identity.user_id)
    if user is None:
        raise not_found("user")
    return user


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def user_conditions(session: Session, identity: Identity, query: dict, companies: set[str] | None = None) -> list:
    """The WHERE of the users list: the companies in scope, then each filter asked for."""
    if companies is None:
        companies = access.chosen_scope(session, identity, query)
    conditions = [User.company_id.in_(companies)]
    for word in (query.get("q") or "").lower().split()[:5]:
        conditions.append(SEARCH_TEXT.like(f"%{_escape_like(word)}%", escape="\\"))
    if query.get("function"):
        conditions.append(User.function == query["function"])
    status = query.get("status")
    if status == "no_email":
        conditions.append(User.email.is_(None))
    elif status == "active":
        conditions += [User.activated_at.is_not(None), User.email.is_not(None)]
    elif status == "not_activated":
        conditions += [User.activated_at.is_(None), User.email.is_not(None)]
    if query.get("administrators"):
        conditions.append(User.id.in_(select(AdministrationGrant.user_id).where(
            grant_in_force(), AdministrationGrant.service_code.in_((access.ADMINISTRATION, access.SUPERVISION)))))
    if query.get("group"):
        group = session.get(UserGroup, query["group"]) if len(query["group"]) <= 32 else None
        if group is None or group.company_id not in companies:
            raise not_found("group")
        conditions.append(User.id.in_(select(GroupMember.user_id).where(GroupMember.group_id == group.id)))
    return conditions


def list_users(session: Session, identity: Identity, query: dict) -> tuple[list[User], int]:
    companies = access.chosen_scope(session, identity, query)
    conditions = user_conditions(session, identity, query, companies)
    offset, limit = (query["page"] - 1) * query["per_page"], query["per_page"]
    if query.get("q") and len(companies) > 1:
        found = _search_page(session, conditions, offset, limit)
        if found is not None:
            return found
    # One company: its (company, last name) index hands the page over in order, so the page
    # costs next to nothing beside the count.
    total = session.scalar(select(func.count()).select_from(User).where(*conditions))
    users = session.scalars(select(User).where(*conditions).order_by(User.last_name, User.first_name, User.id)
                            .offset(offset).limit(limit)).all()
    return list(users), total


def _search_page(session: Session, conditions: list, offset: int, limit: int) -> tuple[list[User], int] | None:
    """A search across several companies: no index gives its order, so the count and the page
    would each scan every match; here one scan of the matches' ids and names serves both (half
    the time for a supervisor of many associates). None for a page past the end."""
    matches = select(User.id, User.last_name, User.first_name).where(*conditions).cte("matches")
    total = select(func.count()).select_from(matches).scalar_subquery()
    page = (select(matches.c.id).order_by(matches.c.last_name, matches.c.first_name, matches.c.id)
            .offset(offset).limit(limit).subquery())
    rows = session.execute(select(User, total).join(page, page.c.id == User.id)
                           .order_by(User.last_name, User.first_name, User.id)).all()
    if not rows:
        return None
    return [user for user, _ in rows], rows[0][1]


def user_detail(session: Session, identity: Identity, user_id: str) -> User:
    """One administered user, with their groups (``user.groups``)."""
    user = access.administered_user(session, identity, user_id)
    user.groups = list(session.scalars(select(UserGroup).join(GroupMember, GroupMember.group_id == UserGroup.id)
                                       .where(GroupMember.user_id == user.id).order_by(UserGroup.name)))
    return user


def functions(session: Session, identity: Identity, company_id: str | None) -> list[str]:
    """The functions the users in scope have, for the list's filter."""
    companies = access.scope(session, identity, company_id)
    return list(session.scalars(select(User.function).distinct()
                                .where(User.company_id.in_(companies), User.function != "")
                                .order_by(User.function)))


def counts(session: Session, identity: Identity, company_id: str | None) -> dict:
    """The dashboard's user counts: activated, waiting for activation, without e-mail, new since
    the caller's previous sign-in, and groups."""
    companies = access.scope(session, identity, company_id)
    caller = session.get(User, identity.user_id)
    since = caller.previous_sign_in_at if caller is not None else None
    in_scope = User.company_id.in_(companies)
    row = session.execute(select(
        func.count().filter(User.email.is_not(None), User.activated_at.is_not(None)),
        func.count().filter(User.email.is_not(None), User.activated_at.is_(None)),
        func.count().filter(User.email.is_(None)),
        func.count().filter(User.created_at > since) if since is not None else literal_column("0"),
    ).where(in_scope)).one()
    groups = session.scalar(select(func.count()).select_from(UserGroup).where(UserGroup.company_id.in_(companies)))
    return {"active": row[0], "not_activated": row[1], "no_email": row[2], "new_since_last_sign_in": row[3],
            "groups": groups}


def companies(session: Session, identity: Identity) -> list[dict]:
    """The company picker: every company the caller administers, their own first."""
    administered = access.administered_companies(session, identity)
    rows = session.scalars(select(Company).where(Company.id.in_(administered)).order_by(Company.name, Company.id))
    own = identity.companies_with(access.ADMINISTRATION)
    return sorted(({"company": company, "relation": "own" if company.id in own else "associate"} for company in rows),
                  key=lambda entry: entry["relation"] != "own")


def _ancestors(session: Session, company_id: str) -> list[str]:
    chain, seen = [], {company_id}
    company = session.get(Company, company_id)
    while company is not None and company.parent_id and company.parent_id not in seen:
        chain.append(company.parent_id)
        seen.add(company.parent_id)
        company = session.get(Company, company.parent_id)
    return chain


def administrators(session: Session, identity: Identity) -> list[dict]:
    """Who administers the caller's company: its administrators, then its supervisors, each
    supervisor with the company whose subtree they supervise (the nearest above the caller's)."""
    if not identity.company_id:
        return []
    chain = [identity.company_id, *_ancestors(session, identity.company_id)]  # the company, then up
    own = and_(AdministrationGrant.service_code == access.ADMINISTRATION,
               AdministrationGrant.scope_company_id == identity.company_id)
    # A supervision right is scoped to the associate it supervises, and covers its subtree:
    # the company's own supervisors, then those of the companies above it.
    supervising = and_(AdministrationGrant.service_code == access.SUPERVISION,
                       AdministrationGrant.scope_company_id.in_(chain))
    rows = session.execute(select(User, AdministrationGrant.service_code, Company)
                           .join(AdministrationGrant, AdministrationGrant.user_id == User.id)
                           .join(Company, Company.id == AdministrationGrant.scope_company_id)
                           .where(grant_in_force(), or_(own, supervising))
                           .order_by(User.last_name, User.first_name, User.id)).all()
    listed: dict[str, dict] = {}
    for user, code, scope in rows:
        if code == access.ADMINISTRATION:
            listed[user.id] = {"user": user, "role": "administrator", "supervises": None}
            continue
        entry = listed.setdefault(user.id, {"user": user, "role": "supervisor", "supervises": scope})
        if entry["role"] == "supervisor" and chain.index(scope.id) < chain.index(entry["supervises"].id):
            entry["supervises"] = scope
    return sorted(listed.values(), key=lambda entry: entry["role"] != "administrator")
