"""Password hashes: what an unknown user name is checked against costs what a real check costs, and matches nothing."""

from __future__ import annotations

from xenia.api.auth import hash_password, unmatchable_hash, verify_password


def test_unmatchable_hash_has_the_real_parameters_and_matches_nothing() -> None:
    real, dummy = hash_password("secret"), unmatchable_hash()
    # same scheme and scrypt parameters (n, r, p), so verifying against it does the same work
    assert real.split("$")[:4] == dummy.split("$")[:4]
    assert len(real.split("$")[5]) == len(dummy.split("$")[5])
    assert verify_password("secret", real)
    for guess in ("", "secret", "password", "root"):
        assert not verify_password(guess, dummy)
    assert unmatchable_hash() != dummy
