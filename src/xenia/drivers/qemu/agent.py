"""The QEMU guest agent (qemu-ga) of a domain, relayed to the toolstack as Xen's guest agents report.

Why it looks like this:

* **One path into VM_guest_metrics.** On Xen a guest agent (xe-guest-utilities) writes its OS, its
  version and each NIC's addresses under the domain's store path and touches ``data/updated``;
  xenia's ops reads them into ``VM_guest_metrics`` as xapi does (:mod:`xenia.ops.guestagent`).  A
  QEMU guest's agent answers questions over a virtio-serial port instead, so the driver asks them
  and writes the answers under the same keys (:func:`agent_keys`): ops keeps a single, xapi-exact
  mapping for both drivers, and the simulator's guests write the same keys.
* **Asked when it matters, not every second.** The driver asks when the guest opens the agent's
  port (QEMU's ``VSERPORT_CHANGE``: the agent started), a few times in the following seconds (DHCP
  and the like settle then: after 1, 2, 4, 8 and 16 s), after a NIC is plugged or unplugged, and
  then every :data:`AGENT_INTERVAL` seconds (xe-guest-utilities reports every 60 s).  Keys are
  written only when an answer differs from the last one.
* **A stale channel is normal.** The host end of the port is a socket QEMU serves; a request sent
  while no agent listens waits in it, and an agent may answer a request of an earlier connection.
  Each exchange therefore connects afresh, starts with ``guest-sync-delimited`` (the agent's answer
  follows a 0xFF byte and carries the id sent) and drops the connection after a timeout, which
  discards whatever was left unread.  The protocol is small enough that a client of its own costs
  less than a dependency (QEMU's ``qemu.qmp`` speaks QMP, not the agent's framing).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xenia.drivers.base import NicSpec

__all__ = [
    "AGENT_INTERVAL",
    "AgentRelay",
    "AgentReport",
    "AgentUnavailable",
    "agent_keys",
    "ask_agent",
    "tell_agent",
]

log = logging.getLogger(__name__)

#: seconds between two reports once the first ones after the agent started are in
AGENT_INTERVAL = 60.0
#: seconds after the agent starts (or a NIC comes or goes) at which it is asked again
SETTLING = (1.0, 2.0, 4.0, 8.0, 16.0)
#: seconds an exchange (sync and the questions) may take before the agent counts as absent
EXCHANGE_TIMEOUT = 5.0
#: the application the agent's version is reported as (``PV_drivers_version`` ``application``)
APPLICATION = "qemu-guest-agent"
_DELIMITER = b"\xff"


class AgentUnavailable(Exception):
    """No agent answered on the channel (none running, a guest still booting, no channel)."""


@dataclass(frozen=True, slots=True)
class AgentReport:
    """The agent's answers to ``guest-info``, ``guest-get-osinfo`` and ``guest-network-get-interfaces``."""

    info: Mapping[str, Any]
    osinfo: Mapping[str, Any]
    interfaces: Sequence[Mapping[str, Any]]


async def _sync(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Wait until the agent answers this connection's sync (see the module notes)."""
    sync_id = random.randrange(1, 2**31)
    # A leading 0xFF makes the agent drop any half-read request; its answer to the sync starts
    # with 0xFF too, so everything before it (answers to earlier connections) is skipped.
    request = {"execute": "guest-sync-delimited", "arguments": {"id": sync_id}}
    writer.write(_DELIMITER + json.dumps(request).encode() + b"\n")
    await writer.drain()
    while True:
        await reader.readuntil(_DELIMITER)
        answer = _parse(await reader.readline())
        if answer.get("return") == sync_id:
            return


async def _exchange(path: Path) -> AgentReport:
    reader, writer = await asyncio.open_unix_connection(str(path), limit=1 << 20)
    try:
        await _sync(reader, writer)

        async def ask(command: str) -> Any:
            writer.write(json.dumps({"execute": command}).encode() + b"\n")
            await writer.drain()
            answer = _parse(await reader.readline())
            if "error" in answer:
                raise AgentUnavailable(f"{command}: {answer['error'].get('desc', answer['error'])}")
            return answer.get("return")

        info = await ask("guest-info")
        osinfo = await ask("guest-get-osinfo")
        interfaces = await ask("guest-network-get-interfaces")
        return AgentReport(info if isinstance(info, dict) else {}, osinfo if isinstance(osinfo, dict) else {},
                           interfaces if isinstance(interfaces, list) else [])  # fmt: skip
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def _parse(line: bytes) -> dict[str, Any]:
    if not line:
        raise AgentUnavailable("the channel closed")
    try:
        answer = json.loads(line.strip(_DELIMITER + b" \r\n"))
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


async def ask_agent(path: Path, timeout: float = EXCHANGE_TIMEOUT) -> AgentReport:
    """Ask the agent behind the channel socket ``path`` what it knows.

    :raises AgentUnavailable: nothing answered within ``timeout`` (or the socket is missing).
    """
    try:
        async with asyncio.timeout(timeout):
            return await _exchange(path)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise AgentUnavailable(f"no guest agent answered on {path}: {exc!r}") from exc


async def tell_agent(path: Path, command: str, arguments: Mapping[str, Any], timeout: float = EXCHANGE_TIMEOUT) -> None:
    """Send the agent a request that has no answer when it succeeds (``guest-shutdown``: the guest goes).

    :raises AgentUnavailable: no agent took the sync within ``timeout``.
    """
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_unix_connection(str(path))
            try:
                await _sync(reader, writer)
                writer.write(json.dumps({"execute": command, "arguments": dict(arguments)}).encode() + b"\n")
                await writer.drain()
            finally:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
    except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise AgentUnavailable(f"no guest agent answered on {path}: {exc!r}") from exc


def _version_parts(version: str) -> list[str]:
    parts = version.split(".")
    return [p for p in parts if p.isdigit()][:3] if all(p.isdigit() for p in parts[:3]) else []


def agent_keys(report: AgentReport, nics: Iterable[NicSpec]) -> dict[str, str]:
    """The store keys (relative to the domain's path) a Xen guest agent would write for ``report``.

    * ``attr/PVAddons/{Major,Minor,Micro}Version`` and ``Application``: the agent's version
      (``guest-info``), as xe-guest-utilities reports its own;
    * ``data/os_name`` (the OS's pretty name), ``data/os_uname`` (the kernel release),
      ``data/os_distro`` (its id), ``data/os_majorver``/``os_minorver`` (from its version id):
      what xe-guest-utilities' ``xe-linux-distribution`` writes;
    * ``attr/vif/<device>/ipv4/<n>`` and ``ipv6/<n>`` for each NIC of ``nics`` the agent lists
      (matched by MAC), addresses in the agent's order: the layout xen-guest-agent writes.

    ``feature/hotplug/*`` stay unwritten: a Linux agent makes no statement about hot-plug, so xapi's
    ``can_use_hotplug_vbd``/``_vif`` stay ``unspecified``, as for xe-guest-utilities.
    """
    keys: dict[str, str] = {}
    version = str(report.info.get("version", ""))
    parts = _version_parts(version)
    if parts:
        for name, number in zip(("MajorVersion", "MinorVersion", "MicroVersion"), parts, strict=False):
            keys[f"attr/PVAddons/{name}"] = number
        keys["attr/PVAddons/Application"] = APPLICATION
    osinfo = report.osinfo
    for key, field in (("data/os_name", "pretty-name"), ("data/os_uname", "kernel-release"), ("data/os_distro", "id")):
        value = osinfo.get(field) or (osinfo.get("name") if field == "pretty-name" else None)
        if isinstance(value, str) and value:
            keys[key] = value
    version_id = str(osinfo.get("version-id", ""))
    for key, part in zip(("data/os_majorver", "data/os_minorver"), version_id.split(".")[:2], strict=False):
        if part.isdigit():
            keys[key] = part
    by_mac = {nic.mac.lower(): nic.device for nic in nics}
    for iface in report.interfaces:
        device = by_mac.get(str(iface.get("hardware-address", "")).lower())
        if device is None:
            continue
        counters = {"ipv4": 0, "ipv6": 0}
        for address in iface.get("ip-addresses") or ():
            family, ip = address.get("ip-address-type"), address.get("ip-address")
            if family in counters and isinstance(ip, str):
                keys[f"attr/vif/{device}/{family}/{counters[family]}"] = ip
                counters[family] += 1
    return keys


#: ``publish(domid, keys, gone)``: write ``keys`` and remove ``gone`` under the domain's path
Publisher = Callable[[int, Mapping[str, str], Sequence[str]], Awaitable[bool]]


class AgentRelay:
    """Asks one domain's agent on the schedule in the module notes and publishes what changed.

    :param nics: the domain's NICs now (they change with hot-plug).
    :param publish: where the keys go (the driver's store writer); it answers whether they were
        written (False: the domain's store path is not there yet, so they are tried again).
    :param interval: seconds between reports once settled.
    :param on_answering: called when the agent starts or stops answering (what the guest can do changed).
    """

    def __init__(self, path: Path, domid: int, nics: Callable[[], Sequence[NicSpec]], publish: Publisher,
                 interval: float = AGENT_INTERVAL, on_answering: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.path = path
        self._on_answering = on_answering
        self.domid = domid
        self._nics = nics
        self._publish = publish
        self.interval = interval
        #: the keys last published (empty until the agent first answered)
        self.keys: dict[str, str] = {}
        #: whether the agent answered the last question
        self.answering = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Ask at once, then on the schedule."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    def poke(self) -> None:
        """Something changed that the agent will report (it started, a NIC came or went): ask again soon."""
        self._wake.set()

    async def tell(self, command: str, arguments: Mapping[str, Any]) -> None:
        """Send the agent ``command`` (see :func:`tell_agent`)."""
        await tell_agent(self.path, command, arguments)

    def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    async def _run(self) -> None:
        delays: list[float] = list(SETTLING)
        while True:
            await self.refresh()
            delay = delays.pop(0) if delays and self.answering else self.interval
            try:
                await asyncio.wait_for(self._wake.wait(), delay)
            except TimeoutError:
                continue
            self._wake.clear()
            delays = list(SETTLING)

    def _answering(self, answering: bool) -> None:
        self.answering = answering
        if self._on_answering is not None:
            self._on_answering()

    async def refresh(self) -> None:
        """Ask the agent once; publish what differs from the last answer."""
        try:
            report = await ask_agent(self.path)
        except AgentUnavailable as exc:
            if self.answering:
                log.info("domain %d: the guest agent stopped answering (%s)", self.domid, exc)
                self._answering(False)
            return
        if not self.answering:
            self._answering(True)
        keys = agent_keys(report, self._nics())
        if keys == self.keys:
            return
        gone = sorted(set(self.keys) - set(keys))
        try:
            written = await self._publish(self.domid, keys, gone)
        except Exception:  # a store that fails must not end the relay: the next round tries again
            log.exception("domain %d: cannot publish what its guest agent reported", self.domid)
            return
        if written:
            self.keys = keys
