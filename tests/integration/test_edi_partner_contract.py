"""The EDI partner's contract, through the portal's own client (declarations.partner_http): run
against the simulated partner's process started here, or against the partner named by
PORTAL_EDI_PARTNER_CONTRACT_URL and PORTAL_EDI_PARTNER_CONTRACT_TOKEN (its test environment)."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from declarations.partner import PartnerRefused
from declarations.partner_http import HttpsPartner
from declarations.simulated_partner.settings import DEFAULT_TOKEN

from meshtools import free_port_base, wait_until

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "services/declarations/tests/data/sage_coala.ped"
SIREN = os.environ.get("PORTAL_EDI_PARTNER_CONTRACT_SIREN", "732829320")  # the simulator accepts it
REAL_URL, REAL_TOKEN = os.environ.get("PORTAL_EDI_PARTNER_CONTRACT_URL"), os.environ.get("PORTAL_EDI_PARTNER_CONTRACT_TOKEN")
# The administration's answer: at once from the simulator started here (delay 0); a real
# partner's test environment answers later, within this bound.
FINAL_WITHIN = float(os.environ.get("PORTAL_EDI_PARTNER_CONTRACT_FINAL_WITHIN", "30"))


def _interchange(siren: str = SIREN) -> bytes:
    """The issue's sample, repaired (services/declarations/README.md), declaring for ``siren``."""
    return SAMPLE.read_bytes().replace(b"999999999:", siren.encode() + b":").replace(b"UNT+542+", b"UNT+97+")


@pytest.fixture(scope="module")
def contract(tmp_path_factory):
    """``(base_url, token, simulated)``: the partner under test."""
    if REAL_URL:
        if not REAL_TOKEN:
            pytest.fail("PORTAL_EDI_PARTNER_CONTRACT_URL needs PORTAL_EDI_PARTNER_CONTRACT_TOKEN")
        yield REAL_URL.rstrip("/"), REAL_TOKEN, False
        return
    var_dir = tmp_path_factory.mktemp("edi-partner")
    port = free_port_base([0])
    env = {**os.environ, "PORTAL_VAR_DIR": str(var_dir), "PORTAL_EDI_SIMULATION_DELAY": "0",
           "PORTAL_EDI_SIMULATION_TOKEN": DEFAULT_TOKEN, "PORTAL_LOG_FORMAT": "json"}
    with open(var_dir / "edi-partner-simulation.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "declarations.simulated_partner", "--bind", f"127.0.0.1:{port}"],
                                   env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _health(url) or process.poll() is not None, timeout=30, message="the simulated partner")
        assert process.poll() is None, (var_dir / "edi-partner-simulation.log").read_text()
        yield url, DEFAULT_TOKEN, True
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=15)


def _health(url: str) -> bool:
    try:
        return requests.get(url + "/health", timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def partner(contract):
    client = HttpsPartner(contract[0], contract[1], timeout=10)
    yield client
    client.close()


def _final(partner, reference: str):
    """The reports once the administration's is there: asked for again while the API says pending."""
    return wait_until(lambda: (lambda reports: reports if any(r.source == "administration" for r in reports) else None)(
        partner.reports(reference)), timeout=FINAL_WITHIN, interval=0.5, message="the administration's report")


def test_the_repaired_sample_gets_a_reference_then_the_partners_and_the_administrations_reports(partner, contract):
    submission = partner.submit(f"contract-{uuid.uuid4()}", SIREN, _interchange())
    assert submission.reference
    reports = partner.reports(submission.reference)
    assert reports[0].source == "partner" and reports[0].outcome == "taken"
    final = _final(partner, submission.reference)
    assert [report.source for report in final][-1] == "administration"
    assert final[-1].outcome in ("accepted", "partly_rejected", "rejected")
    if contract[2]:
        assert final[-1].outcome == "accepted"


def test_the_same_idempotency_key_gets_the_same_reference_and_one_filing(partner):
    key = f"contract-{uuid.uuid4()}"
    first = partner.submit(key, SIREN, _interchange())
    again = partner.submit(key, SIREN, _interchange())
    assert again.reference == first.reference
    reports = partner.reports(first.reference)
    assert [report.outcome for report in reports].count("taken") == 1


def test_a_broken_interchange_is_a_syntax_reject(partner):
    broken = _interchange().replace(b"UNT+97+", b"UNT+98+")
    reports = partner.reports(partner.submit(f"contract-{uuid.uuid4()}", SIREN, broken).reference)
    assert reports[0].source == "partner" and reports[0].outcome == "syntax_reject" and reports[0].codes


def test_a_bad_token_is_refused(contract):
    with pytest.raises(PartnerRefused):
        HttpsPartner(contract[0], "not-the-token").submit(f"contract-{uuid.uuid4()}", SIREN, _interchange())


def test_an_unknown_reference_is_refused(partner):
    with pytest.raises(PartnerRefused):
        partner.reports(f"UNKNOWN-{uuid.uuid4().hex}")


def test_the_reports_ids_are_stable_across_polls(partner):
    reference = partner.submit(f"contract-{uuid.uuid4()}", SIREN, _interchange()).reference
    first = _final(partner, reference)
    assert [(report.id, report.outcome, report.at) for report in partner.reports(reference)] == \
        [(report.id, report.outcome, report.at) for report in first]
    assert len({report.id for report in first}) == len(first)


def test_a_simulated_report_never_looks_accepted_without_its_simulation_mark(partner, contract):
    """Every report of the simulator, read through the portal's client, is marked a simulation;
    a real partner's test environment may say so or not, but the simulator always does."""
    if not contract[2]:
        pytest.skip("a real partner: its reports are its own")
    references = [partner.submit(f"contract-{uuid.uuid4()}", siren, _interchange(siren)).reference
                  for siren in (SIREN, "400000014", "400000063")]
    references.append(partner.submit(f"contract-{uuid.uuid4()}", SIREN, b"UNB+broken").reference)
    reports = [report for reference in references for report in partner.reports(reference)]
    assert any(report.outcome == "accepted" for report in reports)
    assert all(report.simulation and report.detail.startswith("SIMULATION") for report in reports)
    # The raw answer too: the header on every answer, the field on every report.
    raw = requests.get(f"{contract[0]}/v1/interchanges/{references[0]}/reports",
                       headers={"Authorization": f"Bearer {contract[1]}"}, timeout=10)
    assert raw.headers["EDI-Simulation"] == "true"
    assert all(item["simulation"] is True for item in raw.json()["reports"])


def test_the_simulation_header_alone_marks_a_report_without_the_field():
    """What the client does with an answer marked only by its header (a partner whose reports lack
    the field): the report is still a simulation — the mark is never cleared."""
    import threading

    from flask import Flask, jsonify
    from werkzeug.serving import make_server

    app = Flask("header-only")

    @app.get("/v1/interchanges/<reference>/reports")
    def reports(reference):
        response = jsonify({"reports": [{"id": "1", "source": "administration", "outcome": "accepted",
                                         "at": "2026-05-02T10:00:00Z", "codes": [], "detail": ""}]})
        response.headers["EDI-Simulation"] = "true"
        return response

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        report, = HttpsPartner(f"http://127.0.0.1:{server.server_port}", "t").reports("r")
    finally:
        server.shutdown()
        thread.join()
    assert report.outcome == "accepted" and report.simulation is True
