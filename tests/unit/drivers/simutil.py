"""Helpers for the simulator unit tests."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path

from xenia.drivers.base import DomainSpec, DriverConfig
from xenia.drivers.sim import SimDriver, VirtualClock

MiB = 1024 * 1024


def spec(
    other_config: Mapping[str, str] | None = None, memory: int = 64 * MiB, vm_uuid: str | None = None
) -> DomainSpec:
    return DomainSpec(
        vm_uuid=vm_uuid or str(uuid.uuid4()),
        name="unit",
        vcpus_max=2,
        vcpus_at_startup=1,
        memory_static_max=memory,
        memory_dynamic_min=memory // 2,
        memory_dynamic_max=memory,
        memory_target=memory,
        other_config=dict(other_config or {}),
    )


async def open_sim(state: Path, clock: VirtualClock, **options: str) -> SimDriver:
    opts = {"guest-delay": "2", **{k.replace("_", "-"): v for k, v in options.items()}}
    drv = SimDriver(DriverConfig(state_dir=state, options=opts), clock=clock)
    await drv.open()
    return drv
