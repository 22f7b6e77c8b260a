"""The statuses of a support request and the one table of the moves allowed between them, with who
may make each: the client (requester's side), the vendor's operator, or the portal itself
(``system``: the worker's auto-close, and a client's comment bringing a request back from
"waiting for the customer")."""
from __future__ import annotations

from portalkit.errors import PortalError

NEW, IN_PROGRESS, WAITING, RESOLVED, CLOSED, REOPENED = (
    "new", "in_progress", "waiting_for_customer", "resolved", "closed", "reopened")
STATUSES = (NEW, IN_PROGRESS, WAITING, RESOLVED, CLOSED, REOPENED)
# Still being worked on: counted as "in progress" on the home tile.
OPEN_STATUSES = (NEW, IN_PROGRESS, WAITING, REOPENED)
# The support clock is paused in these (the customer holds the ball) and stopped in the finished ones.
PAUSED_STATUSES = (WAITING,)
FINISHED_STATUSES = (RESOLVED, CLOSED)

CLIENT, OPERATOR, SYSTEM = "client", "operator", "system"
ACTORS = (CLIENT, OPERATOR, SYSTEM)

_BOTH = frozenset({CLIENT, OPERATOR})
_OPERATOR = frozenset({OPERATOR})

# (from, to): who may make the move. Anything not here is refused (409 move_not_allowed).
MOVES: dict[tuple[str, str], frozenset[str]] = {
    (NEW, IN_PROGRESS): _OPERATOR,
    (NEW, WAITING): _OPERATOR,
    (NEW, RESOLVED): _BOTH,
    (NEW, CLOSED): _BOTH,
    (IN_PROGRESS, WAITING): _OPERATOR,
    (IN_PROGRESS, RESOLVED): _BOTH,
    (IN_PROGRESS, CLOSED): _BOTH,
    # The client answers (a comment) or the operator takes it back.
    (WAITING, IN_PROGRESS): frozenset({OPERATOR, SYSTEM}),
    (WAITING, RESOLVED): _BOTH,
    (WAITING, CLOSED): _BOTH,
    # A resolved request is closed by the client, an operator, or by itself after
    # PORTAL_SUPPORT_AUTO_CLOSE_DAYS without an answer; the client may reopen it instead.
    (RESOLVED, CLOSED): frozenset({CLIENT, OPERATOR, SYSTEM}),
    (RESOLVED, REOPENED): frozenset({CLIENT}),
    (RESOLVED, IN_PROGRESS): _OPERATOR,
    # Within PORTAL_SUPPORT_REOPEN_DAYS of its closing.
    (CLOSED, REOPENED): frozenset({CLIENT}),
    (REOPENED, IN_PROGRESS): _OPERATOR,
    (REOPENED, WAITING): _OPERATOR,
    (REOPENED, RESOLVED): _BOTH,
    (REOPENED, CLOSED): _BOTH,
}


def allowed(current: str, target: str, actor: str) -> bool:
    return actor in MOVES.get((current, target), frozenset())


def check(current: str, target: str, actor: str) -> None:
    """Refuse a move the table does not allow this actor (409 ``move_not_allowed``)."""
    if target not in STATUSES:
        raise PortalError(400, "invalid_input", "Some fields are invalid.",
                          {"status": [f"Must be one of: {', '.join(STATUSES)}."]})
    if not allowed(current, target, actor):
        raise PortalError(409, "move_not_allowed",
                          f"A request that is {current} cannot be moved to {target} by the {actor}.",
                          {"status": [f"Not allowed from {current}."]})


def targets(current: str, actor: str) -> list[str]:
    """The statuses ``actor`` may move a request in ``current`` to, in the statuses' order."""
    return [target for target in STATUSES if allowed(current, target, actor)]
