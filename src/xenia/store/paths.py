"""Path rules of xenstore: the character set, length limits, and relative-path resolution.

Paths are kept as ``str`` everywhere inside the store (the allowed bytes are all ASCII). A relative path
is resolved under the caller's home ``/local/domain/<domid>``; the length limit applies to the part after
that home, as both reference daemons do, so a path does not become invalid when a domain's id changes.
"""

from __future__ import annotations

import re

from .errors import XsError

__all__ = [
    "ABS_PATH_MAX",
    "REL_PATH_MAX",
    "SPECIAL_PATHS",
    "home",
    "parent",
    "resolve",
    "split",
    "is_ancestor_or_self",
]

ABS_PATH_MAX = 3072
REL_PATH_MAX = 2048
#: Watch-only pseudo paths fired on domain introduction and release.
SPECIAL_PATHS = ("@introduceDomain", "@releaseDomain")

_VALID = re.compile(r"[A-Za-z0-9\-/_@]+")
_HOME_RE = re.compile(r"/local/domain/\d+(?=/|$)")


def home(domid: int) -> str:
    """The domain's home directory, where its relative paths point."""
    return f"/local/domain/{domid}"


def resolve(raw: bytes | str, domid: int, *, allow_special: bool = False) -> str:
    """Validate ``raw`` and return the absolute path (or a special ``@`` name when allowed).

    :raises XsError: EINVAL for an empty path, a bad character, ``//``, a trailing ``/`` or an overlong
        path.
    """
    if isinstance(raw, bytes):
        try:
            path = raw.decode("ascii")
        except UnicodeDecodeError:
            raise XsError("EINVAL", "path is not ASCII") from None
    else:
        path = raw
    if not path or not _VALID.fullmatch(path):
        raise XsError("EINVAL", f"bad path {path!r}")
    if path.startswith("@"):
        if allow_special and (path in SPECIAL_PATHS or path.startswith("@releaseDomain/")):
            return path
        raise XsError("EINVAL", f"bad special path {path!r}")
    if "@" in path:
        raise XsError("EINVAL", f"'@' inside path {path!r}")
    if not path.startswith("/"):
        path = f"{home(domid)}/{path}"
    if path != "/" and (path.endswith("/") or "//" in path):
        raise XsError("EINVAL", f"bad path {path!r}")
    if len(path) > ABS_PATH_MAX:
        raise XsError("EINVAL", "path too long")
    match = _HOME_RE.match(path)
    rel = path[match.end() + 1 :] if match else path
    if len(rel) > REL_PATH_MAX:
        raise XsError("EINVAL", "path too long")
    return path


def split(path: str) -> list[str]:
    """Components of an absolute path; the root has none."""
    return [] if path == "/" else path[1:].split("/")


def parent(path: str) -> str:
    """Parent of an absolute path other than the root."""
    idx = path.rfind("/")
    return "/" if idx == 0 else path[:idx]


def is_ancestor_or_self(anc: str, path: str) -> bool:
    """True when ``path`` is ``anc`` or below it (prefix at a ``/`` boundary)."""
    return anc == "/" or anc == path or path.startswith(anc + "/")
