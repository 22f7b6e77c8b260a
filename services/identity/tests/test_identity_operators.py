"""The command that creates more operators."""
import pytest

from identity.operators import create_operator, main


def test_creates_a_strong_operator_who_can_sign_in(client, as_caller, database):
    create_operator(database, "Second@Vendor.test", "Vendor-Operator-77!")
    response = client.post("/auth/login", json={"email": "second@vendor.test", "password": "Vendor-Operator-77!"},
                           headers=as_caller())
    assert response.status_code == 200 and response.json["user"]["operator"] is True


def test_refuses_weak_passwords_and_taken_addresses(database, monkeypatch, capsys):
    with pytest.raises(ValueError, match="min_length_10"):
        create_operator(database, "x@vendor.test", "Short-1!")
    monkeypatch.setenv("PORTAL_OPERATOR_PASSWORD", "Vendor-Operator-77!")
    assert main(["create", "op@vendor.test"]) == 1  # the bootstrapped operator's address
    assert "already has an account" in capsys.readouterr().err
    assert main(["nonsense"]) == 2
