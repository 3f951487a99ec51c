"""Permissions: ``n``/``r``/``w``/``b`` plus a domid; the first entry names the owner and the default.

A permission list is an immutable tuple of :class:`Perm` so nodes can share it. The owner always has full
rights; a later entry for a domain overrides the default for that domain. Privileged callers (dom0)
bypass all checks -- that decision is made by the engine, not here.
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import XsError

__all__ = ["Perm", "Perms", "format_perms", "parse_perm_strings", "parse_perms", "allows", "with_owner"]

_MODES = {"n": "", "r": "r", "w": "w", "b": "rw"}


class Perm(NamedTuple):
    """One ACL entry: ``mode`` is ``n``, ``r``, ``w`` or ``b``."""

    mode: str
    domid: int

    def __str__(self) -> str:
        return f"{self.mode}{self.domid}"


Perms = tuple[Perm, ...]

_interned: dict[Perms, Perms] = {}


def intern(perms: Perms) -> Perms:
    """Share identical permission lists between nodes: most of a tree carries a handful of lists."""
    got = _interned.get(perms)
    if got is None:
        if len(_interned) < 100_000:
            _interned[perms] = perms
        got = perms
    return got


def parse_perms(fields: list[bytes]) -> Perms:
    """Parse ``[b"n0", b"r5"]``; EINVAL for an empty list, a bad letter or a domid outside 0..65535."""
    if not fields:
        raise XsError("EINVAL", "no permissions")
    out = []
    for raw in fields:
        text = raw.decode("ascii", "replace")
        if len(text) < 2 or text[0] not in _MODES or not text[1:].isdigit():
            raise XsError("EINVAL", f"bad permission {text!r}")
        domid = int(text[1:])
        if domid > 65535:
            raise XsError("EINVAL", f"bad domid in {text!r}")
        out.append(Perm(text[0], domid))
    return intern(tuple(out))


def parse_perm_strings(items: list[str]) -> Perms:
    """Parse the text form ``["n0", "r5"]`` (snapshots and the journal)."""
    return parse_perms([t.encode() for t in items])


def format_perms(perms: Perms) -> bytes:
    """Wire form: each entry followed by NUL."""
    return b"".join(str(p).encode() + b"\0" for p in perms)


def allows(perms: Perms, domid: int, want: str) -> bool:
    """Does ``domid`` hold right ``want`` (``"r"`` or ``"w"``) under ``perms``? (Unprivileged rules.)"""
    owner = perms[0]
    if owner.domid == domid:
        return True
    for p in perms[1:]:
        if p.domid == domid:
            return want in _MODES[p.mode]
    return want in _MODES[owner.mode]


def with_owner(perms: Perms, domid: int) -> Perms:
    """The list with its owner replaced: a node created by a guest belongs to that guest."""
    if perms[0].domid == domid:
        return perms
    return intern((Perm(perms[0].mode, domid), *perms[1:]))


DEFAULT_PERMS: Perms = intern((Perm("n", 0),))
