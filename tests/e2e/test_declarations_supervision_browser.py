"""The supervisor's page in a real browser through the real mesh: a group whose subsidiary's declarant
deposited a liasse the simulated partner rejects (010, the identification differs from the tax
record); the group's supervisor signs in with the declarative credentials, opens its subsidiaries'
declarations from the landing page, narrows them to 2023's rejected ones, reads the code explained
in plain words, follows the link to the declaration's timeline and downloads the evidence ZIP; the
subsidiary's declarant has no entry to the page and is refused it. Pages are photographed to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402

from declaring import (PASSWORD, _deposit, _repaired, _signed_in, declarant_of, final,  # tests/declaring.py
                       random_siren, supervised_group, unique)

pytestmark = pytest.mark.mesh
REJECTED_SIREN = "400000022"  # the simulator's record holds IS2, the sample's identification IS1: 010
VIEWPORT = {"width": 1280, "height": 900}


def _sign_in(page, mesh, login: str) -> None:
    page.goto(mesh.url("/declarations/signin"))
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(mesh.url("/declarations"))


def test_a_supervisor_sees_a_subsidiary_s_rejection_explained(mesh, browser):
    shot = Photographer(mesh.backend + "-supervision")
    tag = uuid.uuid4().hex[:6]
    rejected, quiet = f"Filiale Rejet {tag}", f"Filiale Calme {tag}"
    group = supervised_group(mesh, f"Groupe Navarre {tag}", {rejected: REJECTED_SIREN, quiet: random_siren()},
                             language="fr", prefix="supb")
    # The subsidiary's own declarant deposits its liasse; the simulated partner rejects it.
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    login, _ = declarant_of(mesh, operator, group["subsidiaries"][rejected], language="fr", prefix="supb")
    subsidiary = _signed_in(mesh, login, PASSWORD)
    created = _deposit(mesh, subsidiary, unique(_repaired(REJECTED_SIREN)))
    assert created.status_code == 201, created.text
    deposit = final(mesh, subsidiary, created.json()["id"])
    assert deposit["status"] == "rejected"

    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    _sign_in(page, mesh, group["login"])
    page.get_by_role("link", name="Les déclarations de vos filiales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les déclarations de vos filiales")
    page.fill("#year", "2023")
    page.select_option("#state", "rejected")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#pager-summary")).to_contain_text("Éléments 1 à 1 sur 1")
    row = page.locator("table.supervision-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(rejected)
    expect(row).to_contain_text(f"SIREN {REJECTED_SIREN}")
    expect(row).to_contain_text("Liasse fiscale")
    expect(row.locator(".supervision-state")).to_contain_text("Rejetée par l’administration")
    expect(row.locator(".badge-late")).to_have_text("En retard")  # the due date (21 May 2024) is past
    expect(row.locator(".reject-codes")).to_contain_text("010")
    expect(row.locator(".reject-codes")).to_contain_text("L'identification du fichier ne correspond pas")
    expect(row.locator(".reject-codes")).to_contain_text("Que faire")
    expect(page.locator("[data-count='rejected'] .count")).to_have_text("1")
    expect(page.locator("[data-count='expected'] .count")).to_have_text("8")  # 3 entities × 3 obligations, 1 filed
    shot(page, "supervision-rejected")

    # The timeline of the subsidiary's declaration, from the row.
    row.get_by_role("link", name="Suivre la déclaration").click()
    expect(page).to_have_url(mesh.url(f"/declarations/deposits/{deposit['id']}"))
    expect(page.locator("#deposit-status")).to_contain_text("Rejetée par l’administration")
    expect(page.locator(".reject-codes")).to_contain_text("010")
    expect(page.get_by_role("note")).to_contain_text("SIMULATION")
    shot(page, "supervision-timeline")

    # The evidence of the criteria's subsidiaries, one ZIP.
    page.go_back()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Télécharger les preuves (ZIP)").click()
    with zipfile.ZipFile(downloading.value.path()) as archive:
        assert {name.rsplit("/", 1)[0] for name in archive.namelist()} == {
            f"{REJECTED_SIREN} {rejected}/liasse-{deposit['id']}"}
    context.close()

    # The subsidiary's declarant: no entry on its landing page, the page refused.
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    _sign_in(page, mesh, login)
    expect(page.get_by_role("link", name="Les déclarations de vos filiales")).to_have_count(0)
    answer = page.goto(mesh.url("/declarations/supervision"))
    assert answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès non autorisé")
    expect(page.locator("main")).to_contain_text("Seul un compte superviseur")
    shot(page, "supervision-refused")
    context.close()
