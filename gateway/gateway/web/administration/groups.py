"""User groups: list and create, rename, delete, add and remove members (administrators)."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, rights, space_blueprint, visitor
from ..common.rights import administrator_page

bp = space_blueprint("groups", __name__)

GROUPS_PATH = "/administration/groups"
PAGE_SIZE = 200  # identity's largest page
MAX_PAGES = 50
CANDIDATES_SHOWN = 20
DONE = {"created": lazy_gettext("The group has been created."),
        "renamed": lazy_gettext("The group has been renamed."),
        "deleted": lazy_gettext("The group has been deleted."),
        "added": lazy_gettext("The users have been added to the group."),
        "removed": lazy_gettext("The user has been removed from the group.")}


def _group_path(group_id: str) -> str:
    return "/identity/groups/" + quote(group_id, safe="")


def _all_groups() -> list[dict]:
    groups: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        answer = calls.fetch("/identity/groups", {"page": page, "per_page": PAGE_SIZE})
        items = answer.get("items") or []
        groups += items
        if len(items) < PAGE_SIZE or len(groups) >= (answer.get("total") or 0):
            return groups
    return groups


def _group(group_id: str) -> dict:
    """One group (identity lists groups only): 404 when it is not one the administrator manages."""
    for group in _all_groups():
        if group.get("id") == group_id:
            return group
    abort(404)


def _companies() -> list:
    if not rights.is_supervisor(visitor.current_user()):
        return []
    return (calls.optional("/identity/companies") or {}).get("items") or []


def _message():
    done = request.args.get("done", "")
    return DONE.get(done)


@bp.route(GROUPS_PATH, methods=["GET"])
@administrator_page
def index():
    """The groups, with their member counts, and the form to create one."""
    return _render_index()


def _render_index(name="", company_id="", error=None, status=200):
    return render_template("administration/groups.html", groups=_all_groups(), companies=_companies(), name=name,
                           company_id=company_id, error=error, message=_message()), status


@bp.route(GROUPS_PATH, methods=["POST"])
@administrator_page
def create():
    """Create a group."""
    name = request.form.get("name", "").strip()
    company_id = request.form.get("company_id", "").strip()[:32]
    if not name or len(name) > 100:
        return _render_index(name, company_id, gettext("Enter a name of 1 to 100 characters."), 400)
    status, body = calls.identity("POST", "/identity/groups",
                                  json={"name": name, **({"company_id": company_id} if company_id else {})})
    if status in (200, 201):
        return redirect(GROUPS_PATH + "?done=created")
    if status == 409:
        return _render_index(name, company_id, gettext("A group of this name already exists."), 409)
    if status == 400:
        return _render_index(name, company_id, gettext("This name is not accepted."), 400)
    abort(404 if status == 404 else 503)


@bp.route(GROUPS_PATH + "/<group_id>", methods=["GET"])
@administrator_page
def show(group_id):
    """A group: its name, its members, and users of its company to add."""
    return _render_group(_group(group_id))


def _render_group(group, name=None, error=None, status=200):
    members = calls.fetch("/identity/users", {"group": group["id"], "per_page": PAGE_SIZE})
    q = request.args.get("q", "").strip()[:200]
    candidates = calls.fetch("/identity/users", {"company": group.get("company_id"), "q": q or None,
                                                 "per_page": CANDIDATES_SHOWN + len(members.get("items") or [])})
    member_ids = {user.get("id") for user in members.get("items") or []}
    return render_template("administration/group.html", group=group, name=group.get("name") if name is None else name, error=error,
        members=members.get("items") or [], member_total=members.get("total") or 0, q=q,
        candidates=[user for user in candidates.get("items") or [] if user.get("id") not in member_ids]
        [:CANDIDATES_SHOWN], message=_message()), status


@bp.route(GROUPS_PATH + "/<group_id>/rename", methods=["POST"])
@administrator_page
def rename(group_id):
    """Rename a group."""
    group = _group(group_id)
    name = request.form.get("name", "").strip()
    if not name or len(name) > 100:
        return _render_group(group, name, gettext("Enter a name of 1 to 100 characters."), 400)
    status, _ = calls.identity("PATCH", _group_path(group_id), json={"name": name})
    if status == 200:
        return redirect(f"{GROUPS_PATH}/{quote(group_id, safe='')}?done=renamed")
    if status == 409:
        return _render_group(group, name, gettext("A group of this name already exists."), 409)
    if status == 400:
        return _render_group(group, name, gettext("This name is not accepted."), 400)
    abort(404 if status == 404 else 503)


@bp.route(GROUPS_PATH + "/<group_id>/members", methods=["POST"])
@administrator_page
def add_members(group_id):
    """Add the selected users to the group."""
    user_ids = [value for value in request.form.getlist("user_ids") if value][:1000]
    if user_ids:
        status, _ = calls.identity("POST", _group_path(group_id) + "/members", json={"user_ids": user_ids})
        if status not in (200, 201, 204):
            abort(404 if status in (400, 404) else 503)
    return redirect(f"{GROUPS_PATH}/{quote(group_id, safe='')}" + ("?done=added" if user_ids else ""))


@bp.route(GROUPS_PATH + "/<group_id>/members/<user_id>/remove", methods=["POST"])
@administrator_page
def remove_member(group_id, user_id):
    """Take a user out of the group (the user stays)."""
    status, _ = calls.identity("DELETE", _group_path(group_id) + "/members/" + quote(user_id, safe=""))
    if status not in (200, 204):
        abort(404 if status == 404 else 503)
    return redirect(f"{GROUPS_PATH}/{quote(group_id, safe='')}?done=removed")


@bp.route(GROUPS_PATH + "/<group_id>/delete", methods=["GET", "POST"])
@administrator_page
def delete(group_id):
    """Ask to confirm, then delete the group (its members stay)."""
    group = _group(group_id)
    if request.method == "POST":
        status, _ = calls.identity("DELETE", _group_path(group_id))
        if status in (200, 204):
            return redirect(GROUPS_PATH + "?done=deleted")
        abort(404 if status == 404 else 503)
    return render_template("administration/group_delete.html", group=group)

