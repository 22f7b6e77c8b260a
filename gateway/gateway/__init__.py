"""The portal's gateway: sessions, the /api allow-list with its signed identity, and the web pages."""
