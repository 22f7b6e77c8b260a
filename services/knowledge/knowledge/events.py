"""What knowledge tells the rest of the portal, always through its outbox: ``ArticlePublished``,
``NewsPublished``."""
from portalkit.outbox import Outbox

from .models import OutboxMessage

outbox = Outbox("knowledge", OutboxMessage)
