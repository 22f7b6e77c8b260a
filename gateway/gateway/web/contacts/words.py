"""The contacts pages' words and their reads of the catalog: the roles, and the interest services."""
from __future__ import annotations

from flask_babel import lazy_gettext

from ..common import calls, i18n

ROLES = {"main_contact": lazy_gettext("Main contact"), "accounting": lazy_gettext("Accounting contact"),
         "payroll": lazy_gettext("Payroll contact"), "it": lazy_gettext("IT contact"),
         "signatory": lazy_gettext("Signatory")}
# The catalog's two families of interests, in the page's order.
INTEREST_FAMILIES = {"Preferences": lazy_gettext("Functional preferences"),
                     "Information flow": lazy_gettext("Information flows")}


def catalog_items(path: str, query: dict) -> list[dict]:
    """A catalog list of the interest families (empty when it cannot be had: the page says less)."""
    items: list[dict] = []
    for family in INTEREST_FAMILIES:
        status, body = calls.call("catalog", "GET", path, query={**query, "family": family, "per_page": 200})
        if status == 200 and isinstance(body, dict):
            items += [{**item, "family": family} for item in body.get("items") or []]
    return items


def interest_titles(services: list[dict]) -> dict[str, str]:
    """Service id → title in the page's language (operators' lists give both languages)."""
    french = i18n.current_language() == "fr"
    return {item["id"]: item.get("title") or ((item.get("title_fr") if french else None) or item.get("title_en") or "")
            for item in services if item.get("id")}
