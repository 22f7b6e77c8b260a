"""The third-party associates' users through the gateway: a supervisor reaches its subtree only, an
administrator or a plain user nothing of another subtree (404, or 403 without any right)."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, supervision_tree  # noqa: E402

pytestmark = pytest.mark.mesh


def _users(session, mesh, *companies):
    return session.get(mesh.url("/api/identity/users"), params=[("companies", c) for c in companies], timeout=10)


def test_no_one_reaches_the_associates_users_of_another_subtree(mesh):
    tree = supervision_tree(mesh, uuid.uuid4().hex[:6])
    ids = {name: tree[name]["company"]["id"] for name in ("head", "region", "shop", "elsewhere")}
    supervisor = tree["supervisor"]
    listed = _users(supervisor, mesh, ids["region"], ids["shop"])
    assert listed.status_code == 200, listed.text
    assert {user["company"]["id"] for user in listed.json()["items"]} == {ids["region"], ids["shop"]}
    beside = _users(supervisor, mesh, ids["shop"], ids["elsewhere"])
    assert beside.status_code == 404 and beside.json()["error"]["code"] == "not_found"

    # The shop's own administrator: nothing above it, nothing beside it.
    shop = activate(mesh, tree["shop"]["email"], "Simon")
    assert _users(shop, mesh, ids["shop"]).status_code == 200
    for name in ("region", "head", "elsewhere"):
        refused = _users(shop, mesh, ids[name])
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found", name

    # A plain user of the demo company holds no administration right at all.
    plain = mesh.api_login(*mesh.demo["user"])
    refused = _users(plain, mesh, ids["shop"])
    assert refused.status_code == 403 and set(refused.json()["error"]) >= {"code", "message"}
