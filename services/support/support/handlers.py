"""The events support consumes (identity's), and what each one does: ``HANDLERS``.

identity's companies and members (their display names, addresses and languages) are kept by
portalkit's directory; support learns members at their activation.
"""
from portalkit.directory import IdentityDirectory

from .models import Company, ForgottenMember, Member

IDENTITY = IdentityDirectory(Company, Member, ForgottenMember)

HANDLERS = IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked", "UserActivated", "UserUpdated",
                             "UserDeleted")
