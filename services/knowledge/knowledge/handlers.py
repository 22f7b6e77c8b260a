"""The events knowledge consumes (identity's and assets'), and what each one does: ``HANDLERS``.

identity's companies and their associates' tree are kept by portalkit's directory; assets' products
and the companies' holdings by portalkit's product directory.
"""
from portalkit.directory import IdentityDirectory
from portalkit.product_directory import ProductDirectory

from .models import Company, Holding, Product

IDENTITY = IdentityDirectory(Company)
PRODUCTS = ProductDirectory(Product, Holding)

HANDLERS = {**IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked"), **PRODUCTS.handlers()}
