"""The XenAPI as xenia serves it, defined once as data.

``MODEL`` holds every class, enum and error.  The server's dispatch table, the
db's tables and indexes, the role checks and the wire codecs are all derived
from it at start-up; nothing else lists the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xenia.datamodel.classes import (
    blob,
    console,
    data_source,
    event,
    host,
    host_cpu,
    host_metrics,
    message,
    network,
    pbd,
    pif,
    pool,
    role,
    session,
    sm,
    sr,
    task,
    user,
    vbd,
    vbd_metrics,
    vdi,
    vif,
    vm,
    vm_guest_metrics,
    vm_metrics,
)
from xenia.datamodel.errors import ERRORS, ApiError
from xenia.datamodel.meta import ClassDef, EnumDef, ErrorDef, Field

#: The API version xenia reports (host.API_version_major/minor); 2.x like current xapi.
API_VERSION_MAJOR = 2
API_VERSION_MINOR = 21
API_VERSION_VENDOR = "XenSource"
#: ``software_version.product_version``: the release whose API xenia serves (2.21 is "XenServer 8",
#: reported as 8.4.0).  Clients branch on this number (Ansible's xenserver modules use the guest
#: agent's static-IP support only from 7.0 on), so it names the behaviour, not xenia's own version,
#: which is ``software_version.xenia`` (docs/api.md, "First start").
PRODUCT_VERSION = "8.4.0"
PRODUCT_VERSION_TEXT = "8"
#: ``host.editions``: xenia has no licences, so one edition with every feature and no expiry
#: (xapi asks its licensing daemon, v6d; this is what a v6d with a single free edition answers)
EDITIONS = ("free",)


@dataclass(frozen=True, slots=True)
class Relation:
    """A set field derived from a reference field on the other side ("doubly linked" in xapi).

    ``VM.VBDs`` is never stored: it is the set of VBDs whose ``VM`` field names the VM.
    """

    cls: str  # the class holding the derived set, e.g. "VM"
    set_field: str  # e.g. "VBDs"
    other_cls: str  # e.g. "VBD"
    ref_field: str  # e.g. "VM"


RELATIONS: tuple[Relation, ...] = (
    Relation("VM", "VBDs", "VBD", "VM"),
    Relation("VM", "VIFs", "VIF", "VM"),
    Relation("VM", "consoles", "console", "VM"),
    Relation("VM", "snapshots", "VM", "snapshot_of"),
    Relation("VDI", "VBDs", "VBD", "VDI"),
    Relation("VDI", "snapshots", "VDI", "snapshot_of"),
    Relation("SR", "VDIs", "VDI", "SR"),
    Relation("SR", "PBDs", "PBD", "SR"),
    Relation("host", "PBDs", "PBD", "host"),
    Relation("host", "PIFs", "PIF", "host"),
    Relation("host", "resident_VMs", "VM", "resident_on"),
    Relation("host", "host_CPUs", "host_cpu", "host"),
    Relation("network", "VIFs", "VIF", "network"),
    Relation("network", "PIFs", "PIF", "network"),
    Relation("session", "tasks", "task", "session"),
    Relation("task", "subtasks", "task", "subtask_of"),
)


@dataclass
class Model:
    classes: dict[str, ClassDef]
    enums: dict[str, EnumDef]
    errors: dict[str, ErrorDef]
    relations: tuple[Relation, ...]
    #: (class, derived set field) -> relation
    derived: dict[tuple[str, str], Relation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rel in self.relations:
            self.derived[(rel.cls, rel.set_field)] = rel

    def cls(self, name: str) -> ClassDef:
        return self.classes[name]

    def wire_fields(self, cls: str) -> tuple[Field, ...]:
        """Fields a client sees in a record, in declaration order."""
        return tuple(f for f in self.classes[cls].fields if not f.hidden)

    def stored_fields(self, cls: str) -> tuple[Field, ...]:
        """Fields the db stores (derived relation sets are computed, never stored)."""
        return tuple(f for f in self.classes[cls].fields if (cls, f.name) not in self.derived)


def _build() -> Model:
    modules = (
        session, pool, host, host_cpu, host_metrics, vm, vm_metrics, vm_guest_metrics,
        vbd, vbd_metrics, vdi, sr, sm, pbd, blob, vif, network, pif, console, data_source, task, event, message, role, user,
    )  # fmt: skip
    classes: dict[str, ClassDef] = {}
    enums: dict[str, EnumDef] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, ClassDef):
                classes[value.name] = value
        for e in module.ENUMS:
            enums.setdefault(e.name, e)
    return Model(classes, enums, ERRORS, RELATIONS)


MODEL = _build()

__all__ = ["API_VERSION_MAJOR", "API_VERSION_MINOR", "EDITIONS", "MODEL", "PRODUCT_VERSION", "PRODUCT_VERSION_TEXT", "ApiError", "Model", "Relation"]
