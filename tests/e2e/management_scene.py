"""The scenes the Management Center's mesh tests set through the API: companies under one another,
accounts activated from their mailed links, a supervisor of an associate."""
from __future__ import annotations

import requests

PASSWORD = "Harbour-Lights-2031!"


def register(mesh, operator, tag: str, name: str, first_name: str, parent_id: str | None = None) -> dict:
    """An operator registers a company (under ``parent_id``) with its administrator; returns the answer."""
    email = f"{first_name.lower()}-{tag}@{name.lower().replace(' ', '-')}.test"
    answer = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": f"MC-{name[:3].upper()}-{tag}", "name": f"{name} {tag}", "postcode": "69001", "city": "Lyon",
        "parent_id": parent_id, "administrator": {"email": email, "title": "M", "first_name": first_name,
                                                  "last_name": "Quentin", "language": "en"}})
    assert answer.status_code == 201, answer.text
    return {**answer.json(), "email": email}


def activate(mesh, email: str, first_name: str, nth: int = 1) -> requests.Session:
    """Activate an account from its mailed link through the API; returns it signed in."""
    token = mesh.mailed_link(email, "activate", nth=nth).rsplit("/", 1)[1]
    answer = requests.post(mesh.url(f"/api/auth/activation/{token}"), timeout=10, json={
        "title": "M", "first_name": first_name, "last_name": "Quentin", "language": "en", "function": "Manager",
        "office_phone": "+33 4 72 00 00 00", "mobile_phone": "", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return mesh.api_login(email, PASSWORD)


def subscribe(mesh, session, title: str, user_id: str | None = None) -> str:
    """Subscribe the session's user (or ``user_id`` of their company) to the catalog's service
    ``title``, validating it as the session (an administrator) where it waits; its id."""
    params = {"q": title, "per_page": 200, **({"user_id": user_id} if user_id else {})}
    offer = session.get(mesh.url("/api/catalog/services"), params=params, timeout=10)
    service = next(found for found in offer.json()["items"] if found["title"] == title)
    answer = session.post(mesh.url("/api/catalog/subscriptions"), timeout=10,
                          json={"service_id": service["id"], **({"user_id": user_id} if user_id else {})})
    assert answer.status_code == 201, answer.text
    if answer.json()["status"] == "pending":
        accepted = session.post(mesh.url(f"/api/catalog/requests/{answer.json()['id']}/accept"), json={}, timeout=10)
        assert accepted.status_code == 200, accepted.text
    return answer.json()["id"]


def supervision_tree(mesh, tag: str) -> dict:
    """Head office ── Region ── Shop (and Elsewhere, not linked); the head office's administrator
    holds the supervision of Region, granted by themself as its administrator."""
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    head = register(mesh, operator, tag, "Head office", "Victor")
    region = register(mesh, operator, tag, "Region", "Romain", parent_id=head["company"]["id"])
    shop = register(mesh, operator, tag, "Shop", "Simon", parent_id=region["company"]["id"])
    elsewhere = register(mesh, operator, tag, "Elsewhere", "Etienne")
    supervisor = activate(mesh, head["email"], "Victor")
    offer = supervisor.get(mesh.url("/api/catalog/services"), params={"q": "Supervision", "per_page": 200},
                           timeout=10).json()["items"]
    service = next(s for s in offer if s["supervised_company_id"] == region["company"]["id"])
    granted = supervisor.post(mesh.url("/api/catalog/subscriptions"), timeout=10, json={
        "service_id": service["id"], "user_id": head["administrator"]["id"]})
    assert granted.status_code == 201 and granted.json()["status"] == "accepted", granted.text
    return {"head": head, "region": region, "shop": shop, "elsewhere": elsewhere, "supervisor": supervisor}
