"""The operators' articles: the list (status, brand, domain, words of the title; pager), an
article's page (its versions, status, attachments and "Was this helpful?" counts) with publishing,
retiring and attaching files, through knowledge's operator API."""
from __future__ import annotations

import uuid
from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import lazy_gettext

from ..common import calls, space_blueprint
from ..common.pager import last_page_of, page_number, pager, url_with
from ..common.rights import operator_page

bp = space_blueprint("knowledge_operators", __name__)

LIST_PATH = "/operator/articles"
PER_PAGE = 10
STATUSES = {"draft": lazy_gettext("Draft"), "published": lazy_gettext("Published"), "retired": lazy_gettext("Retired")}
DONE = {"created": ("success", lazy_gettext("The article has been saved as a draft.")),
        "edited": ("success", lazy_gettext("The changes have been saved as a new version.")),
        "published": ("success", lazy_gettext("The article is published: readers find it now.")),
        "already_published": ("error", lazy_gettext("This version is published already.")),
        "retired": ("success", lazy_gettext("The article is retired: readers no longer see it.")),
        "attached": ("success", lazy_gettext("The file has been attached.")),
        "detached": ("success", lazy_gettext("The attachment has been removed.")),
        "bad_file": ("error", lazy_gettext("Attach a PDF or a text file (UTF-8).")),
        "unreadable_file": ("error", lazy_gettext("This PDF cannot be read.")),
        "too_large": ("error", lazy_gettext("This file is too large.")),
        "no_file": ("error", lazy_gettext("Choose a file to attach."))}


def read(path: str, query: dict | None = None) -> dict:
    status, body = calls.call("knowledge", "GET", path, query=query)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def message():
    done = DONE.get(request.args.get("done", ""))
    return (done[0], str(done[1])) if done else None


def article_path(article_id: str) -> str:
    return f"{LIST_PATH}/{quote(article_id, safe='')}"


def _criteria(args) -> dict:
    return {"status": args.get("status") if args.get("status") in STATUSES else "",
            "brand": (args.get("brand") or "").strip()[:100], "domain": (args.get("domain") or "").strip()[:100],
            "q": (args.get("q") or "").strip()[:200]}


@bp.route(LIST_PATH)
@operator_page
def index():
    """Every article, newest change first, with its status and readers' answers."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    answer = read(LIST_PATH, {**{name: value or None for name, value in criteria.items()}, "page": page,
                              "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if total and page > last_page_of(total, PER_PAGE):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total, PER_PAGE)))
    return render_template("knowledge/operator_articles.html", articles=answer.get("items") or [],
                           criteria=criteria, statuses=STATUSES, message=message(),
                           pager=pager(LIST_PATH, criteria, page, total, PER_PAGE), filtered=any(criteria.values()))


@bp.route(LIST_PATH + "/<article_id>")
@operator_page
def show(article_id):
    """An article as operators see it: latest version, status, versions, attachments, counts."""
    article = read(article_path(article_id))
    return render_template("knowledge/operator_article.html", article=article, statuses=STATUSES, message=message())


def _decide(article_id: str, action: str):
    status, body = calls.call("knowledge", "POST", f"{article_path(article_id)}/{action}")
    if status == 404:
        abort(404)
    if status == 409 and calls.error_code(body) == "already_published":
        return redirect(f"{article_path(article_id)}?done=already_published", code=303)
    if status != 200:
        abort(503)
    return redirect(f"{article_path(article_id)}?done={'published' if action == 'publish' else 'retired'}", code=303)


@bp.route(LIST_PATH + "/<article_id>/publish", methods=["POST"])
@operator_page
def publish(article_id):
    """Publish the latest version."""
    return _decide(article_id, "publish")


@bp.route(LIST_PATH + "/<article_id>/retire", methods=["POST"])
@operator_page
def retire(article_id):
    """Withdraw the article from readers."""
    return _decide(article_id, "retire")


@bp.route(LIST_PATH + "/<article_id>/attachments", methods=["POST"])
@operator_page
def attach(article_id):
    """Attach the chosen file (sent on to knowledge as multipart)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return redirect(f"{article_path(article_id)}?done=no_file", code=303)
    boundary = uuid.uuid4().hex
    safe_name = "".join(c for c in upload.filename if c.isalnum() or c in "._- ")[:200] or "attachment"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + upload.read() + f"\r\n--{boundary}--\r\n".encode()
    status, answer = calls.call("knowledge", "POST", f"{article_path(article_id)}/attachments", body=body,
                                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status == 404:
        abort(404)
    outcome = {201: "attached", 413: "too_large", 415: "bad_file"}.get(status)
    if status == 400:
        outcome = "unreadable_file" if calls.error_code(answer) == "unreadable_file" else "no_file"
    if outcome is None:
        abort(503)
    return redirect(f"{article_path(article_id)}?done={outcome}", code=303)


@bp.route(LIST_PATH + "/<article_id>/attachments/<attachment_id>/delete", methods=["POST"])
@operator_page
def detach(article_id, attachment_id):
    """Remove an attachment."""
    status, _ = calls.call("knowledge", "DELETE",
                           f"{article_path(article_id)}/attachments/{quote(attachment_id, safe='')}")
    if status == 404:
        abort(404)
    if status != 204:
        abort(503)
    return redirect(f"{article_path(article_id)}?done=detached", code=303)
