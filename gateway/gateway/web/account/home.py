"""The home page of a signed-in user: the welcome and the entries to the portal's pages."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import lazy_gettext

from ..common import frame, rights, space_blueprint, visitor

bp = space_blueprint("home", __name__)


@dataclass(frozen=True)
class Entry:
    """A tile of the home page leading to one of the portal's pages."""

    key: str
    title: str
    text: str
    path: str
    administrators_only: bool = False


# A tile shows only once its page exists (the spaces behind the others come with their pages).
ENTRIES = (
    Entry("profile", lazy_gettext("My profile"),
          lazy_gettext("Your details, your password and your last sign-ins."), "/profile"),
    Entry("services", lazy_gettext("My services"),
          lazy_gettext("Your subscriptions, and the catalog of the services you may subscribe to."), "/services"),
    Entry("users", lazy_gettext("Users"),
          lazy_gettext("Add, modify and import your company's users, send their activation e-mails."),
          "/administration/users", administrators_only=True),
    Entry("downloads", lazy_gettext("Downloads"),
          lazy_gettext("Updates of the products under contract, and the release calendar."), "/downloads"),
    Entry("knowledge", lazy_gettext("Knowledge base"),
          lazy_gettext("Search the articles, answers and documentation."), "/knowledge"),
    Entry("support", lazy_gettext("Support requests"),
          lazy_gettext("Open a request and follow its progress."), "/support/requests"),
    Entry("contacts", lazy_gettext("Contacts"),
          lazy_gettext("Who to call or write to, for what."), "/contacts"),
)


def entries_for(user) -> list[Entry]:
    return [entry for entry in ENTRIES if frame.page_exists(entry.path)
            and (not entry.administrators_only or rights.is_administrator(user))]


@bp.route("/")
@visitor.signed_in_page
def index():
    """Welcome the signed-in user and show the entries to the pages they may open."""
    user = visitor.current_user()
    return render_template("account/home.html", user=user, entries=entries_for(user))
