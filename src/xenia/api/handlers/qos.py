"""VBD and VIF ``qos_algorithm_type`` / ``qos_algorithm_params``: stored as xapi stores them, and put in
force at once on a running or paused VM's attached device (xapi applies them only at the next start).

The driver is asked first and the record changed after, so a change the driver refuses loses nothing.
In a pool, a change to a device of a VM running on another member is made by that member
(:mod:`xenia.pool.vmops`).  What the values mean is in
:mod:`xenia.ops.qos`.
"""

from __future__ import annotations

from typing import Any

from xenia.api.context import Call
from xenia.api.handlers.lifecycle import ops
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.drivers.errors import DriverError
from xenia.ops import qos
from xenia.ops.errors import to_api_error

_LIVE = ("Running", "Paused")


async def _change(call: Call, cls: str, ref: str, algorithm: str, params: dict[str, str]) -> None:
    db = call.db
    rec = db.get(cls, ref)
    qos.check(cls, algorithm, params)
    vm = rec["VM"]
    vm_rec = db.get("VM", vm)
    if vm_rec["power_state"] in _LIVE and rec["currently_attached"]:
        engine = ops(call)
        uuid = vm_rec["uuid"]
        async with engine.lock(uuid):
            try:
                if cls == "VBD":
                    await engine.driver.disk.set_qos(uuid, rec["userdevice"], qos.disk_qos(algorithm, params))
                else:
                    await engine.driver.net.set_rate(uuid, rec["device"], qos.nic_rate(algorithm, params))
            except DriverError as e:
                raise to_api_error(e, vm=vm, step="set_qos", operation=f"{cls}.set_qos_algorithm_params") from e
    db.update(cls, ref, qos_algorithm_type=algorithm, qos_algorithm_params=params)


def _register(cls: str) -> None:
    async def set_type(call: Call, self: str, value: str) -> None:
        await _change(call, cls, self, value, call.db.get(cls, self)["qos_algorithm_params"])

    async def set_params(call: Call, self: str, value: dict[str, Any]) -> None:
        await _change(call, cls, self, call.db.get(cls, self)["qos_algorithm_type"],
                      {str(k): str(v) for k, v in value.items()})  # fmt: skip

    async def add_param(call: Call, self: str, key: str, value: str) -> None:
        rec = call.db.get(cls, self)
        if key in rec["qos_algorithm_params"]:
            raise ApiError("MAP_DUPLICATE_KEY", cls, "qos_algorithm_params", rec["uuid"], key)
        await _change(call, cls, self, rec["qos_algorithm_type"], {**rec["qos_algorithm_params"], key: value})

    async def remove_param(call: Call, self: str, key: str) -> None:
        rec = call.db.get(cls, self)
        if key in rec["qos_algorithm_params"]:
            params = {k: v for k, v in rec["qos_algorithm_params"].items() if k != key}
            await _change(call, cls, self, rec["qos_algorithm_type"], params)

    handler(f"{cls}.set_qos_algorithm_type")(set_type)
    handler(f"{cls}.set_qos_algorithm_params")(set_params)
    handler(f"{cls}.add_to_qos_algorithm_params")(add_param)
    handler(f"{cls}.remove_from_qos_algorithm_params")(remove_param)


for _cls in ("VBD", "VIF"):
    _register(_cls)
