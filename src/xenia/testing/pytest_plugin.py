"""pytest plugin: a XenAPI server for your tests, the real thing's behaviour, a clean state per test.

Installed with xenia (entry point ``pytest11``), so a tool's tests just ask for the fixtures::

    def test_start(xenapi_session):                 # a logged-in official SDK session (XenAPI.Session)
        api = xenapi_session.xenapi
        vm = api.VM.get_by_name_label("vm-1")[0]
        api.VM.start(vm, False, False)

    @pytest.mark.xenapi(vms=2, faults={"vm.create": "fail"})
    def test_start_fails(xenapi_session): ...

    def test_cli(xenapi_server):                    # .url .username .password .socket_path
        subprocess.run(["mytool", "--url", xenapi_server.url, ...])

Fixtures:

``xenapi_server``   a running simulator (:class:`XenapiServer`: ``url``, ``username``, ``password``,
                    ``socket_path``, ``set_fault()``, ``clear_faults()``, ``login()``)
``xenapi_session``  a ``XenAPI.Session`` logged in as root over TCP; logged out afterwards

Both are function-scoped by default: one simulator serves the whole run, and each test starts from
the state its marker describes, restored from a snapshot in milliseconds (no restart).  With
``--xenapi-scope=session`` (or ``xenapi_scope = session`` in the ini file) the tests share one state.

The ``xenapi`` marker (or ``@pytest.mark.parametrize("xenapi_server", [{...}], indirect=True)``)
describes the starting state; every key is optional:

``vms=N``                 N VMs ``vm-1`` ... ``vm-N`` from "Generic Linux BIOS", with a disk
``power_state="Running"`` the power state of those VMs (Halted, Running, Paused, Suspended)
``guest="no-drivers"``    their simulated guest: ``pv`` answers shutdown requests; ``no-drivers``
                          ignores them (clean shutdown refused, as xapi without PV drivers);
                          ``crash`` crashes after a while
``templates=N``           N templates (fewer than the built-in four drops some; more adds copies)
``faults={...}``          armed fault points, e.g. ``{"vm.create": "fail"}`` (VM.start fails),
                          ``{"vm.suspend.write": "delay:5"}`` (a slow suspend); see
                          :mod:`xenia.drivers.sim.faults` for all points and actions
``api_version="2.16"``    the API version the host presents
``scenario="lab.toml"``   a scenario file (the ``xenia sim`` format), relative to the test file
``memory="64G"``, ``cpus=8``  the host's size (a separate simulator per size)

The ini option ``xenapi_scenario`` names a scenario file for tests without a marker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    from xenia.testing.scenario import Scenario
    from xenia.testing.simulator import Simulator
    from xenia.testing.snapshot import StateSnapshot

__all__ = ["XenapiServer"]

MARKER_KEYS = frozenset({"vms", "power_state", "guest", "templates", "faults", "api_version", "scenario", "memory", "cpus"})


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("xenia", "XenAPI simulator (xenia)")
    group.addoption("--xenapi-scope", choices=("function", "session"), default=None,
                    help="function: each test starts from a clean state (default); session: one state shared")  # fmt: skip
    parser.addini("xenapi_scope", "scope of xenapi_server/xenapi_session: function (default) or session", default="")
    parser.addini("xenapi_scenario", "scenario file (xenia sim format) for tests without an xenapi marker", default="")
    parser.addini("xenapi_shutdown_timeout", "seconds a clean shutdown waits for the guest", default="10")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "xenapi(vms=0, power_state='Halted', guest='pv', templates=None, faults=None, api_version=None, "
        "scenario=None, memory=None, cpus=None): the simulated XenAPI server's state when the test starts",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under session scope one state serves every test: a test asking for its own would be silently wrong."""
    if _scope("xenapi_server", config) != "session":
        return
    marked = [item.nodeid for item in items if item.get_closest_marker("xenapi") is not None]
    if marked:
        raise pytest.UsageError(f"xenapi markers need function scope (xenapi_scope = session here): {marked[:3]}")


def _scope(fixture_name: str, config: pytest.Config) -> Literal["function", "session"]:
    scope = config.getoption("xenapi_scope", None) or config.getini("xenapi_scope") or "function"
    if scope == "session":
        return "session"
    if scope != "function":
        raise pytest.UsageError(f"xenapi_scope = {scope!r}: want function or session")
    return "function"


# ----------------------------------------------------------------------------- describing a state


def scenario_from_options(options: Mapping[str, Any], base: Path | None = None) -> Scenario:
    """The scenario a marker's (or fixture parameter's) keywords describe."""
    from xenia.testing import scenario as sc

    unknown = set(options) - MARKER_KEYS
    if unknown:
        raise pytest.UsageError(f"xenapi marker: unknown keys {sorted(unknown)}; known: {sorted(MARKER_KEYS)}")
    if options.get("scenario"):
        path = Path(options["scenario"])
        loaded = sc.load(path if path.is_absolute() or base is None else base / path)
        rest = {k: v for k, v in options.items() if k != "scenario"}
        return _merge(loaded, scenario_from_options(rest)) if rest else loaded
    data: dict[str, Any] = {}
    host = {k: options[k] for k in ("memory", "cpus") if options.get(k) is not None}
    if host:
        data["host"] = host
    count = int(options.get("vms", 0))
    if count:
        data["vm"] = [{"name": f"vm-{i}", "power_state": options.get("power_state", "Halted"),
                       "guest": options.get("guest", "pv")} for i in range(1, count + 1)]  # fmt: skip
    templates = options.get("templates")
    if templates is not None:
        builtin = len(sc.BUILTIN_TEMPLATES)
        data["templates"] = {"builtin": min(int(templates), builtin)}
        data["template"] = [{"name": f"Template {i}"} for i in range(builtin + 1, int(templates) + 1)]
    if options.get("faults"):
        data["faults"] = options["faults"]
    if options.get("api_version"):
        data["server"] = {"api_version": options["api_version"]}
    try:
        scenario = sc.Scenario.from_dict(data)
        scenario.validate()
    except sc.ScenarioError as e:
        raise pytest.UsageError(f"xenapi marker: {e}") from None
    return scenario


def _merge(first: Scenario, second: Scenario) -> Scenario:
    from dataclasses import replace

    return replace(
        first,
        vms=first.vms + second.vms,
        templates=first.templates + second.templates,
        faults=first.faults + second.faults,
        api_version=second.api_version or first.api_version,
        builtin_templates=second.builtin_templates if second.builtin_templates is not None else first.builtin_templates,
    )


def _requested(request: pytest.FixtureRequest) -> Scenario:
    options: dict[str, Any] = {}
    base: Path | None = None
    ini = request.config.getini("xenapi_scenario")
    if request.scope == "function":
        for marker in reversed(list(request.node.iter_markers("xenapi"))):
            options.update(marker.kwargs)
        param = getattr(request, "param", None)
        if isinstance(param, Mapping):
            options.update(param)
        base = Path(str(request.node.path)).parent
    if not options and ini:
        options = {"scenario": ini}
        base = Path(str(request.config.rootpath))
    return scenario_from_options(options, base)


# ----------------------------------------------------------------------------- simulators


@dataclass
class _Entry:
    simulator: Simulator
    base: StateSnapshot
    states: dict[str, StateSnapshot] = field(default_factory=dict)


class SimulatorPool:
    """The simulators of one test run (one per host size), each with the states its tests asked for."""

    def __init__(self, shutdown_timeout: float) -> None:
        self.shutdown_timeout = shutdown_timeout
        self._entries: dict[tuple[tuple[str, str], ...], _Entry] = {}

    def prepare(self, scenario: Scenario) -> Simulator:
        """A simulator in the state ``scenario`` describes: made once, restored from its snapshot after."""
        from xenia.testing import scenario as sc
        from xenia.testing.simulator import Simulator

        options = scenario.host.driver_options()
        key = tuple(sorted(options.items()))
        entry = self._entries.get(key)
        if entry is None:
            sim = Simulator(driver_options=options, shutdown_timeout=self.shutdown_timeout).start()
            entry = self._entries[key] = _Entry(sim, sim.snapshot())
        sim = entry.simulator
        state = entry.states.get(scenario.key())
        if state is None:
            sim.restore(entry.base)
            sim.run(sc.apply(sim.daemon, scenario), timeout=120)
            state = entry.states[scenario.key()] = sim.snapshot()
        sim.restore(state)
        return sim

    def close(self) -> None:
        for entry in self._entries.values():
            entry.simulator.stop()
        self._entries.clear()


@dataclass
class XenapiServer:
    """Where the simulated XenAPI server listens and how to log in (what ``xenapi_server`` yields)."""

    url: str
    username: str
    password: str
    #: the local socket: root logs in without a password, as on xapi's /var/lib/xcp/xapi
    socket_path: Path
    simulator: Simulator

    @property
    def xenstore_path(self) -> Path:
        return self.simulator.xenstore_path

    def set_fault(self, name: str, action: str) -> None:
        """Arm a fault point now (e.g. ``set_fault("vm.create", "fail")``)."""
        self.simulator.set_fault(name, action)

    def clear_faults(self, name: str | None = None) -> None:
        self.simulator.clear_faults(name)

    def login(self, originator: str = "pytest") -> Any:
        """A new ``XenAPI.Session`` logged in as root."""
        import XenAPI

        session = XenAPI.Session(self.url)
        session.xenapi.login_with_password(self.username, self.password, "2.0", originator)
        return session


@pytest.fixture(scope="session")
def _xenapi_pool(pytestconfig: pytest.Config) -> Iterator[SimulatorPool]:
    pool = SimulatorPool(float(pytestconfig.getini("xenapi_shutdown_timeout")))
    yield pool
    pool.close()


@pytest.fixture(scope=_scope)
def xenapi_server(request: pytest.FixtureRequest, _xenapi_pool: SimulatorPool) -> Iterator[XenapiServer]:
    """A simulated XenAPI server in the state the test's ``xenapi`` marker describes."""
    sim = _xenapi_pool.prepare(_requested(request))
    yield XenapiServer(sim.url, sim.username, sim.password, sim.socket_path, sim)


@pytest.fixture(scope=_scope)
def xenapi_session(xenapi_server: XenapiServer) -> Iterator[Any]:
    """An official SDK session (``XenAPI.Session``) logged in as root to ``xenapi_server``."""
    import XenAPI

    session = xenapi_server.login("pytest")
    yield session
    with contextlib.suppress(XenAPI.Failure, OSError):
        session.xenapi.session.logout()
