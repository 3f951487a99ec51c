"""The in-process async API that the rest of xenia uses."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from xenia.store import StoreServer, XsError
from xenia.store.client import StoreTransaction


def test_in_process_api(tmp_path: Path) -> None:
    async def main() -> None:
        server = await StoreServer.start(tmp_path)
        dom0 = server.client()
        seen: list[str] = []
        shutdown = asyncio.Event()

        async def start_vm(tx: StoreTransaction) -> None:
            await tx.write("/local/domain/5/name", "web")
            await tx.write("/local/domain/5/vm", "/vm/0000-aaaa")
            await tx.set_perms("/local/domain/5", ["n5", "r0"])
            assert await tx.lookup_name("web") == [5]  # the transaction sees its own index

        await dom0.transact(start_vm)
        assert await dom0.lookup_name("web") == [5]
        assert await dom0.lookup_uuid("0000-aaaa") == [5]

        guest = server.client(domid=5)

        async def on_shutdown(path: str, token: str) -> None:
            seen.append(path)
            if await guest.read_str("control/shutdown") == "poweroff":
                shutdown.set()

        await guest.watch("control/shutdown", on_shutdown)
        await dom0.write("/local/domain/5/control/shutdown", "poweroff")
        await asyncio.wait_for(shutdown.wait(), 30)
        assert seen[0] == "control/shutdown"

        # a rename updates the index in the same commit
        async with dom0.transaction() as tx:
            await tx.write("/local/domain/5/name", "web2")
        assert await dom0.lookup_name("web") == [] and await dom0.lookup_name("web2") == [5]

        with pytest.raises(XsError) as exc:
            await guest.read("/local/domain/0")
        assert exc.value.name == "EACCES"
        await dom0.rm("/local/domain/5")
        assert await dom0.lookup_name("web2") == []
        await guest.close()
        await server.close()

    asyncio.run(main())


def test_read_tree_is_the_walk_a_client_makes(tmp_path: Path) -> None:
    """read_tree answers what DIRECTORY and READ give a walking client: every childless node's value,
    subtrees the session may not read left out, nothing for an absent path."""

    async def walk(client: object, path: str) -> dict[str, bytes]:
        from xenia.store.client import StoreClient

        assert isinstance(client, StoreClient)
        found: dict[str, bytes] = {}

        async def visit(rel: str) -> None:
            full = f"{path}/{rel}" if rel else path
            try:
                children = await client.directory(full)
            except XsError:
                return
            if not children and rel:
                found[rel] = await client.read(full)
            for child in children:
                await visit(f"{rel}/{child}" if rel else child)

        await visit("")
        return found

    async def main() -> None:
        server = await StoreServer.start(tmp_path)
        dom0 = server.client()
        base = "/local/domain/7"
        await dom0.mkdir(f"{base}/data")
        await dom0.set_perms(base, ["n7", "r0"])
        await dom0.set_perms(f"{base}/data", ["n7", "r0"])  # what dom0 writes below inherits it
        await dom0.write(f"{base}/data/os_name", "debian")
        await dom0.write(f"{base}/data/updated", "1")
        await dom0.write(f"{base}/data/empty", "")
        await dom0.write(f"{base}/data/nic/0/ipv4/0", "10.0.0.1")
        await dom0.mkdir(f"{base}/data/secret")
        await dom0.set_perms(f"{base}/data/secret", ["n0"])  # dom0's: the guest may not read it
        await dom0.write(f"{base}/data/secret/key", "hidden")
        guest = server.client(domid=7)
        everything = {"os_name": b"debian", "updated": b"1", "empty": b"", "nic/0/ipv4/0": b"10.0.0.1",
                      "secret/key": b"hidden"}  # fmt: skip
        assert await dom0.read_tree(f"{base}/data") == everything == await walk(dom0, f"{base}/data")
        seen = {k: v for k, v in everything.items() if not k.startswith("secret")}
        assert await guest.read_tree("data") == seen == await walk(guest, f"{base}/data")
        assert await dom0.read_tree(f"{base}/absent") == {}
        assert await dom0.read_tree(f"{base}/data/os_name") == {}  # a leaf has nothing below it
        await server.close()

    asyncio.run(main())
