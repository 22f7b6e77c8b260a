"""What identity tells the rest of the portal, always through its outbox."""
from portalkit.outbox import Outbox

from .models import OutboxMessage, User

outbox = Outbox("identity", OutboxMessage)


def recipient(user: User) -> dict:
    """The fields every user event carries so that consumers never call identity back."""
    return {"user_id": user.id, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "language": user.language}
