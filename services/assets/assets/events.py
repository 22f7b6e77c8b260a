"""What assets tells the rest of the portal (ContractActivated, ContractEnded), always through its outbox."""
from portalkit.outbox import Outbox

from .models import OutboxMessage

outbox = Outbox("assets", OutboxMessage)
