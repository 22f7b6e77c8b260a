"""The operators' news in the back office (``/operator/news``): the list (kind, retired or live, pager),
the form publishing an item at once — with a preview of its bodies that publishes nothing — and an
item's retirement, through knowledge's operator API."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_news", __name__)

LIST_PATH = "/operator/news"
# knowledge's kinds of news (the news space names them alike for readers).
KINDS = {"general": lazy_gettext("General information"), "product": lazy_gettext("Product information"),
         "event": lazy_gettext("Events"), "legal": lazy_gettext("Legal texts"),
         "partner": lazy_gettext("Partner information"), "help": lazy_gettext("Portal help")}
RETIRED = {"0": lazy_gettext("Live items"), "1": lazy_gettext("Retired items")}
TITLES = ("title_en", "title_fr")
BODIES = ("body_en", "body_fr")
DONE = {"published": ("success", lazy_gettext("The news item has been published.")),
        "retired": ("success", lazy_gettext("The news item has been retired: it reaches nobody now.")),
        "already_retired": ("error", lazy_gettext("This news item is retired already."))}


def _criteria(args) -> dict:
    return {"kind": args.get("kind") if args.get("kind") in KINDS else "",
            "retired": args.get("retired") if args.get("retired") in RETIRED else ""}


def _query(criteria: dict, page: int, per_page: int = PER_PAGE) -> dict:
    return {"kind": criteria["kind"] or None, "page": page, "per_page": per_page,
            "retired": {"0": "false", "1": "true"}.get(criteria["retired"])}


def _render(criteria: dict, page: int, values: dict, errors: dict, preview: dict | None = None, status: int = 200):
    answer = read("knowledge", LIST_PATH, _query(criteria, page))
    total = answer.get("total") or 0
    done = DONE.get(request.args.get("done", ""))
    return render_template("backoffice/news.html", items=answer.get("items") or [], criteria=criteria,
                           kinds=KINDS, retired_options=RETIRED, pager=pager(LIST_PATH, criteria, page, total),
                           filtered=any(criteria.values()), values=values, errors=errors, preview=preview,
                           message=(done[0], str(done[1])) if done else None), status


@bp.route(LIST_PATH)
@operator_page
def index():
    """Every news item, newest first, by kind and retirement; the form publishing a new one."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    total = read("knowledge", LIST_PATH, _query(criteria, 1, 1)).get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total)))
    return _render(criteria, page, {"kind": "general"}, {})


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _values(form) -> dict:
    values = {name: (form.get(name) or "").strip()[:200] for name in TITLES}
    values.update({name: (form.get(name) or "").replace("\r\n", "\n")[:100_000] for name in BODIES})
    values["kind"] = form.get("kind") if form.get("kind") in KINDS else ""
    values["products"] = (form.get("products") or "").strip()[:2000]
    values["domains"] = (form.get("domains") or "").strip()[:2000]
    return values


def _check(values: dict) -> dict:
    errors = {}
    if not values["kind"]:
        errors["kind"] = gettext("Choose a kind.")
    for language in ("en", "fr"):
        if values[f"body_{language}"].strip() and not values[f"title_{language}"]:
            errors[f"title_{language}"] = gettext("A text needs its title.")
    if not errors and not any(values[name] for name in TITLES):
        errors["title_en"] = gettext("Give a title in English or in French.")
    return errors


def _previews(values: dict) -> dict:
    """The sanitised HTML of each body, as readers will see it."""
    shown = {}
    for name in BODIES:
        if values[name].strip():
            status, answer = call("knowledge", "POST", LIST_PATH + "/preview", json={"body": values[name]})
            if status != 200 or not isinstance(answer, dict):
                abort(503)
            shown[name] = answer.get("body_html") or ""
    return shown


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def publish():
    """Publish the item at once (or, with "Preview", show its bodies as readers will see them)."""
    values = _values(request.form)
    errors = _check(values)
    if request.form.get("action") == "preview":
        return _render(_criteria({}), 1, values, errors, preview=_previews(values), status=400 if errors else 200)
    refusal = 400
    if not errors:
        body = {"kind": values["kind"], **{name: values[name] for name in TITLES + BODIES},
                "products": _codes(values["products"]), "domains": _codes(values["domains"])}
        status, answer = call("knowledge", "POST", LIST_PATH, json=body)
        if status == 201:
            return redirect(LIST_PATH + "?done=published", 303)
        if status == 400:
            fields = calls.error_fields(answer)
            errors = {name: gettext("This value is not accepted.") for name in fields}
            if "products" in fields:
                errors["products"] = gettext("Unknown product codes: give the codes of recorded products.")
            errors = errors or {"form": gettext("Check the form, then publish again.")}
        else:
            abort(503)
    return _render(_criteria({}), 1, values, errors, status=refusal)


@bp.route(LIST_PATH + "/<news_id>/retire", methods=["POST"])
@operator_page
def retire(news_id):
    """Retire the item: it reaches nobody from now on."""
    status, _ = call("knowledge", "POST", f"{LIST_PATH}/{quote(news_id, safe='')}/retire")
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(LIST_PATH + "?done=already_retired", 303)
    if status != 200:
        abort(503)
    return redirect(LIST_PATH + "?done=retired", 303)
