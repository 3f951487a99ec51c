"""``vdi-export``/``vdi-import`` (a disk's raw contents) and ``vm-export``/``vm-import`` (a VM as an XVA
file) to and from a file, as xe's commands.

They use the daemon's HTTP routes (``/export_raw_vdi``, ``/import_raw_vdi``, ``/export``, ``/import``;
docs/export.md) over the
CLI's own connection settings (unix socket, TCP or TLS) with the CLI's session; the file is copied
in 1 MiB pieces, never read whole. The route's task (``task-id``) says how it ended.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
from urllib.parse import quote

from xenia.cli.framework import CliFailure, Context, UsageError, XeCommand, register
from xenia.cli.objects import by_uuid
from xenia.cli.vm import SELECTORS, select_vms

PIECE = 1024 * 1024


class _Connection(http.client.HTTPConnection):
    """http.client over a socket the CLI's session opened (it knows unix sockets and TLS)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__("localhost", blocksize=PIECE)
        self._ctx = ctx

    def connect(self) -> None:
        sock: socket.socket = self._ctx.session.open_socket()
        self.sock = sock


def _query(ctx: Context, vdi: str) -> str:
    fmt = ctx.kv.get("format", "raw")
    return f"vdi={quote(vdi)}&session_id={quote(ctx.session.handle or '')}&format={quote(fmt)}"


def _outcome(ctx: Context, resp: http.client.HTTPResponse, what: str) -> None:
    """Raise the task's error (or the HTTP status) unless the transfer succeeded."""
    task = resp.getheader("task-id")
    if task:
        record = ctx.call("task.get_record", task)
        if record["status"] != "success":
            info = record["error_info"] or [record["status"]]
            raise CliFailure(f"{what} failed: {' '.join(info)}", info[0])
    if resp.status != 200:
        raise CliFailure(f"{what} failed: HTTP {resp.status} {resp.reason}")


def _download(ctx: Context, target: str, what: str) -> http.client.HTTPResponse:
    conn = _Connection(ctx)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        if resp.status == 200:
            with open(ctx.kv["filename"], "wb") as f:
                while piece := resp.read(PIECE):
                    f.write(piece)
        else:
            resp.read()
    except http.client.IncompleteRead as e:
        raise CliFailure(f"{what}: the export was cut short after {len(e.partial)} bytes of the last piece") from e
    except OSError as e:
        raise CliFailure(f"{what}: the connection to the daemon broke during the download: {e}") from e
    finally:
        conn.close()
    _outcome(ctx, resp, what)
    return resp


def _upload(ctx: Context, target: str, what: str) -> http.client.HTTPResponse:
    path = ctx.kv["filename"]
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise CliFailure(f"{what}: cannot read {path}: {e.strerror}") from e
    conn = _Connection(ctx)
    try:
        with open(path, "rb") as f:
            conn.request("PUT", target, f, {"Content-Length": str(size)})
        resp = conn.getresponse()
        resp.read()
    except OSError as e:  # not BrokenPipeError's quiet exit of `xenia ... | head`: the daemon cut the upload
        raise CliFailure(f"{what}: the connection to the daemon broke during the upload: {e}") from e
    finally:
        conn.close()
    _outcome(ctx, resp, what)
    return resp


def vdi_export(ctx: Context) -> int:
    vdi, _ = by_uuid(ctx, "VDI", ctx.kv["uuid"])
    _download(ctx, "/export_raw_vdi?" + _query(ctx, vdi), "vdi-export")
    return 0


def vdi_import(ctx: Context) -> int:
    vdi, _ = by_uuid(ctx, "VDI", ctx.kv["uuid"])
    _upload(ctx, "/import_raw_vdi?" + _query(ctx, vdi), "vdi-import")
    return 0


def vm_export(ctx: Context) -> int:
    """xe's vm-export: the VM (vm=, uuid= or name-label=) as an XVA file."""
    vms = select_vms(ctx)
    if len(vms) != 1:
        raise UsageError("vm-export: one VM at a time (one file)")
    vm = vms[0][0]
    _download(ctx, f"/export?ref={quote(vm)}&session_id={quote(ctx.session.handle or '')}", "vm-export")
    return 0


def vm_import(ctx: Context) -> int:
    """xe's vm-import: a new VM from an XVA file (into sr-uuid=, else the default SR); prints its uuid."""
    target = f"/import?session_id={quote(ctx.session.handle or '')}"
    if "sr-uuid" in ctx.kv:
        target += f"&sr_id={quote(by_uuid(ctx, 'SR', ctx.kv['sr-uuid'])[0])}"
    task = _upload(ctx, target, "vm-import").getheader("task-id") or ""
    result = ctx.call("task.get_result", task)
    for ref in re.findall(r"OpaqueRef:[0-9a-fA-F-]+", result):
        ctx.out.write(ctx.call("VM.get_uuid", ref) + "\n")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    register(sub, XeCommand("vdi-export", "write a disk's contents to a file: uuid= filename= [format=raw|vhd|qcow2]",
                            vdi_export, params=("uuid", "filename", "format"), required=("uuid", "filename")))  # fmt: skip
    register(sub, XeCommand("vdi-import", "write a file (raw, or a vhd or qcow2 image) into a disk from its first byte: uuid= filename= [format=raw|vhd|qcow2]",
                            vdi_import, params=("uuid", "filename", "format"), required=("uuid", "filename")))  # fmt: skip
    register(sub, XeCommand("vm-export", "write a VM and its disks to an XVA file: vm= (or uuid=) filename=",
                            vm_export, params=(*SELECTORS, "filename"), required=("filename",)))  # fmt: skip
    register(sub, XeCommand("vm-import", "make a new VM from an XVA file: filename= [sr-uuid=]; prints its uuid",
                            vm_import, params=("filename", "sr-uuid"), required=("filename",)))  # fmt: skip
