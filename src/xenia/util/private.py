"""Keep the daemon's state private: the state directory 0700, the files in it 0600, the sockets 0600.

The db holds password hashes and the store holds every guest's keys, so nothing
the daemon writes may be readable by other local users.  xapi keeps its state
and its unix socket in directories it creates 0700 (``/var/lib/xcp``); xenia
does the same for its state directory, runs with umask 077 so that every file
it creates later (SQLite's WAL and shared-memory files, the store's journal and
snapshots, suspend images) is born private, and tightens what an earlier
version or an administrator left laxer.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: files xenia keeps directly in the state directory that hold secrets
PRIVATE_FILES = ("xenia.db", "xenia.db-wal", "xenia.db-shm", "xenia.db-journal", "root-password")
#: directories whose whole content is private (the store's journal and snapshots)
PRIVATE_TREES = ("store",)
UMASK = 0o077


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions away from ``path`` (never follows a symlink)."""
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return
    if stat.S_IMODE(st.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(st.st_mode) & mode)


def private_umask() -> None:
    """Every file the process creates from now on is its owner's only (``xenia serve``'s process only:
    the in-process simulator must not change the umask of the test process it runs in)."""
    os.umask(UMASK)


def secure_state_dir(state_dir: Path) -> None:
    """Create the state directory 0700 (or tighten it) and tighten the private files already in it."""
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(state_dir, 0o700)
    for name in PRIVATE_FILES:
        path = state_dir / name
        if path.exists():
            _tighten(path, 0o600)
    for tree in PRIVATE_TREES:
        root = state_dir / tree
        if not root.is_dir():
            continue
        _tighten(root, 0o700)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames:
                _tighten(Path(dirpath) / name, 0o700)
            for name in filenames:
                _tighten(Path(dirpath) / name, 0o600)


def private_socket(path: Path) -> None:
    """A listening unix socket only its owner may connect to (xapi's sockets sit in 0700 directories)."""
    path.chmod(0o600)
