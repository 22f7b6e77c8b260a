"""identity's app without the metrics hook, for ``metrics_cost``'s other side: everything else
is the real ``identity.app:create_app()``."""
from __future__ import annotations

from portalkit import metrics

# web.py calls the hook through the module: a no-op here leaves the app exactly as before it.
metrics.install = lambda app, component, serve=True: None

from identity.app import create_app  # noqa: E402,F401 - imported after the hook is gone
