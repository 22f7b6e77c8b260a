"""The events support consumes (identity's and assets'), and what each one does: ``HANDLERS``.

identity's companies and members (their display names, addresses and languages) are kept by
portalkit's directory; support learns members at their activation. assets' products and the
companies' holdings are kept by portalkit's product directory.
"""
from portalkit.directory import IdentityDirectory
from portalkit.product_directory import ProductDirectory

from .models import Company, ForgottenMember, Holding, Member, Product

IDENTITY = IdentityDirectory(Company, Member, ForgottenMember)
PRODUCTS = ProductDirectory(Product, Holding)

HANDLERS = {**IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked", "UserActivated",
                                "UserUpdated", "UserDeleted"),
            **PRODUCTS.handlers()}
