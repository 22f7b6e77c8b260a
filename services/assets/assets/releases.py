"""Updates offered for download: operators publish them (the file goes to the file store), the
companies whose contract covers the product download them, and each user's downloads are counted
("waiting" = released and not yet downloaded by this user).

Who may download a release: a company that holds the product under a contract in force
(``coverage.product_on_contract``), or one whose contract covered a holding of the product on the
day the release came out — a release published before the contract ended stays downloadable.
"""
from __future__ import annotations

from sqlalchemy import exists, func, literal, or_, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import DOWNLOAD_UPDATES
from portalkit.errors import PortalError, not_found
from portalkit.filestore import StoredFile

from .coverage import product_on_contract
from .events import outbox
from .models import CalendarLine, Company, Contract, ContractHolding, Holding, Product, Release, ReleaseDownload

DOWNLOAD_SERVICE = DOWNLOAD_UPDATES
CHANNELS = ("stable", "prerelease")


def covered_when_released(company_id, release=Release):
    """An EXISTS: a contract of the company, once in force, covered a holding of the release's
    product on the day it was released (before the contract ended)."""
    # correlate_except throughout: the conditions name tables of queries two levels up, which
    # SQLAlchemy's automatic correlation (the enclosing SELECT only) would not reach.
    names_none = ~exists(select(ContractHolding.contract_id).where(ContractHolding.contract_id == Contract.id)
                         .correlate_except(ContractHolding))
    names_it = exists(select(ContractHolding.contract_id).where(ContractHolding.contract_id == Contract.id,
                                                                ContractHolding.holding_id == Holding.id)
                      .correlate_except(ContractHolding))
    holds_it = exists(select(Holding.id).where(Holding.company_id == company_id,
                                               Holding.product_id == release.product_id,
                                               or_(names_none, names_it)).correlate_except(Holding))
    return exists(select(Contract.id).where(
        Contract.company_id == company_id, Contract.activated_at.is_not(None),
        Contract.starts_on <= release.released_on,
        or_(Contract.ended_on.is_(None), Contract.ended_on > release.released_on),
        holds_it).correlate_except(Contract))


def may_download(company_id, release=Release):
    return or_(product_on_contract(company_id, release.product_id), covered_when_released(company_id, release))


def _offered_to(companies: set[str]):
    if not companies:
        return literal(False)
    return or_(*(may_download(company) for company in sorted(companies)))


def _waiting_for(user_id: str):
    return ~exists(select(ReleaseDownload.user_id).where(ReleaseDownload.release_id == Release.id,
                                                         ReleaseDownload.user_id == user_id))


def list_offered(session: Session, user_id: str, companies: set[str], query: dict) -> dict:
    """The releases ``companies`` may download, newest first, with the user's waiting marks.

    ``waiting_total`` counts the waiting ones among those the filters other than ``waiting`` keep.
    """
    base = [Release.retired_at.is_(None), _offered_to(companies)]
    if query.get("product"):
        base.append(Release.product_id == query["product"])
    if query.get("channel"):
        base.append(Release.channel == query["channel"])
    waiting = _waiting_for(user_id)
    waiting_total = session.scalar(select(func.count()).select_from(Release).where(*base, waiting))
    conditions = list(base)
    if query.get("waiting") is not None:
        conditions.append(waiting if query["waiting"] else ~waiting)
    total = session.scalar(select(func.count()).select_from(Release).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(
        select(Release, Product, waiting.label("waiting")).join(Product, Product.id == Release.product_id)
        .where(*conditions).order_by(Release.released_on.desc(), Release.created_at.desc(), Release.id)
        .offset((page - 1) * per_page).limit(per_page)).all()
    # The products of every release offered, whatever the filters: what the list may be narrowed to.
    products = session.scalars(select(Product).where(Product.id.in_(
        select(Release.product_id).where(Release.retired_at.is_(None), _offered_to(companies))))
        .order_by(Product.code)).all()
    return {"items": [(release, product, bool(is_waiting)) for release, product, is_waiting in rows],
            "total": total, "waiting_total": waiting_total, "products": products}


def find_offered(session: Session, release_id: str, companies: set[str]) -> tuple[Release, str]:
    """The release and the company through which the caller may download it; 404 otherwise
    (another company's release is not told apart from a missing one)."""
    release = session.get(Release, release_id)
    if release is None or release.retired_at is not None:
        raise not_found("release")
    for company in sorted(companies):
        if session.scalar(select(_may_download_this(company, release))):
            return release, company
    raise not_found("release")


def _may_download_this(company_id: str, release: Release):
    """``may_download`` for one loaded release (its values bound, not correlated)."""
    class Bound:
        product_id = literal(release.product_id)
        released_on = literal(release.released_on)
    return may_download(company_id, Bound)


def record_download(session: Session, release: Release, user_id: str, company_id: str, fresh: bool) -> None:
    """Count a download for the user (``fresh``: from the first byte; a resumed one is the same)."""
    row = session.get(ReleaseDownload, (release.id, user_id))
    if row is None:
        session.add(ReleaseDownload(release_id=release.id, user_id=user_id, company_id=company_id, times=1))
    else:
        row.last_at = utcnow()
        if fresh:
            row.times += 1
    session.commit()


def publish(session: Session, fields: dict, stored: StoredFile, file_name: str, operator_id: str | None) -> Release:
    """Record a release whose file is stored; announce it (``UpdateReleased``) to the companies that
    may download it; mark its calendar line as released."""
    product = session.get(Product, fields["product_id"])
    if product is None:
        raise invalid("product_id", "No such product.")
    if session.scalar(select(Release.id).where(Release.product_id == product.id,
                                               Release.version == fields["version"])):
        raise PortalError(409, "release_exists", "This product already has a release of this version.",
                          {"version": ["Already released."]})
    release = Release(product_id=product.id, version=fields["version"], channel=fields["channel"],
                      released_on=fields["released_on"], notes_en=fields.get("notes_en") or "",
                      notes_fr=fields.get("notes_fr") or "", file_key=stored.key, file_name=file_name,
                      size=stored.size, sha256=stored.sha256, created_by=operator_id)
    session.add(release)
    session.flush()
    line = session.scalar(select(CalendarLine).where(CalendarLine.product_id == product.id,
                                                     CalendarLine.version == release.version))
    if line is not None and line.released_on is None:
        line.released_on = release.released_on
    outbox.add(session, "UpdateReleased", {
        "release_id": release.id, "product": product.code, "product_id": product.id,
        "product_name_en": product.name_en, "product_name_fr": product.name_fr,
        "version": release.version, "channel": release.channel, "released_on": release.released_on,
        "company_ids": companies_offered(session, release)})
    session.commit()
    return release


def companies_offered(session: Session, release: Release) -> list[str]:
    """The companies that may download ``release`` (those who hold its product under contract)."""
    bound = _may_download_this(Company.id, release)
    return list(session.scalars(select(Company.id).where(bound).order_by(Company.id)))


def retire(session: Session, release_id: str) -> Release:
    release = session.get(Release, release_id)
    if release is None:
        raise not_found("release")
    if release.retired_at is None:
        release.retired_at = utcnow()
        session.commit()
    return release


def list_all(session: Session, query: dict) -> tuple[list[tuple[Release, Product, int, int]], int]:
    """The operators' list: every release, retired ones too, newest first, each with its downloads
    (the users who downloaded it, and how many times in all)."""
    conditions = [Release.product_id == query["product"]] if query.get("product") else []
    if query.get("channel"):
        conditions.append(Release.channel == query["channel"])
    total = session.scalar(select(func.count()).select_from(Release).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    counted = (select(ReleaseDownload.release_id, func.count().label("users"),
                      func.sum(ReleaseDownload.times).label("times"))
               .group_by(ReleaseDownload.release_id).subquery())
    rows = session.execute(select(Release, Product, func.coalesce(counted.c.users, 0),
                                  func.coalesce(counted.c.times, 0))
                           .join(Product, Product.id == Release.product_id)
                           .outerjoin(counted, counted.c.release_id == Release.id)
                           .where(*conditions).order_by(Release.released_on.desc(), Release.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [(release, product, int(users), int(times)) for release, product, users, times in rows], total


def invalid(field: str, message: str) -> PortalError:
    return PortalError(400, "invalid_input", "Some fields are invalid.", {field: [message]})

