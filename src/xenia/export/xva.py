"""``GET /export`` and ``PUT /import``: a VM as an XVA file, the tar xapi writes (``export.ml``, ``stream_vdi.ml``).

The tar holds ``ova.xml`` first: an XML-RPC struct ``{version, objects}`` where each object is
``{class, id, snapshot}``, ``snapshot`` the object's record with every reference replaced by the
``id`` (``Ref:N``) of the exported object it names, or ``OpaqueRef:NULL``.  Then each disk in 1 MiB
chunks ``Ref:N/00000000`` (zero-padded chunk number), each followed by ``Ref:N/00000000.checksum``
(its SHA-1 in hex); chunks all zeros are left out, except the first and the last, as xapi does.

Exported: the VM, its VBDs, the VDIs of its disk VBDs (CDs keep their VBD, empty), their SRs, its
VIFs and their networks.  Imported: a new VM with the record's configuration, new VDIs in the SR
named by ``sr_id=`` or ``sr_uuid=`` (else the pool's default SR), the VBDs, and VIFs on networks that exist here (by
uuid, then by name).  A failed import destroys what it created.  ``use_compression=zstd`` (or
``true``/``gzip``) compresses the export as xapi does; an import starting with zstd's or gzip's magic
is decompressed as it arrives.  The tar is written and read as it
streams (the HTTP layer's streaming routes): no disk is ever in memory.
"""

from __future__ import annotations

import hashlib
import tarfile
import time
import xmlrpc.client
import zlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any, Protocol
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import zstandard

from xenia.api.blobs import http_role, session_of
from xenia.api.context import App
from xenia.api.dispatch import Dispatcher
from xenia.api.http import BodyStream, Request, Response, error_page
from xenia.api.tasks import TaskManager
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import NULL_REF, Kind, Role, Type
from xenia.export.images import CHUNK, ImageError, RawWriter, raw_reader, raw_writer
from xenia.ops.spec import vdi_path

__all__ = ["XvaHttp"]

BLOCK = 512
_ZERO_CHUNK = bytes(CHUNK)
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_GZIP_MAGIC = b"\x1f\x8b"


class _Compressor(Protocol):
    def compress(self, data: bytes) -> bytes: ...
    def flush(self) -> bytes: ...


class _Decompressor(Protocol):
    def decompress(self, data: bytes) -> bytes: ...


def compressor(use_compression: str | None) -> _Compressor | None:
    """xapi's ``use_compression``: ``true``/``gzip`` gzip, ``zstd`` zstd, anything else none."""
    if use_compression in ("true", "gzip"):
        return zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: the gzip format
    if use_compression == "zstd":
        return zstandard.ZstdCompressor().compressobj()
    return None


async def _compressed(pieces: AsyncIterator[bytes], engine: _Compressor) -> AsyncIterator[bytes]:
    try:
        async for piece in pieces:
            out = engine.compress(piece)
            if out:
                yield out
        yield engine.flush()
    finally:
        aclose = getattr(pieces, "aclose", None)
        if aclose is not None:
            await aclose()


class _Body:
    """The request body, decompressed if it starts with zstd's or gzip's magic (xapi's import sniffs too)."""

    def __init__(self, stream: BodyStream) -> None:
        self.stream = stream
        self.engine: _Decompressor | None = None
        self.started = False

    async def read(self) -> bytes:
        while True:
            piece = await self.stream.read()
            if not self.started and piece:
                self.started = True
                if piece.startswith(_ZSTD_MAGIC):
                    self.engine = zstandard.ZstdDecompressor().decompressobj()
                elif piece.startswith(_GZIP_MAGIC):
                    self.engine = zlib.decompressobj(31)
            if self.engine is None or not piece:
                return piece
            try:
                out = self.engine.decompress(piece)
            except (zlib.error, zstandard.ZstdError) as e:
                raise ApiError("IMPORT_ERROR", f"the compressed XVA is corrupt: {e}") from e
            if out:
                return out


def _tar_member(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o644
    return info.tobuf(tarfile.GNU_FORMAT)


def _pad(size: int) -> bytes:
    return bytes(-size % BLOCK)


def _map_refs(record: dict[str, Any], fields: dict[str, Type], table: dict[str, str]) -> dict[str, Any]:
    """The record with every reference (by the class's field types) looked up in ``table``: found, its
    new name; not found, NULL (and gone from sets and maps).  Other values, strings included, stay."""

    def convert(value: Any, t: Type) -> Any:
        if t.kind is Kind.REF:
            return table.get(value, NULL_REF)
        if t.kind is Kind.SET and t.elem is not None and t.elem.kind is Kind.REF:
            return [x for x in (table.get(v, NULL_REF) for v in value) if x != NULL_REF]
        if t.kind is Kind.MAP and t.elem is not None and t.elem.kind is Kind.REF:
            return {k: x for k, x in ((k, table.get(v, NULL_REF)) for k, v in value.items()) if x != NULL_REF}
        return value

    return {k: convert(v, fields[k]) if k in fields else v for k, v in record.items()}


class _Api:
    """API calls on the caller's session, through the dispatcher (the same checks as a client's calls)."""

    def __init__(self, dispatcher: Dispatcher, session: str) -> None:
        self.dispatcher = dispatcher
        self.session = session

    async def __call__(self, method: str, *args: Any) -> Any:
        reply = await self.dispatcher.call(method, [self.session, *args])
        if not reply.ok:
            raise ApiError(*(reply.error or ["INTERNAL_ERROR", method]))
        return reply.value


class _TarReader:
    """Tar members off a streamed request body, read exactly as needed."""

    def __init__(self, stream: BodyStream) -> None:
        self.stream = _Body(stream)
        self.buf = bytearray()

    async def exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            piece = await self.stream.read()
            if not piece:
                raise ApiError("IMPORT_ERROR", "the XVA ended in the middle of a member")
            self.buf += piece
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    async def next(self) -> tuple[str, int] | None:
        """The next member's name and size, or None at the end."""
        head = await self.exactly(BLOCK)
        if head == bytes(BLOCK):
            return None
        try:
            info = tarfile.TarInfo.frombuf(head, "utf-8", "surrogateescape")
        except tarfile.TarError as e:
            raise ApiError("IMPORT_ERROR", f"not a tar: {e}") from e
        return info.name, info.size

    async def body(self, size: int) -> bytes:
        data = await self.exactly(size)
        await self.exactly(-size % BLOCK)
        return data


class XvaHttp:
    """``GET /export`` and ``PUT /import`` (register ``handle`` for both, streaming)."""

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def tasks(self) -> TaskManager:
        tasks: TaskManager = self.app.services["tasks"]
        return tasks

    def handle(self, req: Request, local: bool) -> Awaitable[Response]:
        return self._answer(req, local)

    def _fields(self, cls: str) -> dict[str, Type]:
        return {f.name: f.type for f in self.app.model.wire_fields(cls)}

    async def _answer(self, req: Request, local: bool) -> Response:
        resp = await self._handle(req, local)
        stream = req.stream
        if stream is not None and not stream.complete and not stream.lost:  # refused: read the rest, no reset
            try:
                while await stream.read():
                    pass
            except ConnectionError:
                pass
        return resp

    async def _handle(self, req: Request, local: bool) -> Response:
        query = parse_qs(req.query, keep_blank_values=True)
        exporting = req.method == "GET"
        role = await http_role(self.app, req, query, local)
        session = session_of(req, query)
        if role is None or session is None:
            return Response(401, b"Unauthorised\n", "text/plain", [("WWW-Authenticate", 'Basic realm="xapi"')],
                            close=True)  # fmt: skip
        if role < Role.VM_ADMIN:
            return error_page(403, "RBAC permission denied: http/" + ("get_export" if exporting else "put_import"))
        api = _Api(self.app.services["dispatcher"], session)
        given = query.get("task_id", [None])[0]
        if given is not None and given in self.tasks.live:
            task = given
        else:
            task = self.tasks.create(session, "VM.export" if exporting else "VM.import", "")
        headers = [("task-id", task)]
        if exporting:
            try:
                vm = self._vm(query)
                objects, disks = await self._collect(api, vm)
            except ApiError as e:
                self.tasks.finish(task, error=e.description)
                return Response(404 if e.code == "HANDLE_INVALID" else 500, b"", "text/plain", headers, close=True)
            headers.append(("content-disposition", 'attachment; filename="export.xva"'))  # as xapi, whatever the VM
            pieces = self._export(task, objects, disks)
            engine = compressor(query.get("use_compression", [None])[0])
            if engine is not None:
                pieces = _compressed(pieces, engine)
            return Response(200, b"", "application/octet-stream", headers, close=True, stream=pieces)
        try:
            vms = await self._import(api, task, query, req)
        except ApiError as e:
            self.tasks.finish(task, error=e.description)
            return Response(500, b"", "text/plain", headers, close=True)
        except (ImageError, OSError) as e:
            self.tasks.finish(task, error=["IMPORT_ERROR", str(e)])
            return Response(500, b"", "text/plain", headers, close=True)
        except Exception as e:  # a malformed ova.xml (a field missing, of the wrong type): the task says so
            self.tasks.finish(task, error=["IMPORT_ERROR", f"{type(e).__name__}: {e}"])
            return Response(500, b"", "text/plain", headers, close=True)
        values = "".join(f"<value>{v}</value>" for v in vms)
        self.tasks.finish(task, result=f"<value><array><data>{values}</data></array></value>")
        return Response(200, b"", "text/plain", headers, close=True)

    def _vm(self, query: dict[str, list[str]]) -> str:
        db = self.app.db
        if "ref" in query and db.exists("VM", query["ref"][0]):
            return query["ref"][0]
        if "uuid" in query:
            return db.by_uuid("VM", query["uuid"][0])
        raise ApiError("HANDLE_INVALID", "VM", query.get("ref", [""])[0])

    # ------------------------------------------------------------------ export

    async def _collect(self, api: _Api, vm: str) -> tuple[str, list[tuple[str, str, int]]]:
        """ova.xml and the disks to send: (id, image path, size)."""
        db = self.app.db
        records: dict[str, Any] = {}
        types: dict[str, Any] = {}
        order: list[tuple[str, str]] = []

        async def add(cls: str, ref: str) -> dict[str, Any]:
            if ref not in records:
                reply = await api.dispatcher.call(f"{cls}.get_record", [api.session, ref])
                if not reply.ok or reply.type is None:
                    raise ApiError(*(reply.error or ["INTERNAL_ERROR", cls]))
                records[ref], types[ref] = reply.value, reply.type
                order.append((cls, ref))
            rec: dict[str, Any] = records[ref]
            return rec

        vm_rec = await add("VM", vm)
        state = vm_rec["power_state"]
        if state not in ("Halted", "Suspended"):  # xapi's allowed operations: export in Halted, Suspended
            raise ApiError("VM_BAD_POWER_STATE", vm, "halted, suspended", state.lower())
        vm_rec = records[vm] = {**vm_rec, "power_state": "Halted", "suspend_VDI": NULL_REF}  # as make_vm does
        disks: list[str] = []
        for vbd in vm_rec["VBDs"]:
            rec = await add("VBD", vbd)
            if rec["type"] != "CD" and rec["VDI"] != NULL_REF and db.exists("VDI", rec["VDI"]):
                disks.append(rec["VDI"])
        for vdi in disks:
            await add("VDI", vdi)
        for vdi in disks:
            await add("SR", records[vdi]["SR"])
        for vif in vm_rec["VIFs"]:
            await add("VIF", vif)
        for vif in vm_rec["VIFs"]:
            if db.exists("network", records[vif]["network"]):
                await add("network", records[vif]["network"])
        table = {ref: f"Ref:{i}" for i, (_, ref) in enumerate(order)}
        encoders = api.dispatcher.encoders
        parts = []
        for cls, ref in order:
            snapshot = encoders.for_type(types[ref])(_map_refs(records[ref], self._fields(cls), table))
            parts.append(f"<value><struct><member><name>class</name><value>{cls}</value></member>"
                         f"<member><name>id</name><value>{table[ref]}</value></member>"
                         f"<member><name>snapshot</name>{snapshot}</member></struct></value>")  # fmt: skip
        host = db.get("host", self.app.host_ref)
        software = host.get("software_version", {})
        version = {"hostname": host["hostname"], "date": time.strftime("%Y-%m-%d"),
                   "product_version": software.get("product_version", ""),
                   "product_brand": software.get("product_brand", "xenia"),
                   "build_number": software.get("build_number", ""), "xapi_major": "1", "xapi_minor": "20",
                   "export_vsn": "2"}  # fmt: skip
        members = "".join(
            f"<member><name>{k}</name><value>{escape(str(v))}</value></member>" for k, v in version.items()
        )
        ova = (f"<value><struct><member><name>version</name><value><struct>{members}</struct></value></member>"
               f"<member><name>objects</name><value><array><data>{''.join(parts)}</data></array></value></member>"
               "</struct></value>")  # fmt: skip
        files = [(table[v], vdi_path(db, v), int(records[v]["virtual_size"])) for v in disks]
        return ova, files

    async def _export(self, task: str, ova: str, disks: list[tuple[str, str, int]]) -> AsyncIterator[bytes]:
        ctx = self.tasks.context(task)
        total = sum(size for _, _, size in disks) or 1
        done = 0
        finished = False
        try:
            data = ova.encode()
            yield _tar_member("ova.xml", len(data)) + data + _pad(len(data))
            for ident, path, size in disks:
                last = (size + CHUNK - 1) // CHUNK - 1
                number = 0
                async for piece in raw_reader(path, size):
                    ctx.check_cancelled()
                    if number in (0, last) or piece != _ZERO_CHUNK[: len(piece)]:
                        name = f"{ident}/{number:08d}"
                        digest = hashlib.sha1(piece, usedforsecurity=False).hexdigest().encode()
                        yield b"".join((_tar_member(name, len(piece)), piece, _pad(len(piece)),
                                        _tar_member(name + ".checksum", len(digest)), digest, _pad(len(digest))))  # fmt: skip
                    number += 1
                    done += len(piece)
                    ctx.progress(done / total)
            yield bytes(2 * BLOCK)
            finished = True
        except ApiError as e:
            self.tasks.finish(task, error=e.description)
            return
        except (ImageError, OSError) as e:
            self.tasks.finish(task, error=["VDI_IO_ERROR", str(e)])
            return
        finally:
            if not finished and task in self.tasks.live:
                self.tasks.finish(task, error=["VDI_IO_ERROR", "the client stopped reading"])
        self.tasks.finish(task, result="")

    # ------------------------------------------------------------------ import

    async def _import(self, api: _Api, task: str, query: dict[str, list[str]], req: Request) -> list[str]:
        assert req.stream is not None
        db = self.app.db
        ctx = self.tasks.context(task)
        if "sr_id" in query:  # xapi's Importexport.sr_of_req: sr_id, else sr_uuid, else the default SR
            sr = query["sr_id"][0]
            db.get("SR", sr)
        elif "sr_uuid" in query:
            sr = db.by_uuid("SR", query["sr_uuid"][0])
        else:
            sr = await api("pool.get_default_SR", db.refs("pool")[0])
        tar = _TarReader(req.stream)
        first = await tar.next()
        if first is None or first[0] != "ova.xml":
            raise ApiError("IMPORT_ERROR", "the XVA does not start with ova.xml")
        header: Any
        try:
            (header,), _ = xmlrpc.client.loads(
                "<methodResponse><params><param>"
                + (await tar.body(first[1])).decode()
                + "</param></params></methodResponse>"
            )
        except (xmlrpc.client.ResponseError, ValueError) as e:
            raise ApiError("IMPORT_ERROR", f"ova.xml: {e}") from e
        objects = {o["id"]: o for o in header["objects"]}
        created: list[tuple[str, str]] = []
        writers: dict[str, RawWriter] = {}
        try:
            made = await self._create(api, objects, sr, created)
            vms = [made[i] for i, o in objects.items() if o["class"] == "VM"]
            total = sum(int(o["snapshot"]["virtual_size"]) for o in objects.values() if o["class"] == "VDI") or 1
            received = 0
            pending: tuple[str, str] | None = None  # the chunk whose checksum comes next, and its digest
            while (member := await tar.next()) is not None:
                name, size = member
                data = await tar.body(size)
                ident, _, rest = name.partition("/")
                if pending is not None and name == pending[0] + ".checksum":
                    if data.decode().strip() != pending[1]:
                        raise ApiError("IMPORT_ERROR", f"{pending[0]}: checksum mismatch")
                    pending = None
                    continue
                if rest.endswith((".checksum", ".xxhash")):  # xxhash checksums are not checked (docs/export.md)
                    continue
                if ident not in made or not rest.isdigit():
                    continue
                writer = writers.get(ident)
                if writer is None:
                    vdi = made[ident]
                    writer = writers[ident] = await raw_writer(
                        vdi_path(db, vdi), int(db.get("VDI", vdi)["virtual_size"])
                    )
                await writer.write_at(int(rest) * CHUNK, data)
                pending = (name, hashlib.sha1(data, usedforsecurity=False).hexdigest())
                received += len(data)
                ctx.progress(min(received / total, 0.99))
                ctx.check_cancelled()
            for writer in writers.values():
                await writer.finish()
            writers.clear()
            return vms
        except BaseException:
            for writer in writers.values():
                writer.abort()
            for cls, ref in reversed(created):
                try:
                    await api(f"{cls}.destroy", ref)
                except ApiError:
                    pass
            raise

    async def _create(
        self, api: _Api, objects: dict[str, Any], sr: str, created: list[tuple[str, str]]
    ) -> dict[str, str]:
        """The VDIs, the VM, its VBDs and VIFs; the map from ova.xml ids to the new refs."""
        db = self.app.db
        made: dict[str, str] = {}
        for ident, obj in objects.items():
            if obj["class"] == "VDI":
                s = obj["snapshot"]
                made[ident] = await api("VDI.create", {
                    "name_label": s["name_label"], "name_description": s["name_description"], "SR": sr,
                    "virtual_size": s["virtual_size"], "type": s["type"], "sharable": s["sharable"],
                    "read_only": s["read_only"], "other_config": s["other_config"], "xenstore_data": s.get("xenstore_data", {}),
                    "sm_config": {}, "tags": s.get("tags", [])})  # fmt: skip
                created.append(("VDI", made[ident]))
            elif obj["class"] == "network":
                s = obj["snapshot"]
                try:
                    made[ident] = db.by_uuid("network", s["uuid"])
                except ApiError:
                    named = [n for n in db.refs("network") if db.get("network", n)["name_label"] == s["name_label"]]
                    if named:
                        made[ident] = named[0]
        for ident, obj in objects.items():
            if obj["class"] == "VM":
                made[ident] = await api("VM.create", _as_new(obj["snapshot"], made, self._fields("VM")))
                created.append(("VM", made[ident]))
        for ident, obj in objects.items():
            s = obj["snapshot"]
            if obj["class"] == "VBD" and s["VM"] in made:
                made[ident] = await api("VBD.create", _as_new(s, made, self._fields(obj["class"])))
            elif obj["class"] == "VIF" and s["VM"] in made and s["network"] in made:
                made[ident] = await api("VIF.create", _as_new(s, made, self._fields(obj["class"])))
        return made


def _as_new(snapshot: dict[str, Any], made: dict[str, str], fields: dict[str, Type]) -> dict[str, Any]:
    """A record for ``<class>.create``: ids of imported objects become their new refs; ids of objects not
    made here (an SR, a network not found) and any other reference NULL."""
    record = _map_refs(snapshot, fields, made)
    record.pop("uuid", None)
    if record.get("type") == "CD" and record.get("VDI") == NULL_REF:
        record["empty"] = True
    return record
