"""Helpers shared by the conformance tests."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

import pytest

from xenia.drivers.base import Capability, DiskSpec, DomainSpec, NicSpec
from xenia.drivers.errors import NotSupported

from .conftest import Harness

T = TypeVar("T")
MiB = 1024 * 1024
_macs = itertools.count(1)


def make_spec(
    *,
    memory: int = 256 * MiB,
    vcpus: int = 1,
    vcpus_max: int = 2,
    disks: tuple[DiskSpec, ...] = (),
    nics: tuple[NicSpec, ...] = (),
    other_config: Mapping[str, str] | None = None,
) -> DomainSpec:
    """A small valid spec with a fresh VM uuid (balloon range: half to all of ``memory``)."""
    return DomainSpec(
        vm_uuid=str(uuid.uuid4()),
        name="conformance",
        vcpus_max=vcpus_max,
        vcpus_at_startup=vcpus,
        memory_static_max=memory,
        memory_dynamic_min=memory // 2,
        memory_dynamic_max=memory,
        memory_target=memory,
        disks=disks,
        nics=nics,
        other_config=dict(other_config or {}),
    )


def nic(device: str = "0") -> NicSpec:
    n = next(_macs)
    return NicSpec(device=device, mac=f"02:00:00:00:{n >> 8 & 0xFF:02x}:{n & 0xFF:02x}", bridge="xenbr0")


async def capable(h: Harness, cap: Capability, call: Callable[[], Awaitable[T]]) -> bool:
    """Run ``call`` if the driver declares ``cap`` and return True; else assert NotSupported.

    The conformance rule: outside its declared capabilities an operation must raise
    NotSupported; inside, it must work (any exception propagates and fails the test).
    """
    if cap in h.caps:
        await call()
        return True
    with pytest.raises(NotSupported) as info:
        await call()
    assert info.value.capability == cap.value
    return False
