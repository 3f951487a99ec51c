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
