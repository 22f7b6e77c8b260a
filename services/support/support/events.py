"""What support tells the rest of the portal, always through its outbox (nothing yet)."""
from portalkit.outbox import Outbox

from .models import OutboxMessage

outbox = Outbox("support", OutboxMessage)
