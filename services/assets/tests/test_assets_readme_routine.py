"""The README's ten-line verification routine, run as written against codes the service issued."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature

from serialization_fixtures import admin, seed

README = Path(__file__).resolve().parent.parent / "README.md"


def routine() -> dict:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- verification routine[^>]*-->\n```python\n(.*?)```", text, re.S).group(1)
    assert len([line for line in block.splitlines() if line.strip()]) <= 10  # the README says ten lines
    namespace: dict = {}
    exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README's code
    return namespace


def test_the_readme_routine_verifies_a_code_the_service_issued(client, database, handle, signed):
    ids = seed(database, handle)
    issued = client.post("/assets/serializations", json={"machine_id": "PC-7", "holding_ids": [ids["erp"]]},
                         headers=admin(signed)).get_json()["items"][0]
    keys = client.get("/assets/serialization/keys", headers=signed(None)).get_json()["items"]
    public_keys = {key["key_id"]: key["public_key"] for key in keys}
    verify_code = routine()["verify_code"]
    claims = verify_code(issued["code"], public_keys)
    assert (claims["machine_id"], claims["product"], claims["major_version"]) == ("PC-7", "ERP", 7)
    payload, signature = issued["code"].split(".")
    other = client.post("/assets/serializations", json={"machine_id": "PC-8", "holding_ids": [ids["pay"]]},
                        headers=admin(signed)).get_json()["items"][0]["code"]
    with pytest.raises(InvalidSignature):  # another code's payload under this signature
        verify_code(other.split(".")[0] + "." + signature, public_keys)
