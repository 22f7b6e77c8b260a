"""notifications: the portal's e-mails, made from events and sent over SMTP."""
