"""What ``make up`` prints to sign in with is what is in force: the operator of
PORTAL_BOOTSTRAP_OPERATOR_* when set (never echoing a password of the user's own), the demo one else."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mesh import DEMO, OWN_PASSWORD, Mesh, sign_in_lines  # noqa: E402

EMAIL, PASSWORD = "PORTAL_BOOTSTRAP_OPERATOR_EMAIL", "PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"


@pytest.fixture
def printed(monkeypatch, tmp_path):
    def run(**variables) -> tuple[str, dict]:
        for name in (EMAIL, PASSWORD):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        mesh = Mesh(var_dir=tmp_path)
        env = mesh.environment()  # what identity is started with
        return "\n".join(sign_in_lines(env, mesh.var_dir)), env
    return run


def _operator_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith("operator"))


def test_the_demo_operator_by_default(printed):
    text, env = printed()
    assert (env[EMAIL], env[PASSWORD]) == DEMO["operator"]
    assert _operator_line(text).split() == ["operator", *DEMO["operator"]]
    assert " ".join(DEMO["administrator"]) in " ".join(text.split())


def test_the_chosen_operator_and_never_its_password(printed):
    text, env = printed(**{EMAIL: "boss@vendor.example", PASSWORD: "My-Own-Secret-2031!"})
    assert env[EMAIL] == "boss@vendor.example"
    assert "boss@vendor.example" in _operator_line(text) and OWN_PASSWORD in _operator_line(text)
    assert DEMO["operator"][0] not in text
    assert "My-Own-Secret-2031!" not in text


def test_a_chosen_address_without_a_password_gets_the_demo_password(printed):
    text, env = printed(**{EMAIL: "boss@vendor.example"})
    assert env[PASSWORD] == DEMO["operator"][1]
    assert _operator_line(text).split() == ["operator", "boss@vendor.example", DEMO["operator"][1]]


def test_empty_values_count_as_unset(printed):
    text, env = printed(**{EMAIL: "", PASSWORD: ""})
    assert (env[EMAIL], env[PASSWORD]) == DEMO["operator"]
    assert _operator_line(text).split() == ["operator", *DEMO["operator"]]
