"""Conformance: disk images (StorageOps)."""

from __future__ import annotations

import pytest

from xenia.drivers.base import Capability
from xenia.drivers.errors import InvalidArgument, NoSuchImage

from .conftest import Harness
from .helpers import capable

pytestmark = pytest.mark.asyncio
GiB = 1024**3


async def test_image_lifecycle(h: Harness) -> None:
    path = str(h.workdir / "vdi.img")
    st = h.driver.storage
    if not await capable(h, Capability.STORAGE, lambda: st.create_image(path, GiB)):
        return
    info = await st.image_info(path)
    assert info.path == path and info.virtual_size == GiB and info.parent is None
    with pytest.raises(InvalidArgument):
        await st.create_image(path, GiB)
    assert (await st.resize_image(path, 2 * GiB)).virtual_size == 2 * GiB
    with pytest.raises(InvalidArgument):
        await st.resize_image(path, GiB)
    await st.destroy_image(path)
    with pytest.raises(NoSuchImage):
        await st.image_info(path)
    with pytest.raises(NoSuchImage):
        await st.destroy_image(path)


@pytest.mark.parametrize("cap", [Capability.CLONE, Capability.SNAPSHOT])
async def test_clone_and_snapshot(h: Harness, cap: Capability) -> None:
    src, dst = str(h.workdir / "base.img"), str(h.workdir / "copy.img")
    st = h.driver.storage
    if Capability.STORAGE in h.caps:
        await st.create_image(src, GiB)
    call = st.clone if cap is Capability.CLONE else st.snapshot
    if not await capable(h, cap, lambda: call(src, dst)):
        return
    info = await st.image_info(dst)
    assert info.virtual_size == GiB
    assert (await st.image_info(src)).virtual_size == GiB
    with pytest.raises(NoSuchImage):
        await call(str(h.workdir / "missing.img"), str(h.workdir / "other.img"))
