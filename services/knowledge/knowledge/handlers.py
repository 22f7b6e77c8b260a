"""The events knowledge consumes (identity's and assets'), and what each one does: ``HANDLERS``.

identity's companies and their associates' tree are kept by portalkit's directory; assets' products
and the companies' holdings by portalkit's product directory.
"""
from sqlalchemy import delete
from sqlalchemy.orm import Session

from portalkit.directory import IdentityDirectory
from portalkit.events import Event
from portalkit.product_directory import ProductDirectory

from .models import Company, Holding, NewsVisit, Product

IDENTITY = IdentityDirectory(Company)
PRODUCTS = ProductDirectory(Product, Holding)


def on_user_deleted(session: Session, event: Event) -> None:
    """Forget when a deleted user last read the news. Their "Was this helpful?" answers stay
    counted: they name nobody once identity has forgotten the user."""
    session.execute(delete(NewsVisit).where(NewsVisit.user_id == event.data["user_id"]))


HANDLERS = {**IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked"), **PRODUCTS.handlers(),
            "identity.UserDeleted": on_user_deleted}
