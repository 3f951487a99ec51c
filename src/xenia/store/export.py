"""Export the retained history as a real git repository (with dulwich), for ``git log/show/bisect``.

Layout of a commit's tree: every xenstore node is a directory holding ``.value`` (the raw value) and
``.perms`` (one permission per line), plus one sub-directory per child. Xenstore names cannot contain a
dot, so the two files never clash with a child. ``git bisect run test ! -e local/domain/5/name/.value``
finds the commit that created ``/local/domain/5/name``.

Persistent nodes are shared between commits, so git trees are cached by node identity: each node version
is hashed once, and the export costs the size of the changes, not commits x tree size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dulwich.index import build_index_from_tree
from dulwich.objects import Blob, Commit, ShaFile, Tree
from dulwich.repo import Repo

from .engine import Engine
from .history import History
from .tree import Node, iter_children

__all__ = ["export_git", "install"]

_FILE = 0o100644
_DIR = 0o040000


class _Builder:
    def __init__(self) -> None:
        self.objects: list[ShaFile] = []
        self._blobs: dict[bytes, Any] = {}  # dulwich ObjectIDs
        self._trees: dict[int, tuple[Node, Any]] = {}

    def blob(self, data: bytes) -> Any:
        sha = self._blobs.get(data)
        if sha is None:
            b = Blob.from_string(data)
            self.objects.append(b)
            sha = self._blobs[data] = b.id
        return sha

    def tree(self, node: Node) -> Any:
        hit = self._trees.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        t = Tree()
        t.add(b".value", _FILE, self.blob(node.value))
        t.add(b".perms", _FILE, self.blob("".join(f"{p}\n" for p in node.perms).encode()))
        for name, child in iter_children(node.children):
            t.add(name.encode(), _DIR, self.tree(child))
        self.objects.append(t)
        self._trees[id(node)] = (node, t.id)
        return t.id


def export_git(history: History, directory: Path) -> tuple[int, bytes]:
    """Write every retained commit, oldest first, as a linear branch ``master`` checked out in
    ``directory`` (created; must be empty). Returns (number of commits, head sha)."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    repo = Repo.init(str(directory), default_branch=b"master")
    b = _Builder()
    parent: Any = None
    prev_seq: int | None = None
    count = 0
    tree_id: Any = None
    for c in history.commits():
        tree_id = b.tree(c.root.tree)
        gc = Commit()
        gc.tree = tree_id
        gc.parents = [parent] if parent else []
        who = f"dom{c.domid} <dom{c.domid}@xenia.store>".encode()
        gc.author = gc.committer = who
        gc.author_time = gc.commit_time = int(c.time)
        gc.author_timezone = gc.commit_timezone = 0
        squashed = c.seq - prev_seq - 1 if prev_seq is not None else 0
        note = f"\nsquashed {squashed} earlier commits into this one\n" if squashed > 0 else ""
        gc.message = (
            f"{c.message}\n\nxenstore-commit: {c.seq}\nconnection: {c.conn}\ntime: {c.stamp()}\n{note}"
        ).encode()
        b.objects.append(gc)
        parent, prev_seq = gc.id, c.seq
        count += 1
    repo.object_store.add_objects([(o, None) for o in b.objects])
    assert parent is not None
    refs: Any = repo.refs
    refs[b"refs/heads/master"] = parent
    build_index_from_tree(repo.path, repo.index_path(), repo.object_store, tree_id)
    repo.close()
    return count, bytes(parent)


def install(engine: Engine) -> None:
    """Offer ``CONTROL export <dir>`` on this engine."""

    def run(args: list[str]) -> str:
        if len(args) != 1:
            return "usage: export <dir>"
        count, head = export_git(engine.history, Path(args[0]))
        return f"exported {count} commits to {args[0]}, head {head.decode()}"

    engine.control_hooks["export"] = run
