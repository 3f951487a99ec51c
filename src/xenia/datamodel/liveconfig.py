"""When a change to a VM field takes effect: every changeable VM field classified, as data (issue 14).

xapi answers this question only in prose scattered over its setters; xenia writes it down once.
Four scopes:

``persistent``  the VM's configuration, read when a domain is built: a change on a running VM takes
                effect at the next boot (the drift report shows it *pending reboot* and
                ``VM.requires_reboot`` is true until then).
``live``        a driver can also apply it to a running domain, given the driver capability named
                (:class:`xenia.drivers.base.Capability` values), through the message named.
``toolstack``   read by the toolstack whenever it acts (names, policies, actions after a shutdown):
                takes effect at once, there is nothing to apply to the domain.
``runtime``     the server's own facts (``RO/runtime`` fields and those only a lifecycle operation moves).

Dispatch (``requires_reboot`` upkeep, the drift report) and ``docs/liveconfig.md`` (the table between
its markers is written from :func:`markdown_table`) are driven by this table; a test keeps every VM
field of the datamodel classified.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Scope(enum.Enum):
    PERSISTENT = "persistent"
    LIVE = "live"
    TOOLSTACK = "toolstack"
    RUNTIME = "runtime"


@dataclass(frozen=True, slots=True)
class FieldScope:
    """One field's scope; for a ``live`` field, the capability and message that apply it live."""

    name: str
    scope: Scope
    capability: str = ""
    live_message: str = ""


def _all(scope: Scope, names: str) -> dict[str, FieldScope]:
    return {n: FieldScope(n, scope) for n in names.split()}


_BALLOON = ("balloon", "VM.set_memory_dynamic_range")

#: VM field -> scope
VM_FIELDS: dict[str, FieldScope] = {
    **_all(Scope.PERSISTENT, """
        memory_static_max memory_static_min VCPUs_max VCPUs_params PV_bootloader PV_kernel PV_ramdisk
        PV_args PV_bootloader_args PV_legacy_args HVM_boot_policy HVM_boot_params HVM_shadow_multiplier
        platform PCI_bus xenstore_data domain_type NVRAM has_vendor_device hardware_platform_version
        bios_strings"""),
    "memory_dynamic_max": FieldScope("memory_dynamic_max", Scope.LIVE, *_BALLOON),
    "memory_dynamic_min": FieldScope("memory_dynamic_min", Scope.LIVE, *_BALLOON),
    "memory_target": FieldScope("memory_target", Scope.LIVE, *_BALLOON),
    "VCPUs_at_startup": FieldScope("VCPUs_at_startup", Scope.LIVE, "vcpu_hotplug", "VM.set_VCPUs_number_live"),
    **_all(Scope.TOOLSTACK, """
        name_label name_description user_version is_a_template affinity actions_after_softreboot
        actions_after_shutdown actions_after_reboot actions_after_crash other_config recommendations tags
        blocked_operations ha_always_run ha_restart_priority protection_policy is_snapshot_from_vmpp
        snapshot_schedule is_vmss_snapshot appliance start_delay shutdown_delay order suspend_SR version
        generation_id reference_label last_boot_CPU_flags last_booted_record"""),
    **_all(Scope.RUNTIME, """
        uuid allowed_operations current_operations power_state is_default_template suspend_VDI resident_on
        scheduled_to_be_resident_on memory_overhead consoles VIFs VBDs VUSBs crash_dumps VTPMs domid domarch
        is_control_domain metrics guest_metrics is_a_snapshot snapshot_of snapshots snapshot_time
        transportable_snapshot_id blobs snapshot_info snapshot_metadata parent children VGPUs attached_PCIs
        requires_reboot pending_guidances pending_guidances_recommended pending_guidances_full"""),
}  # fmt: skip

#: fields whose change on a running VM waits for the next boot (what ``requires_reboot`` watches)
PERSISTENT = tuple(n for n, f in VM_FIELDS.items() if f.scope is Scope.PERSISTENT)
#: fields a driver can apply live
LIVE = tuple(n for n, f in VM_FIELDS.items() if f.scope is Scope.LIVE)

#: what the scoped setter ``xenia.vm_set`` accepts (integers only: the memory and vCPU numbers)
SCOPED = ("memory_static_max", "memory_static_min", "memory_dynamic_max", "memory_dynamic_min", "VCPUs_max",
          "VCPUs_at_startup")  # fmt: skip


def of(name: str) -> FieldScope:
    """A VM field's scope (KeyError for a field the table does not know)."""
    return VM_FIELDS[name]


def markdown_table() -> str:
    """The table ``docs/liveconfig.md`` shows, one row per scope."""
    rows = ["| scope | fields |", "|---|---|"]
    for scope in Scope:
        cells = []
        for f in VM_FIELDS.values():
            if f.scope is scope:
                cells.append(f"`{f.name}` ({f.capability}, `{f.live_message}`)" if f.capability else f"`{f.name}`")
        rows.append(f"| {scope.value} | {', '.join(cells)} |")
    return "\n".join(rows) + "\n"


BEGIN, END = "<!-- liveconfig table: written by `make generate` -->", "<!-- end of liveconfig table -->"


def with_table(doc: str) -> str:
    """``doc`` with the text between the table markers replaced by :func:`markdown_table`."""
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{markdown_table()}{END}{tail}"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(with_table(path.read_text()))
