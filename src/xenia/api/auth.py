"""Password hashing for local users: scrypt from the standard library.

The hash string carries its parameters (``scrypt$n$r$p$salt$hash``), so they can
be raised later without invalidating stored passwords.  Hashing costs tens of
milliseconds and 16 MiB on purpose; callers in the event loop use the ``*_async``
forms, which run it on a pool of two threads of its own: the loop never waits
for it, and a burst of logins queues there instead of holding 16 MiB each.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from xenia.datamodel.errors import ApiError

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, cost: int = _N) -> str:
    """The stored form of a password; ``cost`` is scrypt's N (a power of two; test doubles lower it so
    each login costs microseconds: the verifier reads N back from the stored hash)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=cost, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${cost}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scrypt")


def set_max_threads(n: int) -> None:
    """``pool.set_local_auth_max_threads``: how many local password checks run at once (xapi's
    semaphore on local authentication; in memory only, as xapi's).  Checks already queued finish
    on the old pool; new ones go to the new."""
    global _POOL
    if n < 1:
        raise ApiError("INVALID_VALUE", "value", str(n))
    old, _POOL = _POOL, ThreadPoolExecutor(max_workers=n, thread_name_prefix="scrypt")
    old.shutdown(wait=False)


async def hash_password_async(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_POOL, hash_password, password)


async def verify_password_async(password: str, stored: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_POOL, verify_password, password, stored)


def unmatchable_hash() -> str:
    """A stored-hash string with this module's parameters that no password matches (random salt and digest).

    Checking a password against it costs exactly what checking a real one does, without the cost of
    hashing anything to make it: what a login for an unknown user name is checked against."""
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(os.urandom(16)).decode()}${b64(os.urandom(32)).decode()}"


def refuse_empty(param: str, password: str) -> None:
    """An empty password is never set: over TCP it would let anyone in (the local socket needs none)."""
    if password == "":
        raise ApiError("INVALID_VALUE", param, "")


def generate_password() -> str:
    return secrets.token_urlsafe(12)
