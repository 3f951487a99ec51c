"""A program written against the typed client, as a user would write one; checked by mypy --strict and run.

Usage: ``python sample_program.py URL PASSWORD`` -- clones a template, starts the copy (synchronously and
through a typed task handle), reads its record, and does the same reads with the asyncio client.
"""

from __future__ import annotations

import asyncio
import sys

from xenia.client import AsyncSession, Session
from xenia.client.typed import AsyncTypedClient, TypedClient, VmPowerState, VMRecord, VMRef


def power_of(record: VMRecord) -> VmPowerState:
    return record["power_state"]


def sync_part(url: str, password: str) -> VMRef:
    session = Session(url)
    session.login("root", password)
    api = TypedClient(session)
    template: VMRef = api.VM.get_by_name_label("Debian Bookworm 12")[0]
    vm = api.Async.VM.clone(template, "typed-sample").wait()
    api.VM.provision(vm)
    api.VM.start(vm, False, False)
    record = api.VM.get_record(vm)
    memory: int = record["memory_static_max"]
    disks = [api.VBD.get_VDI(vbd) for vbd in record["VBDs"] if api.VBD.get_type(vbd) == "Disk"]
    sizes = [api.VDI.get_virtual_size(vdi) for vdi in disks]
    print(f"{record['name_label']} {power_of(record)} memory={memory} disks={sizes}")
    api.Async.VM.hard_shutdown(vm).wait()
    session.logout()
    return vm


async def async_part(url: str, password: str, vm: VMRef) -> None:
    session = AsyncSession(url)
    await session.login("root", password)
    api = AsyncTypedClient(session)
    record = await api.VM.get_record(vm)
    print(f"async {record['name_label']} {power_of(record)}")
    await (await api.Async.VM.start(vm, False, False)).wait()
    print(f"async {await api.VM.get_power_state(vm)}")
    await api.VM.hard_shutdown(vm)
    await session.close()


def main() -> int:
    url, password = sys.argv[1], sys.argv[2]
    vm = sync_part(url, password)
    asyncio.run(async_part(url, password, vm))
    return 0


if __name__ == "__main__":
    sys.exit(main())
