"""The partner's HTTPS client against the simulated partner (a local server on a free port) and
against a stub answering what a real partner may: the error mapping and the simulation mark."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from flask import Flask, jsonify
from werkzeug.serving import make_server

from declarations.partner import PartnerRefused, PartnerUnavailable
from declarations.partner_http import HttpsPartner, make_partner
from declarations.settings import DeclarationsSettings
from declarations.simulated_partner.app import create_app as simulator
from declarations.simulated_partner.settings import DEFAULT_TOKEN, FIXTURE, SimulationSettings

SIREN, OTHER_SIREN = "732829320", "552100554"  # the sample's, repaired (conftest.py), and the other entity's


def repaired(content: bytes, siren: str) -> bytes:
    """The repaired sample declaring for ``siren`` instead (conftest.py's ``repaired``)."""
    return content.replace(SIREN.encode() + b":", siren.encode() + b":")


@contextmanager
def serving(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def simulated(tmp_path):
    settings = SimulationSettings(token=DEFAULT_TOKEN, delay=0, taxpayers=FIXTURE,
                                  database=tmp_path / "edi-partner-simulation.db")
    with serving(simulator(settings)) as url:
        yield url


@pytest.fixture
def partner(simulated):
    client = HttpsPartner(simulated, DEFAULT_TOKEN, timeout=5)
    yield client
    client.close()


def test_the_repaired_sample_is_taken_then_accepted_and_every_report_says_simulation(partner, good):
    submission = partner.submit("d-1", SIREN, good)
    assert submission.reference and submission.simulation
    reports = partner.reports(submission.reference)
    assert [(report.source, report.outcome) for report in reports] == [("partner", "taken"), ("administration", "accepted")]
    assert all(report.simulation and report.detail.startswith("SIMULATION") for report in reports)
    assert [report.id for report in partner.reports(submission.reference)] == [report.id for report in reports]


def test_a_replayed_deposit_gets_the_same_reference(partner, good):
    assert partner.submit("d-2", SIREN, good).reference == partner.submit("d-2", SIREN, good).reference
    assert partner.submit("d-3", SIREN, good).reference != partner.submit("d-2", SIREN, good).reference


def test_the_same_key_with_other_bytes_is_refused(partner, good):
    partner.submit("d-4", SIREN, good)
    with pytest.raises(PartnerRefused) as refused:
        partner.submit("d-4", OTHER_SIREN, repaired(good, OTHER_SIREN))
    assert refused.value.code == "idempotency_key_reused"


@pytest.mark.parametrize(("siren", "outcome", "codes"), [
    ("552100554", "accepted", ()), ("400000014", "rejected", ("009",)), ("400000022", "rejected", ("010",)),
    ("400000030", "rejected", ("13A",)), ("400000048", "rejected", ("13B",)),
    ("400000055", "rejected", ("13C",)), ("400000063", "partly_rejected", ("13A",))])
def test_the_administration_answers_from_the_fixture(partner, good, siren, outcome, codes):
    reference = partner.submit(f"d-{siren}", siren, repaired(good, siren)).reference
    final = partner.reports(reference)[-1]
    assert (final.source, final.outcome, final.codes, final.simulation) == ("administration", outcome, codes, True)


@pytest.mark.parametrize(("content", "code"), [
    (b"not an interchange", "P01"), ("cut", "P01"), ("count", "P02")])
def test_a_broken_interchange_is_a_syntax_reject_and_nothing_more(partner, good, content, code):
    content = {"cut": good[:700], "count": good.replace(b"UNT+97+", b"UNT+98+")}.get(content, content)
    reference = partner.submit("d-broken", SIREN, content).reference
    reports = partner.reports(reference)
    assert [(report.outcome, report.codes) for report in reports] == [("syntax_reject", (code,))]
    assert reports[0].detail.startswith("SIMULATION")


def test_a_siren_other_than_the_files_is_a_syntax_reject(partner, good):
    reports = partner.reports(partner.submit("d-other", OTHER_SIREN, good).reference)
    assert [(report.outcome, report.codes) for report in reports] == [("syntax_reject", ("P04",))]


def test_the_administration_waits_for_the_delay(tmp_path, good):
    settings = SimulationSettings(token="t", delay=3600, taxpayers=FIXTURE, database=tmp_path / "sim.db")
    with serving(simulator(settings)) as url:
        client = HttpsPartner(url, "t")
        reports = client.reports(client.submit("d-late", SIREN, good).reference)
    assert [report.outcome for report in reports] == ["taken"]


def test_a_bad_token_and_an_unknown_reference_are_refused(simulated, partner):
    with pytest.raises(PartnerRefused) as refused:
        HttpsPartner(simulated, "wrong").submit("d-5", SIREN, b"UNB")
    assert refused.value.code == "unauthorized"
    with pytest.raises(PartnerRefused) as refused:
        partner.reports("SIM-NONE")
    assert refused.value.code == "unknown_reference"


# -- a stub partner: what a real one may answer ----------------------------------------------
def stub(status: int, body=None, headers=None):
    app = Flask("stub")

    @app.route("/v1/interchanges", methods=["POST"])
    @app.route("/v1/interchanges/<reference>/reports")
    def answer(reference=None):
        response = jsonify(body) if body is not None else app.response_class("oops", mimetype="text/plain")
        response.status_code = status
        response.headers.update(headers or {})
        return response
    return app


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_5xx_and_429_are_unavailable(status):
    with serving(stub(status)) as url:
        with pytest.raises(PartnerUnavailable):
            HttpsPartner(url, "t").submit("d", SIREN, b"x")


def test_other_4xx_are_refused_with_the_partners_code():
    with serving(stub(400, {"error": {"code": "E42", "message": "bad"}})) as url:
        with pytest.raises(PartnerRefused) as refused:
            HttpsPartner(url, "t").submit("d", SIREN, b"x")
    assert (refused.value.code, refused.value.detail) == ("E42", "bad")
    with serving(stub(403)) as url:
        with pytest.raises(PartnerRefused) as refused:
            HttpsPartner(url, "t").reports("r")
    assert refused.value.code == "http_403"


def test_no_answer_is_unavailable():
    with serving(stub(200)) as url:
        pass  # the server is gone: nothing listens there any more
    with pytest.raises(PartnerUnavailable):
        HttpsPartner(url, "t", timeout=1).reports("r")


def test_a_report_without_the_field_is_simulated_when_the_header_says_so():
    report = {"id": "1", "source": "administration", "outcome": "accepted", "at": "2026-01-02T03:04:05Z",
              "codes": [], "detail": ""}
    with serving(stub(200, {"reports": [report]}, {"EDI-Simulation": "true"})) as url:
        assert HttpsPartner(url, "t").reports("r")[0].simulation is True
    with serving(stub(200, {"reports": [{**report, "simulation": False}]}, {"EDI-Simulation": "true"})) as url:
        assert HttpsPartner(url, "t").reports("r")[0].simulation is True  # never cleared
    with serving(stub(200, {"reports": [{**report, "simulation": True}]})) as url:
        assert HttpsPartner(url, "t").reports("r")[0].simulation is True
    with serving(stub(200, {"reports": [report]})) as url:
        assert HttpsPartner(url, "t").reports("r")[0].simulation is False


def test_a_malformed_answer_is_unavailable():
    with serving(stub(200, {"reports": [{"id": "1"}]})) as url:
        with pytest.raises(PartnerUnavailable):
            HttpsPartner(url, "t").reports("r")
    with serving(stub(201, {"no": "reference"})) as url:
        with pytest.raises(PartnerUnavailable):
            HttpsPartner(url, "t").submit("d", SIREN, b"x")


# -- the settings ----------------------------------------------------------------------------
def test_the_embedded_default_is_the_simulated_partner(monkeypatch):
    for name in ("PORTAL_ENV", "PORTAL_DECLARATIONS_PARTNER_URL", "PORTAL_DECLARATIONS_PARTNER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORT", "9000")
    settings = DeclarationsSettings.load()
    assert (settings.partner_url, settings.partner_token, settings.partner_timeout) == (
        "http://127.0.0.1:9108", DEFAULT_TOKEN, 10.0)
    assert make_partner(settings).base_url == "http://127.0.0.1:9108"


@pytest.mark.parametrize(("url", "token", "error"), [
    ("https://edi.example.com", None, "PORTAL_DECLARATIONS_PARTNER_TOKEN"),
    ("http://edi.example.com", "secret", "https"),
    ("ftp://edi.example.com", "secret", "http(s)")])
def test_production_needs_a_token_and_https(monkeypatch, url, token, error):
    from portalkit.settings import SettingsError
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_DECLARATIONS_PARTNER_URL", url)
    monkeypatch.delenv("PORTAL_DECLARATIONS_PARTNER_TOKEN", raising=False)
    if token:
        monkeypatch.setenv("PORTAL_DECLARATIONS_PARTNER_TOKEN", token)
    with pytest.raises(SettingsError, match=error.replace("(", r"\(").replace(")", r"\)")):
        DeclarationsSettings.load()


@pytest.mark.parametrize("url", ["https://edi.example.com/api", "http://127.0.0.1:8108", "http://edi-partner-simulation:8108"])
def test_production_takes_https_or_the_simulation(monkeypatch, url):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_DECLARATIONS_PARTNER_URL", url)
    monkeypatch.setenv("PORTAL_DECLARATIONS_PARTNER_TOKEN", "secret")
    assert DeclarationsSettings.load().partner_url == url
