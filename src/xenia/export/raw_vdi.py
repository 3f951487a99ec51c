"""``GET /export_raw_vdi`` and ``PUT /import_raw_vdi``: a VDI's contents over HTTP, as xapi serves them.

xapi's ``export_raw_vdi.ml`` and ``import_raw_vdi.ml``: the VDI is named by ``vdi=<ref or uuid>``
(query or cookie); the work runs under a task, the one the client made and passed as ``task_id``
or a new one; the answer carries ``task-id``; success leaves the task ``success`` (import: its result
the VDI), an error leaves it ``failure`` with the error, a ``task.cancel`` while bytes flow stops the
transfer and leaves it ``cancelled``.  An unknown ``format`` is 404 (``INTERNAL_ERROR`` "Unknown
format"), a chunked import is 404 ("Cannot handle encoding"), as xapi.  Exports and imports are
raw, vhd or qcow2 (the last two converted by qemu-img); ``tar`` is not served (the same 404).  An
import with ``sr=`` and no ``vdi=`` makes an "Imported VDI" of the raw body's length in that SR, as
xapi (a vhd or qcow2 body there is refused with 400, as xapi).
The bodies stream (:class:`xenia.api.http.BodyStream`, ``Response.stream``): a disk is never in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable
from urllib.parse import parse_qs

from xenia.api.blobs import http_role, session_of
from xenia.api.context import App
from xenia.api.http import Request, Response, error_page
from xenia.api.tasks import TaskManager
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Role
from xenia.export.images import (
    ENCODED,
    ImageError,
    convert_to_raw,
    encoded_image,
    file_reader,
    image_size,
    raw_reader,
    raw_writer,
)
from xenia.ops.spec import vdi_path
from xenia.ops.storage import Storage

__all__ = ["RawVdiHttp"]

_FORMATS = ("raw", "vhd", "tar", "qcow2")
#: xapi's Importexport.Format.content_type
_CONTENT_TYPES = {"raw": "application/octet-stream", "vhd": "application/vhd", "qcow2": "application/x-qemu-disk"}


class RawVdiHttp:
    """The two routes; register ``handle`` for ``GET /export_raw_vdi`` and ``PUT /import_raw_vdi``, streaming."""

    def __init__(self, app: App) -> None:
        self.app = app

    def handle(self, req: Request, local: bool) -> Awaitable[Response]:
        return self._answer(req, local)

    async def _answer(self, req: Request, local: bool) -> Response:
        resp = await self._handle(req, local)
        stream = req.stream
        if stream is not None and not stream.complete and not stream.lost:
            # refused before its body was read: read it to the end (discarding it) so that the client,
            # still sending, gets the answer instead of a connection reset
            try:
                while await stream.read():
                    pass
            except ConnectionError:
                pass
        return resp

    @property
    def tasks(self) -> TaskManager:
        tasks: TaskManager = self.app.services["tasks"]
        return tasks

    async def _handle(self, req: Request, local: bool) -> Response:
        query = parse_qs(req.query, keep_blank_values=True)
        exporting = req.method == "GET"
        role = await http_role(self.app, req, query, local)
        if role is None:
            return Response(401, b"Unauthorised\n", "text/plain", [("WWW-Authenticate", 'Basic realm="xapi"')],
                            close=True)  # fmt: skip
        if role < Role.VM_ADMIN:  # xapi: VDI.export_raw / VDI.import_raw are vm-admin actions
            return error_page(
                403, "RBAC permission denied: http/" + ("get_export_raw_vdi" if exporting else "put_import_raw_vdi")
            )
        db = self.app.db
        vdi_arg = query.get("vdi", [None])[0]
        if vdi_arg is None and not exporting and "sr" in query:
            made = await self._new_vdi(query, req)
            if isinstance(made, Response):
                return made
            vdi_arg = made
        if vdi_arg is None:
            return error_page(400, "Missing vdi query parameter")
        try:
            vdi = (
                vdi_arg
                if vdi_arg.startswith("OpaqueRef:") and db.exists("VDI", vdi_arg)
                else db.by_uuid("VDI", vdi_arg)
            )
        except ApiError:
            return error_page(404, f"no such VDI: {vdi_arg}")
        task = self._task(query, session_of(req, query), "VDI.export_raw_vdi" if exporting else "VDI.import_raw_vdi")
        headers = [("task-id", task)]
        fmt = query.get("format", ["raw"])[0]
        if fmt not in _FORMATS:
            self.tasks.finish(task, error=["INTERNAL_ERROR", f"Unknown format {fmt}"])
            return Response(404, b"", "text/plain", headers, close=True)
        if fmt == "tar":
            self.tasks.finish(task, error=["INTERNAL_ERROR", f"format {fmt} is not served by xenia"])
            return Response(404, b"", "text/plain", headers, close=True)
        rec = db.get("VDI", vdi)
        try:
            path = vdi_path(db, vdi)
        except ApiError as e:
            self.tasks.finish(task, error=e.description)
            return Response(500, b"", "text/plain", headers, close=True)
        size = int(rec["virtual_size"])
        if exporting and fmt in ENCODED:
            try:
                encoded = await encoded_image(path, size, fmt)
            except (ImageError, OSError) as e:
                self.tasks.finish(task, error=["VDI_IO_ERROR", str(e)])
                return Response(500, b"", "text/plain", headers, close=True)
            headers += [("content-disposition", f'attachment; filename="{rec["uuid"]}.{fmt}"')]
            length = os.path.getsize(encoded)
            return Response(200, b"", _CONTENT_TYPES[fmt], headers, close=True,
                            stream=self._send(task, file_reader(encoded), length), stream_length=length)  # fmt: skip
        if exporting:
            headers += [("content-disposition", f'attachment; filename="{rec["uuid"]}.raw"')]
            return Response(200, b"", "application/octet-stream", headers, close=True,
                            stream=self._send(task, raw_reader(path, size), size), stream_length=size)  # fmt: skip
        if "transfer-encoding" in req.headers:
            self.tasks.finish(
                task, error=["INTERNAL_ERROR", f"Cannot handle encoding: {req.headers['transfer-encoding']}"]
            )
            return Response(404, b"", "text/plain", headers, close=True)
        body_length = req.stream.length if req.stream is not None else None
        if fmt == "raw" and body_length is not None and body_length > size:
            # xapi fails on some write past the end (its FIXME); xenia refuses before writing anything
            self.tasks.finish(task, error=["VDI_TOO_SMALL", vdi, str(body_length)])
            return Response(500, b"", "text/plain", headers, close=True)
        if fmt in ENCODED:
            error = await self._import_encoded(task, vdi, path, size, fmt, req)
        else:
            error = await self._import(task, vdi, path, size, req)
        if error is not None:
            self.tasks.finish(task, error=error)
            return Response(500, b"", "text/plain", headers, close=True)
        self.tasks.finish(task, result=f"<value>{vdi}</value>")
        return Response(200, b"", "text/plain", headers, close=True)

    async def _new_vdi(self, query: dict[str, list[str]], req: Request) -> str | Response:
        """``sr=`` without ``vdi=``: xapi makes an "Imported VDI" of the raw body's length there;
        a vhd or qcow2 body (whose disk size is inside it) it refuses, and so does xenia."""
        db = self.app.db
        fmt = query.get("format", ["raw"])[0]
        sr_arg = query["sr"][0]
        try:
            sr = sr_arg if sr_arg.startswith("OpaqueRef:") and db.exists("SR", sr_arg) else db.by_uuid("SR", sr_arg)
        except ApiError:
            return error_page(404, f"no such SR: {sr_arg}")
        if fmt in ENCODED:
            kind = "QCOW2" if fmt == "qcow2" else "VHD"
            return error_page(400, f"Importing a {kind} directly into an SR not yet supported")
        length = req.stream.length if req.stream is not None else None
        if fmt != "raw" or not length:
            return error_page(400, "Not enough info supplied to import")
        storage: Storage = self.app.services["storage"]
        try:
            return await storage.create_vdi({"name_label": "Imported VDI", "name_description": "", "SR": sr,
                                             "virtual_size": length, "type": "user", "sharable": False,
                                             "read_only": False})  # fmt: skip
        except ApiError as e:
            return error_page(500, " ".join(e.description))

    async def _import_encoded(self, task: str, vdi: str, path: str, size: int, fmt: str,
                              req: Request) -> list[str] | None:  # fmt: skip
        """A vhd or qcow2 body: received into a file beside the disk, checked and converted by
        qemu-img to raw, then written as a raw import is (so every kind of image takes it)."""
        assert req.stream is not None
        ctx = self.tasks.context(task)
        received, raw = f"{path}.{fmt}-import{os.getpid()}", f"{path}.raw-import{os.getpid()}"
        length = req.stream.length or 0
        try:
            with open(received, "wb") as f:
                got = 0
                while piece := await req.stream.read():
                    ctx.check_cancelled()
                    await asyncio.to_thread(f.write, piece)
                    got += len(piece)
                    ctx.progress(0.5 * got / length if length else 0.0)
            virtual = await image_size(received, ENCODED[fmt][0])
            if virtual > size:
                return ["VDI_TOO_SMALL", vdi, str(virtual)]
            await convert_to_raw(received, ENCODED[fmt][0], raw)
            writer = await raw_writer(path, size)
            done = False
            try:
                async for piece in file_reader(raw, remove=False):
                    ctx.check_cancelled()
                    await writer.write(piece)
                    ctx.progress(0.5 + 0.5 * writer.written / size)
                await writer.finish()
                done = True
            finally:
                if not done:
                    writer.abort()
        except ApiError as e:
            return list(e.description)
        except (ImageError, OSError) as e:
            return ["VDI_IO_ERROR", str(e)]
        finally:
            for leftover in (received, raw):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
        return None

    def _task(self, query: dict[str, list[str]], session: str | None, label: str) -> str:
        """The client's task (``task_id=``, made with ``task.create``) or a new one, as xapi's ``with_context``."""
        given = query.get("task_id", [None])[0]
        if given is not None and self.app.db.exists("task", given) and given in self.tasks.live:
            return given
        return self.tasks.create(session or NULL_REF, label, "")

    async def _send(self, task: str, pieces: AsyncGenerator[bytes, None], size: int) -> AsyncIterator[bytes]:
        """The pieces, moving the task.  The task ends before the last piece goes out, so that a client
        holding every byte finds it finished; it fails when the client stops reading (the HTTP layer
        then closes this generator) or cancels."""
        ctx = self.tasks.context(task)
        sent = 0
        held: bytes | None = None  # one piece behind: the last one is sent after the task's end
        error: list[str] | None = ["VDI_IO_ERROR", "the client stopped reading"]
        try:
            async for piece in pieces:
                ctx.check_cancelled()
                if held is not None:
                    yield held
                    sent += len(held)
                    ctx.progress(sent / size if size else 1.0)
                held = piece
            total = sent + (len(held) if held is not None else 0)
            error = None if total == size else ["VDI_IO_ERROR", f"{total} bytes of {size} could be read"]
        except ApiError as e:
            error = list(e.description)
        except (ImageError, OSError) as e:
            error = ["VDI_IO_ERROR", str(e)]
        finally:
            await pieces.aclose()  # removes a converted file now, not when the generator is collected
            if error is None:
                self.tasks.finish(task, result="")
            else:
                self.tasks.finish(task, error=error)
        if error is None and held is not None:
            yield held

    async def _import(self, task: str, vdi: str, path: str, size: int, req: Request) -> list[str] | None:
        assert req.stream is not None
        ctx = self.tasks.context(task)
        try:
            writer = await raw_writer(path, size)
        except (ImageError, OSError) as e:
            return ["VDI_IO_ERROR", str(e)]
        done = False
        try:
            while piece := await req.stream.read():
                ctx.check_cancelled()
                await writer.write(piece)
                ctx.progress(writer.written / size)
            await writer.finish()
            done = True
        except ApiError as e:
            return list(e.description)
        except (ImageError, OSError) as e:  # ConnectionError too: the client went away
            return ["VDI_IO_ERROR", str(e)]
        finally:
            if not done:
                writer.abort()
        return None
