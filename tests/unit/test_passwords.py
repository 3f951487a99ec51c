"""Password hashing beyond tests/unit/test_auth.py: scrypt's parameters, what verification refuses, the
thread pool's size setting.

The parameters are RFC 7914's for interactive logins (N = 2^14, r = 8, p = 1: 128 * r * N = 16 MiB,
as the module promises), with a 16-byte salt and a 32-byte key.
"""

from __future__ import annotations

import asyncio
import base64

import pytest

from xenia.api import auth
from xenia.api.auth import (
    generate_password,
    hash_password,
    hash_password_async,
    refuse_empty,
    set_max_threads,
    unmatchable_hash,
    verify_password,
    verify_password_async,
)
from xenia.datamodel.errors import ApiError


def fields(stored: str) -> tuple[str, int, int, int, bytes, bytes]:
    scheme, n, r, p, salt, digest = stored.split("$")
    return scheme, int(n), int(r), int(p), base64.b64decode(salt), base64.b64decode(digest)


def test_hashes_use_rfc_7914s_interactive_parameters() -> None:
    for stored in (hash_password("secret"), unmatchable_hash()):
        scheme, n, r, p, salt, digest = fields(stored)
        assert (scheme, n, r, p) == ("scrypt", 2**14, 8, 1) and 128 * r * n == 16 * 1024 * 1024
        assert len(salt) == 16 and len(digest) == 32


def test_a_cheaper_cost_is_recorded_and_verified_with_it() -> None:
    stored = hash_password("pw", cost=4)
    assert fields(stored)[1] == 4 and verify_password("pw", stored) and not verify_password("pW", stored)


def test_verification_refuses_other_schemes_and_malformed_hashes() -> None:
    good = hash_password("pw", cost=4)
    assert verify_password("pw", good)
    for scheme in ("bcrypt", "argon2", "Scrypt", "scrypt2"):
        assert not verify_password("pw", scheme + good[len("scrypt"):])
    for bad in ("", "scrypt$4$8$1$salt", "scrypt$x$8$1$AAAA$AAAA", "scrypt$3$8$1$AAAA$AAAA", good + "$extra"):
        assert not verify_password("pw", bad)


def test_an_empty_password_is_never_set() -> None:
    with pytest.raises(ApiError) as e:
        refuse_empty("new_pwd", "")
    assert e.value.description == ["INVALID_VALUE", "new_pwd", ""]
    for fine in ("x", " ", "0"):
        refuse_empty("new_pwd", fine)


def test_the_number_of_password_checks_at_once_can_be_set_but_not_below_one() -> None:
    try:
        for bad in (0, -3):
            with pytest.raises(ApiError) as e:
                set_max_threads(bad)
            assert e.value.description == ["INVALID_VALUE", "value", str(bad)]
        set_max_threads(1)
        assert auth._POOL._max_workers == 1
        stored = hash_password("pw", cost=4)
        assert asyncio.run(verify_password_async("pw", stored))
        set_max_threads(3)
        assert auth._POOL._max_workers == 3
    finally:
        set_max_threads(2)


def test_the_async_forms_hash_and_verify() -> None:
    async def main() -> None:
        stored = await hash_password_async("pw")
        assert await verify_password_async("pw", stored) and not await verify_password_async("px", stored)

    asyncio.run(main())


def test_generated_passwords_are_long_and_different() -> None:
    a, b = generate_password(), generate_password()
    assert a != b and len(a) >= 16 and len(base64.urlsafe_b64decode(a + "=" * (-len(a) % 4))) == 12
