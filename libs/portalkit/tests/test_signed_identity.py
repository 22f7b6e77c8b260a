import time

import jwt
import pytest

from portalkit import signed_identity as si


def test_round_trip_keeps_everything():
    identity = si.Identity(user_id="u1", company_id="c1", operator=False, language="fr", session_id="s1",
                           client_ip="10.0.0.1", entitlements=frozenset({"user-management-administration@c1"}))
    assert si.verify(si.sign(identity, "a-test-signing-key-of-32-bytes-at-least"), "a-test-signing-key-of-32-bytes-at-least") == identity
    assert identity.holds("user-management-administration")
    assert not identity.holds("user-management-administration", "c2")


def test_anonymous_identity_signs_without_subject():
    assert si.verify(si.sign(si.ANONYMOUS, "a-test-signing-key-of-32-bytes-at-least"), "a-test-signing-key-of-32-bytes-at-least").signed_in is False


@pytest.mark.parametrize("token", [None, "", "garbage", jwt.encode({"sub": "x"}, "a-test-signing-key-of-32-bytes-at-least")])
def test_missing_or_malformed_is_refused(token):
    with pytest.raises(si.InvalidIdentity):
        si.verify(token, "a-test-signing-key-of-32-bytes-at-least")


def test_forged_and_expired_are_refused():
    with pytest.raises(si.InvalidIdentity):
        si.verify(si.sign(si.Identity(user_id="u"), "an-attacker-guess-of-32-bytes-or-more"), "a-test-signing-key-of-32-bytes-at-least")
    claims = {"sub": "u", "aud": si.AUDIENCE, "iss": si.ISSUER, "iat": int(time.time()) - 100,
              "exp": int(time.time()) - 10}
    with pytest.raises(si.InvalidIdentity):
        si.verify(jwt.encode(claims, "a-test-signing-key-of-32-bytes-at-least", algorithm="HS256"), "a-test-signing-key-of-32-bytes-at-least")
