"""The release calendar: operators keep forecast and actual dates per product and version; a
published release fills its line; clients see their products' lines, as JSON and iCalendar."""
from __future__ import annotations

import io

import pytest
from icalendar import Calendar

from assets.models import Holding, Product

DOWNLOAD = "download-updates"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_FILESTORE_URL", f"file://{tmp_path / 'files'}")


@pytest.fixture
def world(handle, database, client, operator):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C1", "name": "c1"})
    with database.transaction() as session:
        session.add(Product(id="p1", code="ACC", name_en="Accounting", name_fr="Comptabilité", kind="software"))
        session.add(Product(id="p2", code="PAY", name_en="Payroll", name_fr="Paie", kind="software"))
        session.flush()
        session.add(Holding(id="h1", company_id="c1", product_id="p1", quantity=1))
    client.post("/operator/contracts", json={"company_id": "c1", "starts_on": "2026-01-01"}, headers=operator)


def line(client, operator, **body):
    return client.post("/operator/calendar", json={"product_id": "p1", "version": "8.0",
                                                   "forecast_on": "2027-03-01", **body}, headers=operator)


def test_lines_are_kept_and_a_release_fills_the_actual_date(client, world, operator, signed):
    first = line(client, operator)
    assert first.status_code == 201
    assert (first.get_json()["status"], first.get_json()["released_on"]) == ("forecast", None)
    assert line(client, operator, version="7.5", forecast_on="2026-12-15").status_code == 201
    assert line(client, operator, product_id="p2", version="1.0").status_code == 201
    again = line(client, operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "calendar_line_exists"
    published = client.post("/operator/releases", headers=operator, content_type="multipart/form-data", data={
        "product_id": "p1", "version": "7.5", "released_on": "2026-12-10", "file": (io.BytesIO(b"x"), "u.zip")})
    assert published.status_code == 201

    user = signed("u1", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}), language="fr")
    listed = client.get("/assets/calendar", headers=user).get_json()
    assert listed["total"] == 2  # Payroll is not the company's
    assert [(item["version"], item["status"], item["released_on"], item["product"]["name"])
            for item in listed["items"]] == [("7.5", "released", "2026-12-10", "Comptabilité"),
                                             ("8.0", "forecast", None, "Comptabilité")]
    assert client.get("/assets/calendar?product=p2", headers=user).get_json()["total"] == 0

    feed = client.get("/assets/calendar.ics", headers=user)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = [component for component in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert [(str(e["summary"]), e.decoded("dtstart").isoformat()) for e in events] == [
        ("Comptabilité 7.5 (diffusée)", "2026-12-10"), ("Comptabilité 8.0 (prévision)", "2027-03-01")]


def test_operators_change_and_remove_lines_and_bad_input_is_400(client, world, operator, signed):
    line_id = line(client, operator).get_json()["id"]
    moved = client.patch(f"/operator/calendar/{line_id}", json={"forecast_on": "2027-04-01",
                                                                "released_on": "2027-04-02"}, headers=operator)
    assert moved.status_code == 200 and moved.get_json()["status"] == "released"
    for body, field in (({"product_id": "nope"}, "product_id"), ({"forecast_on": "soon"}, "forecast_on"),
                        ({"version": ""}, "version"), ({"extra": 1}, "extra")):
        refused = line(client, operator, **body)
        assert refused.status_code == 400 and field in refused.get_json()["error"]["fields"], body
    assert client.get("/operator/calendar", headers=operator).get_json()["total"] == 1
    assert line(client, signed("u1", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}))).status_code == 403
    assert client.get("/assets/calendar", headers=signed("u2", "c1")).status_code == 403
    assert client.delete(f"/operator/calendar/{line_id}", headers=operator).status_code == 204
    assert client.delete(f"/operator/calendar/{line_id}", headers=operator).status_code == 404
