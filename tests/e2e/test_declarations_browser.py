"""The deposit page in a real browser through the real mesh: the demo declarant signs in with its
own credentials, deposits the repaired sample, follows it on the declaration's page until the
simulated partner accepts it (marked SIMULATION), downloads its evidence and finds it in the list
narrowed by status; the sample as
published is refused, the page listing its two faults and where each is; a portal session alone is sent to the
declarative sign-in. The landing page lists the next deadlines. Pages are photographed to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import re
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402

from mesh import DECLARATIVE_DEMO  # deploy/mesh.py (on the path: tests/meshtools.py)
from meshtools import wait_until

pytestmark = pytest.mark.mesh
SAMPLE = Path(__file__).resolve().parents[2] / "services/declarations/tests/data/sage_coala.ped"
DEMO_SIREN = "123456782"  # identity's demo company (identity/demo.py)
REFERENCE = b"20241861032cor"  # the sample's interchange reference (UNB and UNZ)


def _repaired(directory: Path) -> Path:
    """The sample with the demo SIREN and UNT's true count (tests/integration/test_declarations.py),
    under an interchange reference of its own: the same bytes twice are refused as a duplicate."""
    reference = uuid.uuid4().hex[:len(REFERENCE)].encode()
    data = (SAMPLE.read_bytes().replace(b"999999999:", DEMO_SIREN.encode() + b":")
            .replace(b"UNT+542+", b"UNT+97+").replace(REFERENCE, reference))
    path = directory / f"liasse-{reference.decode()}.ped"
    path.write_bytes(data)
    return path


def test_a_declarant_deposits_on_the_page_and_a_portal_session_alone_is_refused(mesh, browser, tmp_path):
    shot = Photographer(mesh.backend + "-deposit")
    # A portal session alone does not open the deposit page.
    portal = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = portal.new_page()
    sign_in(page, mesh, *mesh.demo["administrator"])
    page.wait_for_url(mesh.url("/"))
    page.goto(mesh.url("/declarations/deposit"))
    page.wait_for_url(mesh.url("/declarations/signin"))
    portal.close()

    # The demo declarant (French) signs in with its login and deposits the repaired sample.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(mesh.url("/declarations/signin"))
    page.fill("#login", DECLARATIVE_DEMO[0])
    page.fill("#password", DECLARATIVE_DEMO[1])
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(mesh.url("/declarations"))
    # The landing page lists the next deadlines of the entity (its default profile: the liasse,
    # the CVAE and the CA12 of a 31 December closing).
    expect(page.get_by_role("heading", name="Vos prochaines échéances")).to_be_visible()
    deadlines = page.locator("table.deadlines tbody tr")
    expect(deadlines).to_have_count(3)
    expect(deadlines.first).to_contain_text("Liasse fiscale")
    expect(deadlines.first).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}"))
    shot(page, "declarative-home-deadlines")
    page.goto(mesh.url("/declarations/deposit"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer une déclaration")
    good = _repaired(tmp_path)
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Votre déclaration est déposée")
    row = page.locator("table.list tbody tr", has_text=good.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DEMO_SIREN)
    shot(page, "declarative-deposit-accepted")

    # Followed on the declaration's page until the simulated partner's answer: accepted, marked SIMULATION.
    page.get_by_role("link", name="Suivre la déclaration").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(good.name)

    def answered():
        page.reload()
        return page.locator("#deposit-status").get_attribute("data-status") not in ("queued", "sent", "taken")
    wait_until(answered, timeout=30, interval=0.3, message="the simulated partner's answer on the page")
    expect(page.locator("#deposit-status")).to_contain_text("Acceptée par l’administration")
    expect(page.get_by_role("note")).to_contain_text("SIMULATION")
    expect(page.locator(".timeline-step[data-step='accepted'] .badge-simulation")).to_have_text("SIMULATION")
    expect(page.locator(".timeline-step[data-step='received'] .badge-simulation")).to_have_count(0)
    expect(page.get_by_role("link", name="Le dossier de preuve (ZIP)")).to_have_attribute(
        "href", re.compile(r"/declarations/deposits/\w+/evidence$"))
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Le dossier de preuve (ZIP)").click()
    with zipfile.ZipFile(downloading.value.path()) as archive:
        assert archive.read(good.name) == good.read_bytes()
    shot(page, "declarative-declaration-accepted")

    # The list: the criteria panel narrows it to the accepted ones; the deposit is there, marked.
    page.goto(mesh.url("/declarations/deposits"))
    page.select_option("#status", "accepted")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#pager-summary")).to_contain_text("Éléments 1 à")
    listed = page.locator("table.deposits-list tbody tr", has_text=good.name)
    expect(listed).to_contain_text("SIMULATION")
    shot(page, "declarative-deposits-list")
    page.goto(mesh.url("/declarations/deposit"))

    # The sample as published: refused whole, the page lists its two faults and where each is
    # (UNT's count of 542 for 97 segments, the SIREN 999999999 failing its key).
    page.set_input_files("#file", str(SAMPLE))
    page.get_by_role("button", name="Déposer", exact=True).click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Les contrôles ont trouvé 2 anomalies")
    faults = refusal.locator("ol.refusal-faults > li")
    expect(faults).to_have_count(2)
    expect(faults.nth(0)).to_contain_text("UNT annonce 542")
    expect(faults.nth(0)).to_contain_text("mais le fichier en contient 97")
    expect(faults.nth(0)).to_contain_text("segment UNT, numéro 99")
    expect(faults.nth(1)).to_contain_text("Le SIREN du déclarant « 999999999 »")
    expect(faults.nth(1)).to_contain_text("segment NAD, numéro 9 ")
    expect(page.locator("table.list tbody tr", has_text=SAMPLE.name)).to_have_count(0)
    shot(page, "declarative-deposit-refused")
    context.close()
