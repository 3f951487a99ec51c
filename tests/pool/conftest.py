"""A real etcd (Debian's) for the pool tests: its data on tmpfs when there is one, as a disposable cluster."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from xenia.pool.localetcd import EtcdCluster


def etcd_root() -> Path:
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    return Path(tempfile.mkdtemp(prefix="xenia-etcd-", dir=base))


@pytest.fixture(scope="module")
def etcd_one() -> Iterator[EtcdCluster]:
    """A one-member cluster."""
    root = etcd_root()
    cluster = EtcdCluster(root, 1)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
