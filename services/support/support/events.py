"""What support tells the rest of the portal, always through its outbox: SupportRequestOpened,
SupportRequestUpdated, SupportRequestResolved (requests.publish)."""
from portalkit.outbox import Outbox

from .models import OutboxMessage

outbox = Outbox("support", OutboxMessage)
