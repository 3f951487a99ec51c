"""Random sequences of lifecycle calls keep the db, the driver and the lifecycle table in agreement.

In process, no HTTP: a ``Dispatcher`` over an ``App`` with the firstboot objects, ``Ops`` and
``Storage`` on a simulator whose guests act at once (``guest-delay=0``) and whose host has room
for three of the 1 GiB VMs. Hypothesis drives start/pause/unpause/shutdowns/reboots/suspend/
resume/clone/destroy (and guests powering off, rebooting or crashing by themselves) on a few VMs,
some without PV drivers. Every call must succeed or fail with the error xapi's lifecycle rules
(``tests/xapi_lifecycle.py``, written from xapi's source, not from xenia's table), the host's free
memory or the missing drivers predict; after every step the invariants hold, ``allowed_operations``
among them, against the same oracle.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.xapi_lifecycle import expected_allowed_operations, refusal
from xenia.api.context import App
from xenia.api.dispatch import Dispatcher
from xenia.api.methods import build_table
from xenia.api.sessions import SessionManager
from xenia.api.tasks import TaskManager
from xenia.datamodel import MODEL
from xenia.db import Db
from xenia.drivers.base import DriverConfig, RunState, ShutdownReason
from xenia.drivers.sim import SimDriver
from xenia.firstboot import initialise
from xenia.ops.engine import Ops
from xenia.ops.storage import Storage

GiB = 1024**3
TABLE = build_table(MODEL)
HOST_MEMORY = 3 * GiB
MAX_VMS = 5

#: operation -> (XenAPI call and its extra parameters, the power state it leads to)
CALLS: dict[str, tuple[str, tuple[Any, ...], str]] = {
    "start": ("VM.start", (False, False), "Running"),
    "start_paused": ("VM.start", (True, False), "Paused"),
    "pause": ("VM.pause", (), "Paused"),
    "unpause": ("VM.unpause", (), "Running"),
    "clean_shutdown": ("VM.clean_shutdown", (), "Halted"),
    "hard_shutdown": ("VM.hard_shutdown", (), "Halted"),
    "shutdown": ("VM.shutdown", (), "Halted"),
    "clean_reboot": ("VM.clean_reboot", (), "Running"),
    "hard_reboot": ("VM.hard_reboot", (), "Running"),
    "suspend": ("VM.suspend", (), "Suspended"),
    "resume": ("VM.resume", (False, False), "Running"),
    "resume_paused": ("VM.resume", (True, False), "Paused"),
}
#: the lifecycle table's name of each call
TABLE_OP = {"start_paused": "start", "resume_paused": "resume"}
#: calls that need a domain's worth of free memory
NEEDS_MEMORY = {"start", "start_paused", "resume", "resume_paused"}


class ApiFailure(Exception):
    def __init__(self, error: list[str]) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class Model:
    ref: str
    uuid: str
    power: str
    drivers: bool


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.tmp = Path(tempfile.mkdtemp(prefix="xenia-props"))
        self.vms: list[Model] = []
        self.names = 0

    # ---------------------------------------------------------------- plumbing

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def call(self, name: str, *params: Any) -> Any:
        reply = self.run(self.dispatcher.call(name, [self.session, *params]))
        if not reply.ok:
            raise ApiFailure(reply.error)
        return reply.value

    async def _settle(self) -> None:
        """Let guest timers fire and the reconciliations they trigger finish."""
        for _ in range(50):
            await asyncio.sleep(0)
            if not self.ops._background and not self.ops._pending:
                await asyncio.sleep(0.001)
                if not self.ops._background and not self.ops._pending:
                    return

    def settle(self) -> None:
        self.run(self._settle())

    def teardown(self) -> None:
        self.run(self.ops.close())
        self.run(self.driver.close())
        self.loop.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @initialize()
    def boot(self) -> None:
        os.environ.setdefault("XENIA_ROOT_PASSWORD", "xenia-test-pw")
        db = Db(MODEL)
        identity = initialise(db, self.tmp)
        app = App(db, SessionManager(db, identity.host_ref), identity.host_ref, identity.pool_ref, self.tmp)
        app.services["tasks"] = TaskManager(db, identity.host_ref)
        config = DriverConfig(state_dir=self.tmp, options={"guest-delay": "0", "memory": str(HOST_MEMORY)})
        self.driver = SimDriver(config)
        self.run(self.driver.open())
        self.ops = Ops(db, self.driver, identity.host_ref, shutdown_timeout=30)
        app.services["ops"] = self.ops
        app.services["storage"] = Storage(db, self.driver)
        self.run(self.ops.adopt_all())
        self.db = db
        self.host = identity.host_ref
        self.dispatcher = Dispatcher(app, TABLE)
        self.session = self.run(app.sessions.login("root", "", "props", local=True))
        self.template = self.call("VM.get_by_name_label", "Generic Linux BIOS")[0]

    def pick(self, index: int) -> Model:
        return self.vms[index % len(self.vms)]

    def record(self, vm: Model) -> dict[str, Any]:
        rec: dict[str, Any] = self.db.get("VM", vm.ref)
        return rec

    def free_memory(self) -> int:
        return int(self.run(self.driver.host.memory_free()))

    # ------------------------------------------------------------------- rules

    @precondition(lambda self: len(self.vms) < MAX_VMS)
    @rule(drivers=st.booleans())
    def new_vm(self, drivers: bool) -> None:
        self.names += 1
        vm = self.call("VM.clone", self.template, f"vm-{self.names}")
        self.call("VM.provision", vm)
        if not drivers:
            self.call("VM.add_to_other_config", vm, "xenia-sim-guest", "no-drivers")
        self.vms.append(Model(vm, self.db.get("VM", vm)["uuid"], "Halted", drivers))

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(0, MAX_VMS), op=st.sampled_from(sorted(CALLS)))
    def lifecycle_call(self, index: int, op: str) -> None:
        vm = self.pick(index)
        name, params, result = CALLS[op]
        expected = self.predict(vm, op)
        domid = self.record(vm)["domid"]
        try:
            self.call(name, vm.ref, *params)
        except ApiFailure as e:
            assert expected is not None, f"{op} on a {vm.power} VM failed: {e.error}"
            assert e.error[0] == expected, f"{op} on a {vm.power} VM: {e.error}, predicted {expected}"
            return
        finally:
            self.settle()
        assert expected is None, f"{op} on a {vm.power} VM succeeded, predicted {expected}"
        vm.power = result
        if op in ("clean_reboot", "hard_reboot"):
            assert self.record(vm)["domid"] > domid, "a reboot makes a new domain"

    def guest_records(self, rec: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        db = self.db
        gm = db.get("VM_guest_metrics", rec["guest_metrics"]) if db.exists("VM_guest_metrics", rec["guest_metrics"]) else None
        metrics = db.get("VM_metrics", rec["metrics"]) if db.exists("VM_metrics", rec["metrics"]) else None
        return gm, metrics

    def xapi_refusal(self, vm: Model, op: str) -> list[str] | None:
        """xapi's answer to ``op`` on the VM as it is now (not strict: the call itself, not the advisory list)."""
        rec = self.record(vm)
        return refusal(vm.ref, rec, op, *self.guest_records(rec), strict=False)

    def predict(self, vm: Model, op: str) -> str | None:
        """The error code the call must fail with, or None if it must succeed."""
        table_op = TABLE_OP.get(op, op)
        error = self.xapi_refusal(vm, table_op)
        if error is not None:
            return error[0]
        if op in NEEDS_MEMORY and self.record(vm)["memory_dynamic_max"] > self.free_memory():
            return "HOST_NOT_ENOUGH_FREE_MEMORY"
        if op in ("clean_shutdown", "clean_reboot") and not vm.drivers:
            return "VM_MISSING_PV_DRIVERS"
        return None

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(0, MAX_VMS), name=st.text(alphabet="abc", min_size=1, max_size=3))
    def clone(self, index: int, name: str) -> None:
        vm = self.pick(index)
        expected = self.xapi_refusal(vm, "clone")
        try:
            new = self.call("VM.clone", vm.ref, name)
        except ApiFailure as e:
            assert expected is not None and e.error == expected, (e.error, expected)
            return
        assert expected is None
        assert self.db.get("VM", new)["power_state"] == "Halted"
        if len(self.vms) < MAX_VMS:
            self.vms.append(Model(new, self.db.get("VM", new)["uuid"], "Halted", vm.drivers))
        else:
            self.call("VM.destroy", new)

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(0, MAX_VMS))
    def destroy(self, index: int) -> None:
        vm = self.pick(index)
        expected = self.xapi_refusal(vm, "destroy")
        suspend_vdi = self.record(vm)["suspend_VDI"]
        try:
            self.call("VM.destroy", vm.ref)
        except ApiFailure as e:
            assert expected is not None and e.error == expected, (e.error, expected)
            return
        assert expected is None
        assert not self.db.exists("VM", vm.ref)
        assert vm.uuid not in {d.vm_uuid for d in self.run(self.driver.vm.list_domains())}
        if vm.power == "Suspended":
            assert self.db.exists("VDI", suspend_vdi)  # xapi leaves the disks, the suspend image too
        self.vms.remove(vm)

    @precondition(lambda self: any(vm.power == "Running" for vm in self.vms))
    @rule(index=st.integers(0, MAX_VMS), reason=st.sampled_from(list(ShutdownReason)))
    def guest_acts(self, index: int, reason: ShutdownReason) -> None:
        """The guest powers off, reboots or crashes by itself: actions_after_* apply."""
        running = [vm for vm in self.vms if vm.power == "Running"]
        vm = running[index % len(running)]
        if reason is ShutdownReason.SUSPEND:
            return  # guests never suspend themselves
        self.run(self._guest_stops(vm.uuid, reason))
        self.settle()
        vm.power = "Halted" if reason is ShutdownReason.POWEROFF else "Running"  # destroy / restart / restart

    async def _guest_stops(self, uuid: str, reason: ShutdownReason) -> None:
        self.driver.guest_stops(uuid, reason)
        await asyncio.sleep(0)

    # -------------------------------------------------------------- invariants

    @invariant()
    def db_agrees_with_driver_and_table(self) -> None:
        if not hasattr(self, "db"):
            return
        db = self.db
        domains = {d.vm_uuid: d for d in self.run(self.driver.vm.list_domains())}
        for vm in self.vms:
            rec = self.record(vm)
            power = rec["power_state"]
            assert power == vm.power, f"db says {power}, the model {vm.power}"
            dom = domains.get(vm.uuid)
            if power in ("Running", "Paused"):
                assert dom is not None, f"{power} VM without a domain"
                want = RunState.RUNNING if power == "Running" else RunState.PAUSED
                assert dom.run_state is want
                assert rec["domid"] == dom.domid >= 1
                assert rec["resident_on"] == self.host
                assert db.get("VM_metrics", rec["metrics"])["memory_actual"] > 0
            else:
                assert dom is None, f"{power} VM with a domain {dom}"
                assert rec["domid"] == -1
                assert db.get("VM_metrics", rec["metrics"])["memory_actual"] == 0
            suspended = power == "Suspended"
            assert (rec["suspend_VDI"] != "OpaqueRef:NULL") == suspended
            if suspended:
                assert db.exists("VDI", rec["suspend_VDI"])
            assert rec["current_operations"] == {}
            gm, metrics = self.guest_records(rec)
            assert set(rec["allowed_operations"]) == expected_allowed_operations(vm.ref, rec, gm, metrics)
            for vbd in db.referrers("VBD", "VM", vm.ref):
                assert db.get("VBD", vbd)["currently_attached"] == (power in ("Running", "Paused"))
        known = {vm.uuid for vm in self.vms}
        assert set(domains) <= known, "a domain without a VM"
        held = sum(max(d.memory_actual, d.memory_target) for d in domains.values())
        free = self.free_memory()
        assert free == HOST_MEMORY - held
        metrics = db.get("host", self.host)["metrics"]
        assert db.get("host_metrics", metrics)["memory_free"] == free


#: ``make mutation`` runs a few examples per mutant (``XENIA_LIFECYCLE_EXAMPLES``); the suite runs 20
EXAMPLES = int(os.environ.get("XENIA_LIFECYCLE_EXAMPLES", "20"))
TestLifecycle = Lifecycle.TestCase
TestLifecycle.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
