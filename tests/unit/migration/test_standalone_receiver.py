"""``xenia migrate-receive`` as its own process: a simulated VM arrives in its state directory."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from xenia.drivers.base import DomainSpec, DriverConfig, RunState
from xenia.drivers.errors import NoSuchDomain
from xenia.drivers.sim import SimDriver
from xenia.migration import DestinationRefused, migrate
from xenia.migration.sim import SimSource

pytestmark = pytest.mark.asyncio
MiB = 1 << 20


async def test_a_vm_arrives_in_the_receivers_state_directory(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "xenia.cli.main", "migrate-receive", "--state-dir", str(tmp_path / "b"),
        "--driver-option", "migration-memory=64K", stdout=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    offer = json.loads(await proc.stdout.readline())
    host, _, port = offer["address"].rpartition(":")
    src = SimDriver(DriverConfig(state_dir=tmp_path / "a", options={"migration-memory": "64K"}))
    await src.open()
    spec = DomainSpec(vm_uuid=str(uuid.uuid4()), name="x", vcpus_max=1, vcpus_at_startup=1,
                      memory_static_max=64 * MiB, memory_dynamic_min=64 * MiB, memory_dynamic_max=64 * MiB,
                      memory_target=64 * MiB)  # fmt: skip
    await src.vm.create(spec)
    await src.vm.unpause(spec.vm_uuid)
    with pytest.raises(DestinationRefused) as caught:  # a wrong token is refused; the right one stays good
        await migrate(SimSource(src, spec.vm_uuid), (host, int(port)), "not-the-token")
    assert caught.value.code == "token"
    await migrate(SimSource(src, spec.vm_uuid), (host, int(port)), offer["token"])
    assert "received" in json.loads(await proc.stdout.readline())
    assert await proc.wait() == 0
    with pytest.raises(NoSuchDomain):
        await src.vm.get_state(spec.vm_uuid)
    await src.close()
    dst = SimDriver(DriverConfig(state_dir=tmp_path / "b"))
    await dst.open()  # what the receiver left in its state directory
    assert (await dst.vm.get_state(spec.vm_uuid)).run_state is RunState.RUNNING
    await dst.close()
