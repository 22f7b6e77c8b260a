"""The operators' article form: write a new article or a new version of one, with "Preview" (what
readers would see, rendered by knowledge, nothing stored) beside "Save"."""
from __future__ import annotations

from flask import abort, redirect, render_template, request
from flask_babel import gettext
from markupsafe import Markup

from ..common import calls, space_blueprint
from ..common.rights import operator_page
from .operator_pages import LIST_PATH, article_path, read

bp = space_blueprint("knowledge_article_forms", __name__)

TEXTS = {"title_en": 300, "title_fr": 300, "brand": 100, "domain": 100}
BODIES = ("body_en", "body_fr")
BODY_LIMIT = 200_000


def _values(form) -> dict:
    values = {name: (form.get(name) or "").strip()[:size] for name, size in TEXTS.items()}
    values.update({name: (form.get(name) or "")[:BODY_LIMIT] for name in BODIES})
    values["products"] = (form.get("products") or "")[:2000]
    values["keywords"] = (form.get("keywords") or "")[:2000]
    return values


def _body(values: dict) -> dict:
    """The JSON of the operators' API: lists from the comma-separated fields."""
    def listed(text: str) -> list[str]:
        return [piece.strip() for piece in text.replace(";", ",").split(",") if piece.strip()]
    return {**{name: values[name] for name in (*TEXTS, *BODIES)}, "products": listed(values["products"]),
            "keywords": listed(values["keywords"])}


def _form_values(article: dict) -> dict:
    return {**{name: article.get(name) or "" for name in (*TEXTS, *BODIES)},
            "products": ", ".join(article.get("products") or []), "keywords": ", ".join(article.get("keywords") or [])}


def _errors(answer) -> dict:
    errors = {}
    for name in calls.error_fields(answer):
        if name == "products":
            errors[name] = gettext("A product code is not known.")
        elif name in ("title_en", "title_fr", "body_en", "body_fr"):
            errors[name] = gettext("Write the article in English, in French or in both: each language needs "
                                   "its title and its body.")
        else:
            errors[name] = gettext("This value is not accepted.")
    return errors or {"form": gettext("Check the form, then save again.")}


def _render(values: dict, errors: dict, article: dict | None, preview: dict | None = None, status: int = 200):
    shown = None
    if preview:
        shown = {language: {"title": preview.get(f"title_{language}") or "",
                            "body_html": Markup(preview.get(f"body_html_{language}") or "")}
                 for language in ("en", "fr") if preview.get(f"title_{language}") or preview.get(f"body_html_{language}")}
    return render_template("knowledge/article_form.html", values=values, errors=errors, article=article,
                           preview=shown), status


def _submit(article: dict | None):
    values = _values(request.form)
    body = _body(values)
    if request.form.get("action") == "preview":
        status, answer = calls.call("knowledge", "POST", f"{LIST_PATH}/preview", json=body)
        if status == 400:
            return _render(values, _errors(answer), article, status=400)
        if status != 200 or not isinstance(answer, dict):
            abort(503)
        return _render(values, {}, article, answer)
    errors = {name: gettext("This field is required.") for name in ("brand", "domain") if not values[name]}
    if errors:
        return _render(values, errors, article, status=400)
    if article is None:
        status, answer = calls.call("knowledge", "POST", LIST_PATH, json=body)
    else:
        status, answer = calls.call("knowledge", "PATCH", article_path(article["id"]), json=body)
    if status in (200, 201) and isinstance(answer, dict):
        return redirect(f"{article_path(answer['id'])}?done={'created' if article is None else 'edited'}", code=303)
    if status == 400:
        return _render(values, _errors(answer), article, status=400)
    if status == 404:
        abort(404)
    abort(503)


@bp.route(LIST_PATH + "/new", methods=["GET", "POST"])
@operator_page
def new():
    """Write a new article (saved as a draft), previewing it first if you like."""
    if request.method == "GET":
        return _render({name: "" for name in (*TEXTS, *BODIES, "products", "keywords")}, {}, None)
    return _submit(None)


@bp.route(LIST_PATH + "/<article_id>/edit", methods=["GET", "POST"])
@operator_page
def edit(article_id):
    """Change an article: saving makes a new version, which readers see once it is published."""
    article = read(article_path(article_id))
    if request.method == "GET":
        return _render(_form_values(article), {}, article)
    return _submit(article)
