"""catalog: the services a client's users may hold, and their subscriptions (the entitlements)."""
