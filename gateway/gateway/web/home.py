"""The home page of a signed-in user: the welcome and the entries to the portal's services."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_babel import lazy_gettext

from . import csrf, visitor

bp = Blueprint("home", __name__)
csrf.protect(bp)


@dataclass(frozen=True)
class Entry:
    """A tile of the home page leading to one of the portal's services."""

    key: str
    title: str
    text: str
    path: str


# Entries only: the spaces behind them come with their own pages (no counts until they exist).
ENTRIES = (
    Entry("downloads", lazy_gettext("Downloads"),
          lazy_gettext("Updates of the products under contract, and the release calendar."), "/downloads"),
    Entry("knowledge", lazy_gettext("Knowledge base"),
          lazy_gettext("Search the articles, answers and documentation."), "/knowledge"),
    Entry("support", lazy_gettext("Support requests"),
          lazy_gettext("Open a request and follow its progress."), "/support/requests"),
    Entry("contacts", lazy_gettext("Contacts"),
          lazy_gettext("Who to call or write to, for what."), "/contacts"),
)


@bp.route("/")
@visitor.signed_in_page
def index():
    """Welcome the signed-in user and show the entries to the services."""
    return render_template("home.html", user=visitor.current_user(), entries=ENTRIES)
