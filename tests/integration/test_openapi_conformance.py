"""Every service's OpenAPI document is true to its API: schemathesis, with all its checks, through the
gateway, as a fresh company's administrator (CONTRACT.md: each service documents its routes)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import subscribe  # noqa: E402


pytestmark = pytest.mark.mesh
SERVICES = ("identity", "catalog", "assets", "knowledge", "support", "notifications", "declarations")
ADMINISTRATOR_PASSWORD = "Conformance-Admin-93!"
# The services the run's administrator holds, so that the routes they open answer past their 403
# (search, downloads, support, documents): a document is only tested where it is reached.
HELD_SERVICES = ("View FAQs", "Download updates", "Request service", "Request service - Administration",
                 "Invoice viewing service", "Intervention reports and attendance sheet viewing service")
MAX_EXAMPLES = int(os.environ.get("PORTAL_SCHEMATHESIS_EXAMPLES", "25"))

# Operations left out of the run, each with its reason. Everything else a company administrator
# may call is tested. Regular expressions of whole operation names, "<METHOD> <path>", the paths
# being the document's own (served under /api).
EXCLUDED = {
    "operators' routes: a company administrator may not call them (403 whatever the input)":
        r"[A-Z]+ /operator/.*",
    "changing one's password ends one's other sessions and the run's token with them; a wrong "
    "current password counts as a failed sign-in and would lock the run's administrator":
        r"POST /identity/me/password",
    "changing one's address would mail a link that then makes the run's login wrong":
        r"POST /identity/me/email",
}
# Schema-valid requests a route refuses for a reason no JSON schema can state: schemathesis's
# positive_data_acceptance check takes these statuses too on these operations (and nowhere else).
# (reason, service, method or None for all, path regex, the statuses it adds)
STATE_REFUSALS = (
    ("a token the run cannot know answers 410, as a used or expired one does (CONTRACT.md)", "identity",
     None, r"^/auth/activation/|^/auth/password/reset|^/identity/email-change/|^/auth/declarative/password/",
     ("410",)),
    ("an expiry date must come after today", "catalog",
     "POST", r"^/catalog/subscriptions$|^/catalog/requests/[^/]+/accept$", ("400",)),
    ("the address of an active account is the user's own to change (400, fields.email)", "identity",
     "PATCH", r"^/identity/users/[^/]+$", ("400",)),
    ("the file must be CSV text (not_csv, csv_separator, empty_file; too_many_lines is 413)", "identity",
     "POST", r"^/identity/imports$", ("400", "413")),
    ("a deposit is checked as EDIFACT, which no schema states (the checks' codes); the run's declarant "
     "deposits for the demo company only", "declarations", "POST", r"^/declarations/deposits$", ("400", "409")),
    ("an attachment's type is read from its content, which no schema states (file_refused); followers "
     "must be colleagues of the request's company, and the run cannot know their ids", "support",
     "POST", r"^/support/requests(?:/[^/]+/(?:comments|followers))?$", ("400",)),
)
POSITIVE_STATUSES = ("2xx", "3xx", "401", "403", "404", "409", "429")
# Invalid input is refused with these: the schemathesis defaults, plus 413 (a body over the limit)
# and 414 (a request line over the gateway's limit, before any parameter is read).
# 410: a used or expired link answers 410 whatever the body holds (CONTRACT.md), before reading it.
NEGATIVE_STATUSES = ("400", "401", "403", "404", "405", "406", "409", "410", "413", "414", "415", "422", "428",
                     "429")


def schemathesis_config(service: str) -> str:
    """The run's schemathesis.toml: the statuses above, on the operations they are for."""
    def strings(values):
        return "[" + ", ".join(f'"{value}"' for value in values) + "]"
    lines = ["[checks.negative_data_rejection]", f"expected-statuses = {strings(NEGATIVE_STATUSES)}", ""]
    for _reason, owner, method, pattern, statuses in STATE_REFUSALS:
        if owner != service:
            continue
        lines += ["[[operations]]", f"include-path-regex = '{pattern}'"]
        lines += [f'include-method = "{method}"'] if method else []
        lines += [f"checks.positive_data_acceptance.expected-statuses = {strings(POSITIVE_STATUSES + statuses)}", ""]
    return "\n".join(lines)


def register_administrator(mesh) -> tuple[str, str]:
    """A new company with an active administrator; their e-mail address and password."""
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    tag = uuid.uuid4().hex[:8]
    email = f"conformance.{tag}@client.test"
    response = operator.post(mesh.url("/api/operator/companies"), json={
        "number": f"OA-{tag}", "name": f"Conformance {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": email, "title": "MME", "last_name": "Durand",
                          "first_name": "Claire", "language": "en"}}, timeout=10)
    assert response.status_code == 201, response.text
    token = re.search(r"/activate/([A-Za-z0-9_\-]+)", mesh.mailed_link(email, "activate")).group(1)
    done = requests.post(mesh.url(f"/api/auth/activation/{token}"), json={
        "title": "MME", "first_name": "Claire", "last_name": "Durand", "language": "en",
        "function": "IT manager", "office_phone": "", "mobile_phone": "",
        "password": ADMINISTRATOR_PASSWORD}, timeout=10)
    assert done.status_code == 200, done.text
    company_id = response.json()["company"]["id"]
    contract = operator.post(mesh.url("/api/operator/contracts"), timeout=10,
                             json={"company_id": company_id, "starts_on": "2024-01-01"})
    assert contract.status_code == 201, contract.text
    administrator = mesh.api_login(email, ADMINISTRATOR_PASSWORD)
    for title in HELD_SERVICES:
        subscribe(mesh, administrator, title)
    return email, ADMINISTRATOR_PASSWORD




def _any(patterns) -> str:
    """One regular expression of whole names (schemathesis ANDs filters of different kinds)."""
    return "^(?:" + "|".join(f"(?:{pattern})" for pattern in patterns) + ")$"


def schemathesis_runs(service: str) -> list[tuple[str, list[str]]]:
    """What to run for a service: every check on every operation but the excluded ones."""
    return [("every check", ["--exclude-name-regex", _any(EXCLUDED.values())])]


def schemathesis_command(base_url: str, service: str, token: str, folder: Path, selection: list[str]) -> list[str]:
    """The CLI run of one service's document, served by the gateway under /api (its ``servers``)."""
    config = folder / "schemathesis.toml"
    config.write_text(schemathesis_config(service))
    return [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run",
            f"{base_url}/api/{service}/openapi.json",
            "--checks", "all", "--header", f"Authorization: Bearer {token}",
            "--max-examples", str(MAX_EXAMPLES), "--seed", "8", "--workers", "1",
            "--request-timeout", "20", "--no-color", "--output-truncate", "false",
            "--generation-database", "none", "--suppress-health-check", "all", *selection]


def run_schemathesis(base_url: str, service: str, token: str, folder: Path) -> list[tuple[str, subprocess.CompletedProcess]]:
    # In the test's folder: schemathesis keeps its cache (.schemathesis/) where it runs.
    return [(label, subprocess.run(schemathesis_command(base_url, service, token, folder, selection),
                                   capture_output=True, text=True, timeout=900, cwd=folder))
            for label, selection in schemathesis_runs(service)]


def callable_operations(document: dict) -> list[str]:
    """The document's operations, by name, that the run does not leave out."""
    excluded = re.compile(_any(EXCLUDED.values()))
    return [f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
            if method != "parameters" and not excluded.match(f"{method.upper()} {path}")]


def declarative_token(mesh) -> str:
    from mesh import DECLARATIVE_DEMO
    answer = requests.post(mesh.url("/api/auth/declarative/login"), timeout=10,
                           json={"login": DECLARATIVE_DEMO[0], "password": DECLARATIVE_DEMO[1]})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


@pytest.fixture(scope="module")
def administrator_token(mesh):
    email, password = register_administrator(mesh)
    session = mesh.api_login(email, password)
    assert session.get(mesh.url("/api/identity/users"), timeout=10).status_code == 200  # right at once
    return session.headers["Authorization"].removeprefix("Bearer ")


# The documents and the routes are the same code on both backends: the embedded one runs them
# (about two minutes; PORTAL_SCHEMATHESIS_EXAMPLES sets the cases per operation, 25 by default).
@pytest.mark.parametrize("mesh", ["embedded"], indirect=True)
@pytest.mark.parametrize("service", SERVICES)
def test_the_document_holds_for_every_check(mesh, administrator_token, service, tmp_path):
    document = requests.get(mesh.url(f"/api/{service}/openapi.json"), timeout=10).json()
    # The declarations service answers declarative sessions only: the demo declarant's.
    token = declarative_token(mesh) if service == "declarations" else administrator_token
    for label, result in run_schemathesis(mesh.base_url, service, token, tmp_path):
        output = result.stdout + result.stderr
        print(f"--- {service}, {label}\n{output[-3000:]}")
        if result.returncode != 0 and ("No operations matched the filters" in output
                                       or "The schema defines no API operations" in output):
            # schemathesis loaded and checked the document; nothing in it is for a company administrator.
            assert callable_operations(document) == [], output[-4000:]
            continue
        assert result.returncode == 0, f"{label}\n{output[-20000:]}"
        assert re.search(r"Tested: [1-9]", output), output[-4000:]


def test_a_sign_in_answers_what_the_identity_document_says(mesh):
    """POST /api/auth/login is the gateway's answer after identity's check: the document says so."""
    import jsonschema_rs
    document = requests.get(mesh.url("/api/identity/openapi.json"), timeout=10).json()
    schema = document["paths"]["/auth/login"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    answer = requests.post(mesh.url("/api/auth/login"), json=dict(zip(("email", "password"), mesh.demo["user"])),
                           timeout=10)
    assert answer.status_code == 200, answer.text
    jsonschema_rs.validate(_json_schema({**schema, "components": document["components"]}), answer.json())


def _json_schema(node):
    """OpenAPI 3.0's schema dialect as JSON Schema: ``nullable`` is a type of its own there."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    return node
