"""assets: what client companies own and have under contract (IT assets, contracts, updates, serialization)."""
