"""Pure pieces: the newc writer, the module closure of the test guest, domain records."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

from xenia.drivers.base import DiskKind, DiskMode, DiskSpec, DomainSpec, NicSpec, ShutdownReason
from xenia.drivers.qemu.agent import AgentReport, agent_keys
from xenia.drivers.qemu.argv import Accel
from xenia.drivers.qemu.record import DomainRecord
from xenia.ops.guestagent import metrics_from_keys
from xenia.testing.guest import GUEST_MODULES, _find_kernel, _module_closure, write_newc


def test_newc_archive_unpacks_with_busybox_cpio(tmp_path: Path) -> None:
    archive = write_newc(
        [
            ("dir", stat.S_IFDIR | 0o755, b"", (0, 0)),
            ("dir/file.txt", stat.S_IFREG | 0o644, b"hello, odd length", (0, 0)),
            ("dir/link", stat.S_IFLNK | 0o777, b"file.txt", (0, 0)),
        ]
    )
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["busybox", "cpio", "-i", "-d"], input=archive, cwd=out, check=True, capture_output=True)
    assert (out / "dir" / "file.txt").read_bytes() == b"hello, odd length"
    assert (out / "dir" / "link").is_symlink() and (out / "dir" / "link").read_text() == "hello, odd length"


def test_module_closure_loads_dependencies_first() -> None:
    order = _module_closure(Path("/lib/modules") / _find_kernel(), GUEST_MODULES)
    names = [Path(p).name.split(".ko")[0] for p in order]
    assert names.index("virtio") < names.index("virtio_pci") and names.index("scsi_mod") < names.index("sr_mod")
    assert len(names) == len(set(names))


def test_domain_record_round_trips() -> None:
    spec = DomainSpec(
        vm_uuid="u",
        name="n",
        vcpus_max=2,
        vcpus_at_startup=1,
        memory_static_max=4,
        memory_dynamic_min=1,
        memory_dynamic_max=4,
        memory_target=2,
        disks=(DiskSpec("0", "/a"), DiskSpec("3", None, DiskKind.CD, DiskMode.RO, True)),
        nics=(NicSpec("0", "02:00:00:00:00:01", "xenbr0", 9000),),
        platform={"vnc": "false"},
        other_config={"k": "v"},
        boot_order="dc",
    )
    record = DomainRecord(spec, 7, Accel.TCG, 1.5, 2, {"3": None}, ["3"], ShutdownReason.SUSPEND)
    again = DomainRecord.from_json(record.to_json())
    assert again == record and again.spec == spec


def test_agent_answers_become_the_keys_xen_agents_write_and_xapis_guest_metrics() -> None:
    """Answers as Debian's qemu-ga 7.2 gave them (recorded from the test guest), mapped to the store keys of
    xe-guest-utilities / xen-guest-agent, and from there to VM_guest_metrics by xapi's rules (ops)."""
    report = AgentReport(
        info={"version": "7.2.22", "supported_commands": []},
        osinfo={"name": "Debian GNU/Linux", "kernel-release": "6.1.0-57-cloud-amd64", "version": "12 (bookworm)",
                "pretty-name": "Debian GNU/Linux 12 (bookworm)", "version-id": "12", "machine": "x86_64",
                "id": "debian"},  # fmt: skip
        interfaces=[
            {"name": "lo", "hardware-address": "00:00:00:00:00:00",
             "ip-addresses": [{"ip-address-type": "ipv4", "ip-address": "127.0.0.1", "prefix": 8}]},
            {"name": "eth0", "hardware-address": "52:54:00:12:34:56",
             "ip-addresses": [{"ip-address-type": "ipv4", "ip-address": "10.0.2.15", "prefix": 24},
                              {"ip-address-type": "ipv6", "ip-address": "fe80::5054:ff:fe12:3456", "prefix": 64},
                              {"ip-address-type": "ipv4", "ip-address": "10.0.3.7", "prefix": 24}]},
            {"name": "eth1", "hardware-address": "52:54:00:00:00:99", "ip-addresses": []},
        ],  # fmt: skip
    )
    keys = agent_keys(report, [NicSpec("2", "52:54:00:12:34:56", "xenbr0")])  # the MAC tells the device
    assert keys == {
        "attr/PVAddons/MajorVersion": "7", "attr/PVAddons/MinorVersion": "2", "attr/PVAddons/MicroVersion": "22",
        "attr/PVAddons/Application": "qemu-guest-agent",
        "data/os_name": "Debian GNU/Linux 12 (bookworm)", "data/os_uname": "6.1.0-57-cloud-amd64",
        "data/os_distro": "debian", "data/os_majorver": "12",
        "attr/vif/2/ipv4/0": "10.0.2.15", "attr/vif/2/ipv4/1": "10.0.3.7", "attr/vif/2/ipv6/0": "fe80::5054:ff:fe12:3456",
    }  # fmt: skip
    metrics = metrics_from_keys(keys)
    assert metrics["networks"] == {"2/ip": "10.0.2.15", "2/ipv4/0": "10.0.2.15", "2/ipv4/1": "10.0.3.7",
                                   "2/ipv6/0": "fe80::5054:ff:fe12:3456"}  # fmt: skip
    assert metrics["os_version"] == {"name": "Debian GNU/Linux 12 (bookworm)", "uname": "6.1.0-57-cloud-amd64",
                                     "distro": "debian", "major": "12"}  # fmt: skip
    assert metrics["PV_drivers_version"] == {"major": "7", "minor": "2", "micro": "22",
                                             "application": "qemu-guest-agent"}  # fmt: skip
    assert (metrics["can_use_hotplug_vbd"], metrics["can_use_hotplug_vif"]) == ("unspecified", "unspecified")
    # an agent with nothing to say about itself leaves the keys out rather than inventing them
    assert agent_keys(AgentReport({"version": "git"}, {"version-id": "24.04"}, []), []) == {
        "data/os_majorver": "24", "data/os_minorver": "04"}  # fmt: skip
