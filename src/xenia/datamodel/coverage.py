"""``docs/api-coverage.md``: which of xapi's messages xenia serves, class by class, and why not the rest.

The page is generated from xenia's datamodel (what dispatch serves) and xapi's datamodel
facts (``tests/fixtures/xapi_datamodel.json``), so it cannot drift from the code:
``tests/datamodel/test_coverage.py`` fails when the file differs from what this module
writes, or when a message xenia does not serve has no reason below.  Regenerate with::

    .venv/bin/python -m xenia.datamodel.coverage

The rule (issue 10): every message of a served class that has a meaning on a single host is
served with xapi's semantics; the others stay undeclared (MESSAGE_METHOD_UNKNOWN), each
with its reason here.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path
from typing import Any

from xenia.datamodel import MODEL
from xenia.datamodel.implicit import implicit_messages

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "xapi_datamodel.json"
PAGE = ROOT / "docs" / "api-coverage.md"

POOLS = "needs a pool of several hosts"
HA = "needs high availability (HA), which needs a pool"
WLB = "needs a Workload Balancing server"
EXT_AUTH = "needs external authentication (Active Directory)"
DR = "needs disaster recovery: pool metadata on VDIs of another pool"
NOT_SERVED_CLASS = "needs a class xenia does not serve (VLAN, Bond, VMSS, VM_appliance, Repository, ...)"
XEN = "Xen-hypervisor specific (xenia runs KVM/QEMU or the simulator)"
IMPORT = "needs the HTTP import handler (`/import`), not served yet"
UPDATES = "needs update repositories (yum/RPM), which xenia does not have"
TLS_POOL = "TLS certificates between pool members and the pool's trust store"
MACHINE = "changes the machine xenia runs on (its power, hostname, network interfaces, boot or logging), which xenia leaves to the OS"
SM = "needs storage-manager plugins xenia does not have (SR types other than its local file and ISO SRs)"
CACHING = "needs the local storage cache (IntelliCache)"
GUEST_PLUGINS = "needs a plugin of the guest's agent, which xenia's guests do not have"
PERMISSION_OBJECTS = "permissions are not role objects in xenia; the `*_name_label` forms answer the same"
SESSIONS = "sessions from a pool slave or a db file: needs a pool"
TELEMETRY = "needs telemetry collection, which xenia does not do"
EMERGENCY = "a call without a session for when the pool's database is out of reach; `reset_server_certificate` does it with one"

#: why a message is not served: first matching ``fnmatch`` pattern on ``class.message`` wins
REASONS: tuple[tuple[str, str], ...] = (
    ("pool.ha_*", HA),
    ("host.emergency_ha_disable", HA), ("VM.set_ha_*", HA), ("SR.assert_can_host_ha_statefile", HA),
    ("pool.enable_redo_log", HA), ("pool.disable_redo_log", HA),
    ("*wlb*", WLB), ("pool.send_wlb_configuration", WLB), ("pool.deconfigure_wlb", WLB),
    ("*external_auth*", EXT_AUTH), ("pool.set_ext_auth_max_threads", EXT_AUTH),
    ("pool.emergency_*", POOLS),
    ("pool.rotate_secret", POOLS), ("host.declare_dead", POOLS), ("host.destroy", POOLS), ("host.power_on", POOLS),
    ("VDI.pool_migrate", POOLS),
    ("host.set_cpu_features", POOLS),
    ("host.reset_cpu_features", POOLS),
    ("session.slave_local_login_with_password", SESSIONS), ("session.create_from_db_file", SESSIONS),
    ("VM.assert_can_be_recovered", DR), ("VM.get_SRs_required_for_recovery", DR), ("VM.recover", DR),
    ("VDI.open_database", DR), ("VDI.read_database_pool_uuid", DR), ("SR.*database_replication", DR),
    ("pool.create_VLAN*", NOT_SERVED_CLASS), ("PIF.create_VLAN", NOT_SERVED_CLASS),
    ("VM.set_appliance", NOT_SERVED_CLASS), ("VM.set_snapshot_schedule", NOT_SERVED_CLASS),
    ("pool.*repositor*", UPDATES), ("pool.set_repositories", UPDATES), ("pool.*update_sync*", UPDATES),
    ("pool.sync_updates", UPDATES), ("pool.check_update_readiness", UPDATES), ("host.apply_updates", UPDATES),
    ("host.apply_recommended_guidances", UPDATES), ("host.emergency_clear_mandatory_guidance", UPDATES),
    ("host.refresh_pack_info", UPDATES), ("pool.configure_repository_proxy", UPDATES),
    ("pool.enable_tls_verification", TLS_POOL),
    ("host.emergency_*tls_verification", TLS_POOL), ("*client_certificate_auth", TLS_POOL),
    ("host.emergency_reset_server_certificate", EMERGENCY), ("host.*server_certificate", TLS_POOL),
    ("*ssl_legacy", TLS_POOL),
    ("host.send_debug_keys", XEN), ("host.get_sched_gran", XEN), ("host.dmesg", XEN),
    ("VM.set_shadow_multiplier_live", XEN), ("VM.restart_device_models", XEN),
    ("*uefi_certificates", XEN),
    ("VM.import", IMPORT), ("VM.import_convert", IMPORT), ("pool.test_archive_target", IMPORT),
    ("host.reboot", MACHINE), ("host.shutdown", MACHINE), ("host.set_hostname_live", MACHINE),
    ("host.set_iscsi_iqn", MACHINE), ("host.*management_reconfigure", MACHINE), ("host.management_disable", MACHINE),
    ("pool.management_reconfigure", MACHINE), ("host.syslog_reconfigure", MACHINE), ("*_display", MACHINE),
    ("host.restart_agent", MACHINE), ("host.bugreport_upload", MACHINE),
    ("host.get_system_status_capabilities", MACHINE),
    ("PIF.*plug", MACHINE), ("PIF.*reconfigure_ip*", MACHINE), ("PIF.scan", MACHINE), ("PIF.*introduce", MACHINE),
    ("PIF.set_property", MACHINE),
    ("SR.make", SM), ("SR.probe*", SM), ("VDI.get_nbd_info", SM),
    ("*local_storage_caching", CACHING),
    ("VM.call_plugin", GUEST_PLUGINS),
    ("role.get_permissions", PERMISSION_OBJECTS), ("role.get_by_permission", PERMISSION_OBJECTS),
    ("pool.*telemetry*", TELEMETRY),
)  # fmt: skip


def reason(cls: str, message: str) -> str | None:
    key = f"{cls}.{message}"
    return next((why for pattern, why in REASONS if fnmatch.fnmatchcase(key, pattern)), None)


def served(cls: str) -> set[str]:
    c = MODEL.cls(cls)
    return {i.message.name for i in implicit_messages(c)} | {m.name for m in c.messages}


def coverage(xapi: dict[str, Any]) -> list[tuple[str, list[str], list[str]]]:
    """Per class xenia serves: xapi's message names served and not served."""
    out = []
    for cls in sorted(MODEL.classes, key=str.lower):
        theirs = sorted({m["name"] for m in xapi[cls]["messages"]})
        ours = served(cls)
        out.append((cls, [m for m in theirs if m in ours], [m for m in theirs if m not in ours]))
    return out


def render(xapi: dict[str, Any]) -> str:
    rows = coverage(xapi)
    total = sum(len(s) + len(n) for _, s, n in rows)
    done = sum(len(s) for _, s, _ in rows)
    lines = [
        "# API coverage: xapi's messages that xenia serves",
        "",
        "Generated by `python -m xenia.datamodel.coverage` from xenia's datamodel and xapi's",
        "(`tests/fixtures/xapi_datamodel.json`); `tests/datamodel/test_coverage.py` fails when it is stale.",
        "The rule: every message of a served class that has a meaning on one host is served, with xapi's",
        "semantics and errors; the others are not declared (a call gets `MESSAGE_METHOD_UNKNOWN`), each with",
        "its reason below.",
        "",
        f"**{done} of {total} messages of the served classes are served ({100 * done / total:.1f} %).**",
        "",
        "| class | messages | served | not served |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {cls} | {len(s) + len(n)} | {len(s)} | {len(n)} |" for cls, s, n in rows]
    lines += ["", "## Not served, and why", ""]
    for cls, _, missing in rows:
        if not missing:
            continue
        lines += [f"### {cls}", "", "| message | reason |", "| --- | --- |"]
        lines += [f"| `{m}` | {reason(cls, m) or '**no reason given**'} |" for m in missing]
        lines.append("")
    return "\n".join(lines)


def load_fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


def main() -> None:
    PAGE.write_text(render(load_fixture()))
    sys.stdout.write(f"wrote {PAGE}\n")


if __name__ == "__main__":
    main()
