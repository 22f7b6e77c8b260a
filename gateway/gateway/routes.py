"""The allow-list of /api routes: which public prefix goes to which service, and to what path.

Nothing outside this table reaches a service. The longest matching prefix wins, so an operator
resource of another service is one more row (``/api/operator/<resource>``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    prefix: str  # ends with "/" unless it names one resource (then it matches its sub-paths too)
    service: str
    target: str
    # Takes files larger than the portal's body limit (the gateway's PORTAL_MAX_UPLOAD_BYTES);
    # the service keeps its own, exact limit.
    uploads: bool = False
    # The GatewaySettings attribute holding this upload route's own limit of a file (the service's
    # variable), the form's overhead added; past it the gateway answers 413 itself.
    file_limit: str = ""

    def upstream_path(self, path: str) -> str:
        return self.target + path[len(self.prefix):]


ROUTES: tuple[Route, ...] = (
    Route("/api/auth/", "identity", "/auth/"),
    Route("/api/identity/", "identity", "/identity/"),
    Route("/api/operator/companies", "identity", "/operator/companies"),
    Route("/api/operator/operators", "identity", "/operator/operators"),
    Route("/api/operator/services", "catalog", "/operator/services"),
    Route("/api/operator/contracts", "assets", "/operator/contracts"),
    Route("/api/operator/products", "assets", "/operator/products"),
    Route("/api/operator/holdings", "assets", "/operator/holdings"),
    Route("/api/operator/releases", "assets", "/operator/releases", uploads=True),
    Route("/api/operator/calendar", "assets", "/operator/calendar"),
    Route("/api/operator/access-requests", "identity", "/operator/access-requests"),
    Route("/api/operator/identifier-changes", "assets", "/operator/identifier-changes"),
    Route("/api/operator/documents", "assets", "/operator/documents", uploads=True),
    Route("/api/operator/interventions", "assets", "/operator/interventions"),
    Route("/api/operator/news", "knowledge", "/operator/news"),
    # Support's requests, comments and answers take attachments (each within support's own limit).
    Route("/api/operator/support/", "support", "/operator/support/", uploads=True),
    Route("/api/support/requests", "support", "/support/requests", uploads=True),
    Route("/api/operator/articles", "knowledge", "/operator/articles", uploads=True),
    Route("/api/catalog/", "catalog", "/catalog/"),
    Route("/api/assets/", "assets", "/assets/"),
    Route("/api/knowledge/", "knowledge", "/knowledge/"),
    Route("/api/support/", "support", "/support/"),
    Route("/api/notifications/", "notifications", "/notifications/"),
    # The Etafi declarative portal (issue 15): the declarations service, reached by declarative
    # sessions only (declarative_scope.NEEDS_DECLARATIVE) but for the receipts' public keys.
    # A deposit is up to PORTAL_DECLARATIONS_MAX_BYTES (the service's own limit, the gateway's too).
    Route("/api/declarations/deposits", "declarations", "/declarations/deposits", uploads=True,
          file_limit="deposit_max_bytes"),
    Route("/api/declarations", "declarations", "/declarations"),
    Route("/api/operator/declarants", "identity", "/operator/declarants"),
    Route("/api/operator/declarations", "declarations", "/operator/declarations"),
)
_LONGEST_FIRST = tuple(sorted(ROUTES, key=lambda route: len(route.prefix), reverse=True))


def match(path: str) -> Route | None:
    """The route of a public path, or None (the gateway answers 404)."""
    for route in _LONGEST_FIRST:
        prefix = route.prefix
        if path.startswith(prefix) and (prefix[-1] == "/" or len(path) == len(prefix)
                                        or path[len(prefix)] == "/"):
            return route
    return None


def has_unsafe_segment(path: str) -> bool:
    """True for ``/./`` or ``/../`` segments, which could step out of the matched prefix, and for
    empty ones (``//``), which a service would answer with a redirect naming its own address."""
    return "//" in path or ("/." in path and any(part in (".", "..") for part in path.split("/")))
