"""The home page of a signed-in user: the welcome and the tiles of the pages their subscriptions open,
with live counts (subscriptions waiting for their validation, users waiting for activation, news
published since the last visit of the news page, support requests in progress and support's answers
since they were last read), and the latest news items."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import lazy_gettext

from ..common import calls, frame, rights, space_blueprint, visitor

bp = space_blueprint("home", __name__)


@dataclass(frozen=True)
class Entry:
    """A tile of the home page leading to one of the portal's pages.

    It shows once its page exists, to administrators (or supervisors) only where it says so, and,
    when it names ``services``, only to the holders of one of them (the space they open).
    """

    key: str
    title: str
    text: str
    path: str
    administrators_only: bool = False
    services: frozenset[str] = frozenset()
    supervisors_only: bool = False


# A tile shows only once its page exists (the spaces behind the others come with their pages).
ENTRIES = (
    Entry("profile", lazy_gettext("My profile"),
          lazy_gettext("Your details, your password and your last sign-ins."), "/profile"),
    Entry("services", lazy_gettext("My services"),
          lazy_gettext("Your subscriptions, and the catalog of the services you may subscribe to."), "/services"),
    Entry("notifications", lazy_gettext("Notifications"),
          lazy_gettext("Choose what the portal tells you by e-mail."), "/notifications"),
    Entry("requests", lazy_gettext("Requests to validate"),
          lazy_gettext("The subscriptions your users asked for, waiting for your decision."),
          "/administration/requests", administrators_only=True),
    Entry("users", lazy_gettext("Users"),
          lazy_gettext("Add, modify and import your company's users, send their activation e-mails."),
          "/administration/users", administrators_only=True),
    Entry("associates", lazy_gettext("Third-party associates"),
          lazy_gettext("The users of the subsidiaries, shops and indirect customers you supervise."),
          "/administration/associates", supervisors_only=True),
    Entry("inventory", lazy_gettext("Your IT assets"),
          lazy_gettext("What your company holds, its maintenance contracts and serialization codes."),
          "/assets/inventory", services=frozenset({frame.COMPANY_USER})),
    Entry("downloads", lazy_gettext("Downloads"),
          lazy_gettext("Updates of the products under contract, and the release calendar."), "/downloads",
          services=frozenset({"download-updates"})),
    Entry("knowledge", lazy_gettext("Knowledge base"),
          lazy_gettext("Search the articles, answers and documentation."), "/knowledge",
          services=frozenset({"view-faqs"})),
    Entry("support", lazy_gettext("Support requests"),
          lazy_gettext("Open a request and follow its progress."), "/support", services=frame.SUPPORT_REQUESTS),
    Entry("support-contents", lazy_gettext("New support contents"),
          lazy_gettext("Support's answers to your requests."), "/support", services=frozenset({"request-service"})),
    Entry("news", lazy_gettext("News"),
          lazy_gettext("General information, product news, events, legal texts and portal help for you."), "/news"),
    Entry("contacts", lazy_gettext("Contacts"),
          lazy_gettext("Who to call or write to, for what."), "/contacts"),
)
# The live count a tile shows, and what it counts.
COUNT_LABELS = {"requests": lazy_gettext("waiting for your validation"),
                "users": lazy_gettext("waiting for activation"),
                "downloads": lazy_gettext("waiting to be downloaded"),
                "news": lazy_gettext("new since your last visit"),
                "support": lazy_gettext("requests in progress"),
                "support-contents": lazy_gettext("new since your last visit")}
LATEST_NEWS = 3


def entries_for(user) -> list[Entry]:
    held = {entitlement.rsplit("@", 1)[0] for entitlement in user.entitlements or ()}
    if getattr(user, "company_id", None):
        held.add(frame.COMPANY_USER)  # every user of a client company: their IT assets
    return [entry for entry in ENTRIES if frame.page_exists(entry.path)
            and (not entry.administrators_only or rights.is_administrator(user))
            and (not entry.supervisors_only or rights.is_supervisor(user))
            and (not entry.services or entry.services & held)]


def latest_news(entries: list[Entry]) -> dict | None:
    """knowledge's first page of the visitor's news (reading it marks no visit), or None."""
    if "news" not in {entry.key for entry in entries}:
        return None
    status, body = calls.call("knowledge", "GET", "/knowledge/news", query={"per_page": LATEST_NEWS})
    return body if status == 200 and isinstance(body, dict) else None


def counts_for(entries: list[Entry], news: dict | None = None) -> dict[str, int]:
    """The tiles' live counts; a count that cannot be had now is left out (its tile shows without)."""
    keys, counts = {entry.key for entry in entries}, {}
    if news is not None and isinstance(news.get("new_since_last_visit"), int):
        # knowledge counts the new items up to 99: "99+" beyond.
        counts["news"] = f"{news['new_since_last_visit']}+" if news.get("new_since_last_visit_capped") \
            else news["new_since_last_visit"]
    if "requests" in keys:
        status, body = calls.call("catalog", "GET", "/catalog/requests", query={"per_page": 1})
        if status == 200 and isinstance(body, dict) and isinstance(body.get("total"), int):
            counts["requests"] = body["total"]
    if "downloads" in keys:
        status, body = calls.call("assets", "GET", "/assets/releases", query={"per_page": 1})
        if status == 200 and isinstance(body, dict) and isinstance(body.get("waiting_total"), int):
            counts["downloads"] = body["waiting_total"]
    if keys & {"support", "support-contents"}:
        status, body = calls.call("support", "GET", "/support/summary")
        if status == 200 and isinstance(body, dict):
            for key, name in (("support", "in_progress"), ("support-contents", "new_contents")):
                if key in keys and isinstance(body.get(name), int):
                    counts[key] = body[name]
    if "users" in keys:
        body = calls.optional("/identity/users/counts")
        if body is not None and isinstance(body.get("not_activated"), int):
            counts["users"] = body["not_activated"]
    return counts


@bp.route("/")
@visitor.signed_in_page
def index():
    """Welcome the signed-in user and show the tiles of the pages they may open, with their counts."""
    user = visitor.current_user()
    entries = entries_for(user)
    news = latest_news(entries)
    return render_template("account/home.html", user=user, entries=entries, counts=counts_for(entries, news),
                           count_labels=COUNT_LABELS, latest_news=(news or {}).get("items") or [])
