"""Export the retained history as a real git repository (with dulwich), for ``git log/show/bisect``.

Layout of a commit's tree: every xenstore node is a directory holding ``.value`` (the raw value) and
``.perms`` (one permission per line), plus one sub-directory per child. Xenstore names cannot contain a
dot, so the two files never clash with a child. ``git bisect run test ! -e local/domain/5/name/.value``
finds the commit that created ``/local/domain/5/name``.

Persistent nodes are shared between commits, so git trees are cached by node identity: each node version
is hashed once, and the export costs the size of the changes, not commits x tree size. The export is
incremental: into a directory holding an earlier export, only the commits made since are written (the
head's ``xenstore-commit:`` line says where it stopped), and the cache of the last run means their
unchanged subtrees are not hashed again. Commit numbers continue across restarts (the journal keeps
them), so one repository can follow the store for its whole life.
"""

from __future__ import annotations

import shutil
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
    """Git objects for node versions, cached by node identity (a node version is immutable).

    The cache of the last run is kept (per engine) for the next, so an incremental export hashes only
    the node versions made since; it holds the nodes of one run at most, so it cannot keep thinned
    history alive for long.
    """

    def __init__(self, previous: _Builder | None = None) -> None:
        self.objects: list[ShaFile] = []
        self._blobs: dict[bytes, Any] = previous._blobs if previous is not None and len(previous._blobs) < 100_000 else {}
        self._old = previous._trees if previous is not None else {}
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
        hit = self._old.get(id(node))
        if hit is not None and hit[0] is node:
            self._trees[id(node)] = hit  # already in the repository from the last run
            return hit[1]
        t = Tree()
        t.add(b".value", _FILE, self.blob(node.value))
        t.add(b".perms", _FILE, self.blob("".join(f"{p}\n" for p in node.perms).encode()))
        for name, child in iter_children(node.children):
            t.add(name.encode(), _DIR, self.tree(child))
        self.objects.append(t)
        self._trees[id(node)] = (node, t.id)
        return t.id


def _last_exported(repo: Repo) -> tuple[Any, int] | None:
    """(head sha, xenstore commit number) of an earlier export in ``repo``, or None if it has none."""
    refs: Any = repo.refs
    try:
        head = refs[b"refs/heads/master"]
    except KeyError:
        return None
    message = repo[head].message.decode("utf-8", "replace")  # type: ignore[attr-defined]
    for line in message.splitlines():
        if line.startswith("xenstore-commit: "):
            return head, int(line.split(": ", 1)[1])
    raise FileExistsError("the repository's head is not a xenia store export")


def export_git(history: History, directory: Path, previous: _Builder | None = None) -> tuple[int, bytes, _Builder]:
    """Write the retained commits, oldest first, as a linear branch ``master`` checked out in
    ``directory``. A directory holding an earlier export gets only the commits made since (the export
    is incremental); otherwise it must be empty. Returns (commits written, head sha, cache for the next
    run)."""
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / ".git").exists():
        repo = Repo(str(directory))
        last = _last_exported(repo)
    elif any(directory.iterdir()):
        raise FileExistsError(f"{directory} is neither empty nor an earlier export")
    else:
        repo = Repo.init(str(directory), default_branch=b"master")
        last = None
    b = _Builder(previous)
    parent: Any = last[0] if last else None
    prev_seq: int | None = last[1] if last else None
    count = 0
    tree_id: Any = None
    for c in history.commits():
        if prev_seq is not None and c.seq <= prev_seq:
            continue
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
    if count:
        repo.object_store.add_objects([(o, None) for o in b.objects])
        refs: Any = repo.refs
        refs[b"refs/heads/master"] = parent
        for entry in directory.iterdir():  # check the new head out afresh
            if entry.is_dir() and entry.name != ".git":
                shutil.rmtree(entry)
            elif entry.name != ".git":
                entry.unlink()
        build_index_from_tree(repo.path, repo.index_path(), repo.object_store, tree_id)
    repo.close()
    assert parent is not None
    return count, bytes(parent), b


def install(engine: Engine) -> None:
    """Offer ``CONTROL export <dir>`` on this engine."""
    cache: list[_Builder] = []

    def run(args: list[str]) -> str:
        if len(args) != 1:
            return "usage: export <dir>"
        count, head, builder = export_git(engine.history, Path(args[0]), cache[0] if cache else None)
        cache[:] = [builder]
        return f"exported {count} commits to {args[0]}, head {head.decode()}"

    engine.control_hooks["export"] = run
