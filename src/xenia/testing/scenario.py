"""Scenarios: what a simulator serves (host, templates, VMs in their power states, fault points).

One description for ``xenia sim --scenario lab.toml`` and for the pytest plugin's markers::

    [host]
    name = "lab-host"           # the host's name_label (also the simulated hostname)
    memory = "64G"              # memory for guests
    cpus = 8

    [templates]
    builtin = 4                 # how many of the built-in templates to keep (default: all)

    [[template]]                # a further template, cloned from a built-in one
    name = "Web server"
    from = "Debian Bookworm 12"
    memory = "2G"
    vcpus = 2

    [[vm]]
    name = "web"                # with count > 1: web-1, web-2, ...
    template = "Web server"
    count = 2
    power_state = "Running"     # Halted (default), Running, Paused or Suspended
    guest = "pv"                # pv (answers shutdown), no-drivers (ignores it), crash

    [faults]
    "vm.suspend.write" = "delay:5"

    [server]
    api_version = "2.20"        # the API version the host presents (default: xenia's)
    listen = "127.0.0.1:8080"   # xenia sim only (--listen overrides)
    password = "secret"         # root's password, xenia sim only (--password overrides)

Everything is made through the XenAPI, as a client would, then the fault points are armed (last,
so they never break the set-up).  A scenario is data: parse it with :meth:`Scenario.from_dict`
(or :func:`load`), apply it to a started daemon with :func:`apply`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xenia.drivers.sim.faults import parse_fault
from xenia.drivers.sim.guest import GUEST_KEY, GuestProfile
from xenia.firstboot import TEMPLATES

if TYPE_CHECKING:
    from xenia.client.aio import AsyncSession
    from xenia.daemon import Daemon

__all__ = ["HostSpec", "Scenario", "ScenarioError", "TemplateSpec", "VmSpec", "apply", "load"]

POWER_STATES = ("Halted", "Running", "Paused", "Suspended")
BUILTIN_TEMPLATES = tuple(t[0] for t in TEMPLATES)
DEFAULT_TEMPLATE = "Generic Linux BIOS"


class ScenarioError(ValueError):
    """The scenario is not valid (the message says where)."""


def _size(text: str | int) -> int:
    from xenia.drivers.sim.driver import parse_size

    try:
        return parse_size(str(text))
    except Exception as e:
        raise ScenarioError(f"memory {text!r}: {e}") from None


@dataclass(frozen=True)
class HostSpec:
    name: str | None = None
    memory: str | None = None
    cpus: int | None = None

    def driver_options(self) -> dict[str, str]:
        """What the simulator must know before it starts (host size and name)."""
        options: dict[str, str] = {}
        if self.memory is not None:
            _size(self.memory)
            options["memory"] = str(self.memory)
        if self.cpus is not None:
            options["cpus"] = str(self.cpus)
        if self.name is not None:
            options["hostname"] = self.name
        return options


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    based_on: str = DEFAULT_TEMPLATE
    memory: str | None = None
    vcpus: int | None = None
    description: str = ""


@dataclass(frozen=True)
class VmSpec:
    name: str
    template: str = DEFAULT_TEMPLATE
    count: int = 1
    power_state: str = "Halted"
    guest: str = "pv"
    memory: str | None = None
    vcpus: int | None = None

    def names(self) -> list[str]:
        return [self.name] if self.count == 1 else [f"{self.name}-{i}" for i in range(1, self.count + 1)]


@dataclass(frozen=True)
class Scenario:
    host: HostSpec = field(default_factory=HostSpec)
    #: how many of the built-in templates stay (None: all of them)
    builtin_templates: int | None = None
    templates: tuple[TemplateSpec, ...] = ()
    vms: tuple[VmSpec, ...] = ()
    #: fault point -> action (``fail``, ``fail-once``, ``hang``, ``delay:SECONDS``)
    faults: tuple[tuple[str, str], ...] = ()
    #: "MAJOR.MINOR" the host presents as its API version
    api_version: tuple[int, int] | None = None
    #: where ``xenia sim`` listens and root's password (its flags override these)
    listen: str | None = None
    password: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Parse the TOML (or YAML) form shown in the module docstring."""
        known = {"host", "hosts", "templates", "template", "vm", "vms", "faults", "server"}
        unknown = set(data) - known
        if unknown:
            raise ScenarioError(f"unknown sections {sorted(unknown)}; known: {sorted(known)}")
        server = data.get("server", {})
        _check_keys("[server]", server, ("api_version", "listen", "password"))
        return cls(
            host=_host(data),
            builtin_templates=_builtin(data.get("templates", {})),
            templates=tuple(_template(t) for t in _tables(data, "template")),
            vms=tuple(_vm(v) for v in _tables(data, "vm")),
            faults=_faults(data.get("faults", {})),
            api_version=_api_version(server.get("api_version")),
            listen=server.get("listen"),
            password=server.get("password"),
        )

    def validate(self) -> None:
        """Check that names refer to something before anything is made (a template cloned from a
        built-in one that is then dropped is fine: it is cloned first)."""
        names = set(BUILTIN_TEMPLATES)
        for t in self.templates:
            if t.based_on not in names:
                raise ScenarioError(f"template {t.name!r}: no template {t.based_on!r} to clone")
            names.add(t.name)
        for vm in self.vms:
            if vm.template not in names:
                raise ScenarioError(f"vm {vm.name!r}: no template {vm.template!r}")

    def key(self) -> str:
        """A stable identity for caching the state this scenario makes."""
        return repr(self)


def _tables(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    items = data.get(name, data.get(name + "s", []))
    if name == "template" and isinstance(items, Mapping):
        items = data.get("template", [])  # [templates] is the built-in count, [[template]] the list
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise ScenarioError(f"[[{name}]] must be a list of tables")
    return items


def _check_keys(what: str, table: Mapping[str, Any], allowed: Sequence[str]) -> None:
    extra = set(table) - set(allowed)
    if extra:
        raise ScenarioError(f"{what}: unknown keys {sorted(extra)}; known: {sorted(allowed)}")


def _host(data: Mapping[str, Any]) -> HostSpec:
    hosts = data.get("hosts")
    if hosts is not None:
        if not isinstance(hosts, list) or len(hosts) != 1:
            raise ScenarioError("xenia serves one host: [[hosts]] must have exactly one entry (pools are not simulated)")
        table = hosts[0]
    else:
        table = data.get("host", {})
    _check_keys("[host]", table, ("name", "memory", "cpus"))
    cpus = table.get("cpus")
    if cpus is not None and (not isinstance(cpus, int) or cpus <= 0):
        raise ScenarioError(f"[host] cpus={cpus!r}: want a positive integer")
    if table.get("memory") is not None:
        _size(table["memory"])
    return HostSpec(name=table.get("name"), memory=table.get("memory"), cpus=cpus)


def _builtin(table: Any) -> int | None:
    if not isinstance(table, Mapping):
        return None
    _check_keys("[templates]", table, ("builtin",))
    count = table.get("builtin")
    if count is None:
        return None
    if not isinstance(count, int) or not 0 <= count <= len(BUILTIN_TEMPLATES):
        raise ScenarioError(f"[templates] builtin={count!r}: want 0..{len(BUILTIN_TEMPLATES)}")
    return count


def _template(t: Mapping[str, Any]) -> TemplateSpec:
    _check_keys("[[template]]", t, ("name", "from", "memory", "vcpus", "description"))
    if "name" not in t:
        raise ScenarioError("[[template]] needs a name")
    if t.get("memory") is not None:
        _size(t["memory"])
    return TemplateSpec(name=str(t["name"]), based_on=str(t.get("from", DEFAULT_TEMPLATE)),
                        memory=t.get("memory"), vcpus=t.get("vcpus"), description=str(t.get("description", "")))  # fmt: skip


def _vm(v: Mapping[str, Any]) -> VmSpec:
    _check_keys("[[vm]]", v, ("name", "template", "count", "power_state", "guest", "memory", "vcpus"))
    if "name" not in v:
        raise ScenarioError("[[vm]] needs a name")
    state = str(v.get("power_state", "Halted")).capitalize()
    if state not in POWER_STATES:
        raise ScenarioError(f"vm {v['name']!r}: power_state {v.get('power_state')!r}; one of {', '.join(POWER_STATES)}")
    guest = str(v.get("guest", "pv"))
    try:
        GuestProfile(guest)
    except ValueError:
        raise ScenarioError(f"vm {v['name']!r}: guest {guest!r}; one of {', '.join(p.value for p in GuestProfile)}") from None
    count = v.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise ScenarioError(f"vm {v['name']!r}: count {count!r}: want a positive integer")
    if v.get("memory") is not None:
        _size(v["memory"])
    return VmSpec(name=str(v["name"]), template=str(v.get("template", DEFAULT_TEMPLATE)), count=count,
                  power_state=state, guest=guest, memory=v.get("memory"), vcpus=v.get("vcpus"))  # fmt: skip


def _faults(table: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(table, list):  # ["vm.create=fail", ...]
        pairs = [str(item).partition("=")[::2] for item in table]
    elif isinstance(table, Mapping):
        pairs = [(str(k), str(v)) for k, v in table.items()]
    else:
        raise ScenarioError("[faults] must map fault points to actions")
    for name, action in pairs:
        try:
            parse_fault(f"{name}={action}")
        except Exception as e:
            raise ScenarioError(f"[faults] {name}={action}: {e}") from None
    return tuple(pairs)


def _api_version(text: Any) -> tuple[int, int] | None:
    if text is None:
        return None
    major, sep, minor = str(text).partition(".")
    if not (sep and major.isdigit() and minor.isdigit()):
        raise ScenarioError(f"api_version {text!r}: want MAJOR.MINOR, e.g. 2.20")
    return int(major), int(minor)


def load(path: Path | str) -> Scenario:
    """Read a scenario file: TOML (``.toml``), or YAML (``.yaml``/``.yml``, needs PyYAML)."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise ScenarioError(f"{path}: YAML scenarios need PyYAML (pip install pyyaml), or use TOML") from None
        data = yaml.safe_load(raw) or {}
    else:
        try:
            data = tomllib.loads(raw.decode())
        except tomllib.TOMLDecodeError as e:
            raise ScenarioError(f"{path}: {e}") from None
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{path}: the top level must be a table")
    scenario = Scenario.from_dict(data)
    scenario.validate()
    return scenario


# ----------------------------------------------------------------------------- applying


async def apply(daemon: Daemon, scenario: Scenario) -> None:
    """Make what ``scenario`` describes on a started daemon (on its loop), through the XenAPI."""
    from xenia.client.aio import AsyncSession

    scenario.validate()
    session = AsyncSession(f"unix://{daemon.config.socket_path}")
    await session.login("root", "", "xenia-scenario")
    try:
        api = session.xenapi
        if scenario.host.name is not None:
            for host in await api.host.get_all():
                await api.host.set_name_label(host, scenario.host.name)
        await _templates(session, scenario)
        for vm in scenario.vms:
            for name in vm.names():
                await _make_vm(session, vm, name)
        for name, action in scenario.faults:
            await session.call_with_session("xenia.fault_set", name, action)
    finally:
        await session.close()
    if scenario.builtin_templates is not None:
        _drop_builtin_templates(daemon, scenario.builtin_templates)
    if scenario.api_version is not None:
        _present_api_version(daemon, *scenario.api_version)


async def _templates(session: AsyncSession, scenario: Scenario) -> None:
    api = session.xenapi
    for t in scenario.templates:
        ref = await api.VM.clone(await _one_template(session, t.based_on), t.name)
        await api.VM.set_name_description(ref, t.description)
        other = dict(await api.VM.get_other_config(ref))
        other.pop("default_template", None)  # a user's template, as XenCenter's "save as template"
        await api.VM.set_other_config(ref, other)
        await _size_vm(session, ref, t.memory, t.vcpus)


def _drop_builtin_templates(daemon: Daemon, keep: int) -> None:
    """Remove the built-in templates past the first ``keep`` (after VMs were cloned from them).

    xapi refuses ``VM.destroy`` of a default template (VM_IS_TEMPLATE), so no client can do this: a
    scenario with fewer templates describes a host that was installed with fewer, and is made in the db.
    """
    assert daemon.app is not None
    db = daemon.app.db
    drop = set(BUILTIN_TEMPLATES[keep:])
    with db.batch():
        for vm in db.refs("VM"):
            rec = db.get("VM", vm)
            if rec["is_a_template"] and rec["is_default_template"] and rec["name_label"] in drop:
                if db.exists("VM_metrics", rec["metrics"]):
                    db.destroy("VM_metrics", rec["metrics"])
                db.destroy("VM", vm)


async def _one_template(session: AsyncSession, name: str) -> str:
    for ref in await session.xenapi.VM.get_by_name_label(name):
        if await session.xenapi.VM.get_is_a_template(ref):
            return str(ref)
    raise ScenarioError(f"no template {name!r}")


async def _size_vm(session: AsyncSession, ref: str, memory: str | None, vcpus: int | None) -> None:
    api = session.xenapi
    if memory is not None:
        size = _size(memory)
        await api.VM.set_memory_limits(ref, min(size, 16 * 1024**2), size, size, size)
    if vcpus is not None:
        if vcpus > int(await api.VM.get_VCPUs_max(ref)):
            await api.VM.set_VCPUs_max(ref, vcpus)
            await api.VM.set_VCPUs_at_startup(ref, vcpus)
        else:
            await api.VM.set_VCPUs_at_startup(ref, vcpus)
            await api.VM.set_VCPUs_max(ref, vcpus)


async def _make_vm(session: AsyncSession, spec: VmSpec, name: str) -> str:
    api = session.xenapi
    ref: str = await api.VM.clone(await _one_template(session, spec.template), name)
    if spec.guest != GuestProfile.PV.value:
        await api.VM.add_to_other_config(ref, GUEST_KEY, spec.guest)
    await api.VM.provision(ref)
    await api.VM.set_is_a_template(ref, False)
    await _size_vm(session, ref, spec.memory, spec.vcpus)
    if spec.power_state in ("Running", "Paused", "Suspended"):
        await api.VM.start(ref, spec.power_state == "Paused", False)
    if spec.power_state == "Suspended":
        await api.VM.suspend(ref)
    return ref


def _present_api_version(daemon: Daemon, major: int, minor: int) -> None:
    """The host's API version fields are read-only over the API: set them in the db, in one batch."""
    assert daemon.app is not None
    db = daemon.app.db
    with db.batch():
        for host in db.refs("host"):
            version = dict(db.get("host", host)["software_version"])
            version["xapi"] = f"{major}.{minor}"
            db.update("host", host, API_version_major=major, API_version_minor=minor, software_version=version)
