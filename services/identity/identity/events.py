"""What identity tells the rest of the portal, always through its outbox."""
from sqlalchemy.orm import Session

from portalkit.outbox import Outbox

from .models import OutboxMessage, User

outbox = Outbox("identity", OutboxMessage)
# Operators belong to no client company; events that need one name the vendor.
VENDOR = "vendor"


def recipient(user: User) -> dict:
    """The fields every user event carries so that consumers never call identity back."""
    return {"user_id": user.id, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "language": user.language}


def user_facts(user: User) -> dict:
    """A user as UserUpdated, UserDeleted and the like tell it: enough for every read-model."""
    return {**recipient(user), "company_id": user.company_id or VENDOR, "title": user.title,
            "security_level": user.security_level, "status": user.status,
            "function": user.function}


def user_updated(session: Session, user: User) -> None:
    outbox.add(session, "UserUpdated", user_facts(user))


def sessions_ended(session: Session, user: User, except_session_id: str | None = None) -> None:
    """Have the gateway end the user's sessions (all, or all but the caller's)."""
    outbox.add(session, "SessionsEnded", {"user_id": user.id, "except_session_id": except_session_id})


def add_many(session: Session, event_type: str, items: list[dict]) -> None:
    """Record a batch of events of one type (an import's thousands of UserCreated)."""
    outbox.add_many(session, event_type, items)
