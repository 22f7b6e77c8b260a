"""What declarations tells the rest of the portal, always through its outbox: DeclarationDeposited
(deposits.deposit)."""
from portalkit.outbox import Outbox

from .models import OutboxMessage

outbox = Outbox("declarations", OutboxMessage)
