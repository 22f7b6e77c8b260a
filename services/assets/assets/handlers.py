"""The events assets consumes (identity's), and what each one does: ``HANDLERS``.

identity's companies and their associates' tree, and its users (the requesters of identifier
changes, mailed the decision), are kept by portalkit's directory.
"""
from portalkit.directory import IdentityDirectory

from .models import Company, ForgottenMember, Member

IDENTITY = IdentityDirectory(Company, Member, ForgottenMember)

HANDLERS = IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked",
                              "UserCreated", "UserActivated", "UserUpdated", "UserDeleted")
