"""Exports as CSV (the users list, an import's refused lines), in the import's 8 columns so that a
(corrected) file can be imported back; no cell comes out as a spreadsheet formula."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from . import csv_format, imports
from .directory import user_conditions
from .models import User

MAX_EXPORTED_USERS = 200_000


def users_csv(session: Session, identity: Identity, query: dict) -> str:
    users = session.scalars(select(User).where(*user_conditions(session, identity, query))
                            .order_by(User.last_name, User.first_name, User.id).limit(MAX_EXPORTED_USERS))
    return csv_format.to_csv(csv_format.HEADER, ((user.title, user.last_name, user.first_name, user.email,
                                                  user.office_phone, user.mobile_phone, user.language,
                                                  user.security_level) for user in users))


def rejected_csv(session: Session, identity: Identity, import_id: str) -> str:
    return csv_format.to_csv((*csv_format.HEADER, "Reason"), imports.rejected_lines(session, identity, import_id))
