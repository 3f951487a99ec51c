"""Debian's xenstore-utils (libxenstore, Xen 4.17) against the daemon through XENSTORED_PATH."""

from __future__ import annotations

import os
import subprocess

from .conftest import Daemon, run_tool


def test_write_read_ls(daemon: Daemon) -> None:
    run_tool(daemon, "xenstore-write", "/vm/1/name", "alpha", "/vm/1/uuid", "u-1")
    assert run_tool(daemon, "xenstore-read", "/vm/1/name").stdout == "alpha\n"
    assert run_tool(daemon, "xenstore-read", "-p", "/vm/1/uuid").stdout == "/vm/1/uuid: u-1\n"
    assert run_tool(daemon, "xenstore-list", "/vm/1").stdout.split() == ["name", "uuid"]
    out = run_tool(daemon, "xenstore-ls", "-f", "/vm").stdout
    assert '/vm/1/name = "alpha"' in out and '/vm/1/uuid = "u-1"' in out


def test_exists_and_missing(daemon: Daemon) -> None:
    run_tool(daemon, "xenstore-write", "/x", "1")
    assert run_tool(daemon, "xenstore-exists", "/x").returncode == 0
    assert run_tool(daemon, "xenstore-exists", "/nope", check=False).returncode == 1
    r = run_tool(daemon, "xenstore-read", "/nope", check=False)
    assert r.returncode == 1


def test_rm_and_tidy(daemon: Daemon) -> None:
    run_tool(daemon, "xenstore-write", "/a/b/c", "v", "/keep", "k")
    run_tool(daemon, "xenstore-rm", "-t", "/a/b/c")
    assert run_tool(daemon, "xenstore-exists", "/a", check=False).returncode == 1
    assert run_tool(daemon, "xenstore-rm", "/zz/yy", check=False).returncode == 1
    run_tool(daemon, "xenstore-rm", "/keep")
    assert run_tool(daemon, "xenstore-exists", "/keep", check=False).returncode == 1


def test_chmod_and_perms(daemon: Daemon) -> None:
    run_tool(daemon, "xenstore-write", "/p/q/r", "1")
    run_tool(daemon, "xenstore-chmod", "-r", "/p", "n0", "r5", "b7")
    out = run_tool(daemon, "xenstore-ls", "-p", "/p").stdout
    assert "(n0,r5,b7)" in out and out.count("(n0,r5,b7)") == 2
    run_tool(daemon, "xenstore-chmod", "-u", "/p/q/r", "w3")
    assert daemon.client().get_perms("/p") == ["w3"]


def test_relative_paths_resolve_to_dom0_home(daemon: Daemon) -> None:
    run_tool(daemon, "xenstore-write", "data/x", "42")
    assert run_tool(daemon, "xenstore-read", "/local/domain/0/data/x").stdout == "42\n"


def test_invalid_paths_rejected(daemon: Daemon) -> None:
    for bad in ("/a b", "/a/", "/a//b"):
        assert run_tool(daemon, "xenstore-write", bad, "x", check=False).returncode != 0


def test_watch_prints_events(daemon: Daemon) -> None:
    env = dict(os.environ, XENSTORED_PATH=str(daemon.socket))
    proc = subprocess.Popen(["xenstore-watch", "-n", "3", "/w"], env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "/w\n"  # the immediate event: the watch is now registered
    run_tool(daemon, "xenstore-write", "/w/a", "1")
    run_tool(daemon, "xenstore-rm", "/w")
    out, _ = proc.communicate(timeout=60)
    assert out.split() == ["/w/a", "/w"]


def test_big_directory_uses_directory_part(daemon: Daemon) -> None:
    c = daemon.client()
    names = [f"child-with-a-longish-name-{i:04d}" for i in range(400)]
    tx = c.start()
    for n in names:
        c.write(f"/big/{n}", "", tx)
    c.end(tx)
    out = run_tool(daemon, "xenstore-list", "/big").stdout.split()
    assert out == names


def test_binary_value_raw(daemon: Daemon) -> None:
    c = daemon.client()
    c.write("/bin", b"a\x01b")
    assert run_tool(daemon, "xenstore-read", "-R", "/bin").stdout == "a\x01b"  # raw: no newline either
