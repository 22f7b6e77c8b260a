"""The events assets consumes (identity's), and what each one does: ``HANDLERS``.

identity's companies and their associates' tree are kept by portalkit's directory.
"""
from portalkit.directory import IdentityDirectory

from .models import Company

IDENTITY = IdentityDirectory(Company)

HANDLERS = IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked")
