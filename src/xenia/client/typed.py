"""Typed XenAPI client, generated from xenia's datamodel by ``xenia.bindings.python_client``.

Do not edit: ``make generate`` writes it again.  Use it as::

    from xenia.client import connect
    from xenia.client.typed import TypedClient

    api = TypedClient(connect())
    for vm in api.VM.get_all():
        record = api.VM.get_record(vm)      # a VMRecord: record["power_state"] is a VmPowerState
    task = api.Async.VM.clone(vm, "copy")   # a Task[VMRef]
    clone = task.wait()
"""

# fmt: off
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, NewType, TypedDict, TypeVar, cast

from xenia.client.tasks import EventBatch

if TYPE_CHECKING:
    from xenia.client.aio import AsyncSession
    from xenia.client.sync import ProgressCallback, Session

T = TypeVar("T")
Caller = Callable[..., Any]
AsyncCaller = Callable[..., Awaitable[Any]]


class Task(Generic[T]):
    """A task started by an ``Async.*`` call; :meth:`wait` blocks until it ends and gives its typed result."""

    __slots__ = ("ref", "_session")

    def __init__(self, session: Session, ref: str) -> None:
        self.ref = TaskRef(ref)
        self._session = session

    def wait(self, on_progress: ProgressCallback | None = None) -> T:
        return cast(T, self._session.task_result(self.ref, on_progress))


class AsyncTask(Generic[T]):
    """The asyncio twin of :class:`Task`."""

    __slots__ = ("ref", "_session")

    def __init__(self, session: AsyncSession, ref: str) -> None:
        self.ref = TaskRef(ref)
        self._session = session

    async def wait(self, on_progress: ProgressCallback | None = None) -> T:
        return cast(T, await self._session.task_result(self.ref, on_progress))


# -- references: one type per class, so refs of different classes do not mix

BlobRef = NewType("BlobRef", str)
ConsoleRef = NewType("ConsoleRef", str)
DataSourceRef = NewType("DataSourceRef", str)
EventRef = NewType("EventRef", str)
HostRef = NewType("HostRef", str)
HostCpuRef = NewType("HostCpuRef", str)
HostMetricsRef = NewType("HostMetricsRef", str)
MessageRef = NewType("MessageRef", str)
NetworkRef = NewType("NetworkRef", str)
PBDRef = NewType("PBDRef", str)
PIFRef = NewType("PIFRef", str)
PoolRef = NewType("PoolRef", str)
RoleRef = NewType("RoleRef", str)
SessionRef = NewType("SessionRef", str)
SMRef = NewType("SMRef", str)
SRRef = NewType("SRRef", str)
TaskRef = NewType("TaskRef", str)
UserRef = NewType("UserRef", str)
VBDRef = NewType("VBDRef", str)
VBDMetricsRef = NewType("VBDMetricsRef", str)
VDIRef = NewType("VDIRef", str)
VIFRef = NewType("VIFRef", str)
VMRef = NewType("VMRef", str)
VMGuestMetricsRef = NewType("VMGuestMetricsRef", str)
VMMetricsRef = NewType("VMMetricsRef", str)

# -- enums

Cls = Literal['VM', 'Host', 'SR', 'Pool', 'VMPP', 'VMSS', 'PVS_proxy', 'VDI', 'Certificate']
ConsoleProtocol = Literal['vt100', 'rfb', 'rdp']
DomainType = Literal['hvm', 'pv', 'pv_in_pvh', 'pvh', 'unspecified']
EventOperation = Literal['add', 'del', 'mod']
HostAllowedOperations = Literal['provision', 'evacuate', 'shutdown', 'reboot', 'power_on', 'vm_start', 'vm_resume', 'vm_migrate', 'apply_updates', 'enable']
HostDisplay = Literal['enabled', 'disable_on_reboot', 'disabled', 'enable_on_reboot']
HostNumaAffinityPolicy = Literal['any', 'best_effort', 'default_policy']
HostSchedGran = Literal['core', 'cpu', 'socket']
IpConfigurationMode = Literal['None', 'DHCP', 'Static']
Ipv6ConfigurationMode = Literal['None', 'DHCP', 'Static', 'Autoconf']
LatestSyncedUpdatesAppliedState = Literal['yes', 'no', 'unknown']
NetworkDefaultLockingMode = Literal['unlocked', 'disabled']
NetworkOperations = Literal['attaching']
NetworkPurpose = Literal['nbd', 'insecure_nbd']
OnBoot = Literal['reset', 'persist']
OnCrashBehaviour = Literal['destroy', 'coredump_and_destroy', 'restart', 'coredump_and_restart', 'preserve', 'rename_restart']
OnNormalExit = Literal['destroy', 'restart']
OnSoftrebootBehavior = Literal['soft_reboot', 'destroy', 'restart', 'preserve']
PifIgmpStatus = Literal['enabled', 'disabled', 'unknown']
PoolAllowedOperations = Literal['ha_enable', 'ha_disable', 'cluster_create', 'designate_new_master', 'configure_repositories', 'sync_updates', 'get_updates', 'apply_updates', 'tls_verification_enable', 'cert_refresh', 'exchange_certificates_on_join', 'exchange_ca_certificates_on_join', 'copy_primary_host_certs', 'eject']
PrimaryAddressType = Literal['IPv4', 'IPv6']
StorageOperations = Literal['scan', 'destroy', 'forget', 'plug', 'unplug', 'update', 'vdi_create', 'vdi_introduce', 'vdi_destroy', 'vdi_resize', 'vdi_clone', 'vdi_snapshot', 'vdi_mirror', 'vdi_enable_cbt', 'vdi_disable_cbt', 'vdi_data_destroy', 'vdi_list_changed_blocks', 'vdi_set_on_boot', 'pbd_create', 'pbd_destroy']
TaskAllowedOperations = Literal['cancel', 'destroy']
TaskStatusType = Literal['pending', 'success', 'failure', 'cancelling', 'cancelled']
TelemetryFrequency = Literal['daily', 'weekly', 'monthly']
TristateType = Literal['yes', 'no', 'unspecified']
UpdateGuidances = Literal['reboot_host', 'reboot_host_on_livepatch_failure', 'reboot_host_on_kernel_livepatch_failure', 'reboot_host_on_xen_livepatch_failure', 'restart_toolstack', 'restart_device_model', 'restart_vm']
UpdateSyncFrequency = Literal['daily', 'weekly']
VbdMode = Literal['RO', 'RW']
VbdOperations = Literal['attach', 'eject', 'insert', 'plug', 'unplug', 'unplug_force', 'pause', 'unpause']
VbdType = Literal['CD', 'Disk', 'Floppy']
VdiOperations = Literal['clone', 'copy', 'resize', 'resize_online', 'snapshot', 'mirror', 'destroy', 'forget', 'update', 'force_unlock', 'generate_config', 'enable_cbt', 'disable_cbt', 'data_destroy', 'list_changed_blocks', 'set_on_boot', 'blocked']
VdiType = Literal['system', 'user', 'ephemeral', 'suspend', 'crashdump', 'ha_statefile', 'metadata', 'redo_log', 'rrd', 'pvs_cache', 'cbt_metadata']
VifIpv4ConfigurationMode = Literal['None', 'Static']
VifIpv6ConfigurationMode = Literal['None', 'Static']
VifLockingMode = Literal['network_default', 'locked', 'unlocked', 'disabled']
VifOperations = Literal['attach', 'plug', 'unplug']
VmOperations = Literal['snapshot', 'clone', 'copy', 'create_template', 'revert', 'checkpoint', 'snapshot_with_quiesce', 'provision', 'start', 'start_on', 'pause', 'unpause', 'clean_shutdown', 'clean_reboot', 'hard_shutdown', 'power_state_reset', 'hard_reboot', 'suspend', 'csvm', 'resume', 'resume_on', 'pool_migrate', 'migrate_send', 'get_boot_record', 'send_sysrq', 'send_trigger', 'query_services', 'shutdown', 'call_plugin', 'changing_memory_live', 'awaiting_memory_live', 'changing_dynamic_range', 'changing_static_range', 'changing_memory_limits', 'changing_shadow_memory', 'changing_shadow_memory_live', 'changing_VCPUs', 'changing_VCPUs_live', 'changing_NVRAM', 'assert_operation_valid', 'data_source_op', 'update_allowed_operations', 'make_into_template', 'import', 'export', 'metadata_export', 'reverting', 'destroy', 'create_vtpm']
VmPowerState = Literal['Halted', 'Paused', 'Running', 'Suspended']

# -- records: what get_record returns, and what create accepts

BlobRecord = TypedDict("BlobRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'size': int, 'public': bool, 'last_updated': str, 'mime_type': str})
ConsoleRecord = TypedDict("ConsoleRecord", {'uuid': str, 'protocol': ConsoleProtocol, 'location': str, 'VM': VMRef, 'other_config': dict[str, str]})
ConsoleRecordInput = TypedDict("ConsoleRecordInput", {'other_config': dict[str, str]}, total=False)
DataSourceRecord = TypedDict("DataSourceRecord", {'name_label': str, 'name_description': str, 'enabled': bool, 'standard': bool, 'units': str, 'min': float, 'max': float, 'value': float})
EventRecord = TypedDict("EventRecord", {'snapshot': dict[str, Any], 'id': int, 'timestamp': str, 'class': str, 'operation': EventOperation, 'ref': str, 'obj_uuid': str})
HostRecord = TypedDict("HostRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'memory_overhead': int, 'allowed_operations': list[HostAllowedOperations], 'current_operations': dict[str, HostAllowedOperations], 'API_version_major': int, 'API_version_minor': int, 'API_version_vendor': str, 'API_version_vendor_implementation': dict[str, str], 'enabled': bool, 'software_version': dict[str, str], 'other_config': dict[str, str], 'capabilities': list[str], 'cpu_configuration': dict[str, str], 'sched_policy': str, 'supported_bootloaders': list[str], 'resident_VMs': list[VMRef], 'logging': dict[str, str], 'PIFs': list[PIFRef], 'suspend_image_sr': SRRef, 'crash_dump_sr': SRRef, 'crashdumps': list[str], 'patches': list[str], 'updates': list[str], 'PBDs': list[PBDRef], 'host_CPUs': list[HostCpuRef], 'cpu_info': dict[str, str], 'hostname': str, 'address': str, 'metrics': HostMetricsRef, 'license_params': dict[str, str], 'ha_statefiles': list[str], 'ha_network_peers': list[str], 'blobs': dict[str, BlobRef], 'tags': list[str], 'external_auth_type': str, 'external_auth_service_name': str, 'external_auth_configuration': dict[str, str], 'edition': str, 'license_server': dict[str, str], 'bios_strings': dict[str, str], 'power_on_mode': str, 'power_on_config': dict[str, str], 'local_cache_sr': SRRef, 'chipset_info': dict[str, str], 'PCIs': list[str], 'PGPUs': list[str], 'PUSBs': list[str], 'ssl_legacy': bool, 'guest_VCPUs_params': dict[str, str], 'display': HostDisplay, 'virtual_hardware_platform_versions': list[int], 'control_domain': VMRef, 'updates_requiring_reboot': list[str], 'features': list[str], 'iscsi_iqn': str, 'multipathing': bool, 'uefi_certificates': str, 'certificates': list[str], 'editions': list[str], 'pending_guidances': list[UpdateGuidances], 'tls_verification_enabled': bool, 'last_software_update': str, 'https_only': bool, 'latest_synced_updates_applied': LatestSyncedUpdatesAppliedState, 'numa_affinity_policy': HostNumaAffinityPolicy, 'pending_guidances_recommended': list[UpdateGuidances], 'pending_guidances_full': list[UpdateGuidances], 'last_update_hash': str})
HostCpuRecord = TypedDict("HostCpuRecord", {'uuid': str, 'host': HostRef, 'number': int, 'vendor': str, 'speed': int, 'modelname': str, 'family': int, 'model': int, 'stepping': str, 'flags': str, 'features': str, 'utilisation': float, 'other_config': dict[str, str]})
HostMetricsRecord = TypedDict("HostMetricsRecord", {'uuid': str, 'memory_total': int, 'memory_free': int, 'live': bool, 'last_updated': str, 'other_config': dict[str, str]})
MessageRecord = TypedDict("MessageRecord", {'uuid': str, 'name': str, 'priority': int, 'cls': Cls, 'obj_uuid': str, 'timestamp': str, 'body': str})
NetworkRecord = TypedDict("NetworkRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'allowed_operations': list[NetworkOperations], 'current_operations': dict[str, NetworkOperations], 'VIFs': list[VIFRef], 'PIFs': list[PIFRef], 'MTU': int, 'other_config': dict[str, str], 'bridge': str, 'managed': bool, 'blobs': dict[str, BlobRef], 'tags': list[str], 'default_locking_mode': NetworkDefaultLockingMode, 'assigned_ips': dict[VIFRef, str], 'purpose': list[NetworkPurpose]})
NetworkRecordInput = TypedDict("NetworkRecordInput", {'name_label': str, 'name_description': str, 'MTU': int, 'other_config': dict[str, str], 'bridge': str, 'managed': bool, 'tags': list[str]}, total=False)
PBDRecord = TypedDict("PBDRecord", {'uuid': str, 'host': HostRef, 'SR': SRRef, 'device_config': dict[str, str], 'currently_attached': bool, 'other_config': dict[str, str]})
PBDRecordInput = TypedDict("PBDRecordInput", {'host': HostRef, 'SR': SRRef, 'device_config': dict[str, str], 'other_config': dict[str, str]}, total=False)
PIFRecord = TypedDict("PIFRecord", {'uuid': str, 'device': str, 'network': NetworkRef, 'host': HostRef, 'MAC': str, 'MTU': int, 'VLAN': int, 'metrics': str, 'physical': bool, 'currently_attached': bool, 'ip_configuration_mode': IpConfigurationMode, 'IP': str, 'netmask': str, 'gateway': str, 'DNS': str, 'bond_slave_of': str, 'bond_master_of': list[str], 'VLAN_master_of': str, 'VLAN_slave_of': list[str], 'management': bool, 'other_config': dict[str, str], 'disallow_unplug': bool, 'tunnel_access_PIF_of': list[str], 'tunnel_transport_PIF_of': list[str], 'ipv6_configuration_mode': Ipv6ConfigurationMode, 'IPv6': list[str], 'ipv6_gateway': str, 'primary_address_type': PrimaryAddressType, 'managed': bool, 'properties': dict[str, str], 'capabilities': list[str], 'igmp_snooping_status': PifIgmpStatus, 'sriov_physical_PIF_of': list[str], 'sriov_logical_PIF_of': list[str], 'PCI': str})
PoolRecord = TypedDict("PoolRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'master': HostRef, 'default_SR': SRRef, 'suspend_image_SR': SRRef, 'crash_dump_SR': SRRef, 'other_config': dict[str, str], 'ha_enabled': bool, 'ha_configuration': dict[str, str], 'ha_statefiles': list[str], 'ha_host_failures_to_tolerate': int, 'ha_plan_exists_for': int, 'ha_allow_overcommit': bool, 'ha_overcommitted': bool, 'blobs': dict[str, BlobRef], 'tags': list[str], 'gui_config': dict[str, str], 'health_check_config': dict[str, str], 'wlb_url': str, 'wlb_username': str, 'wlb_enabled': bool, 'wlb_verify_cert': bool, 'redo_log_enabled': bool, 'redo_log_vdi': VDIRef, 'vswitch_controller': str, 'restrictions': dict[str, str], 'metadata_VDIs': list[VDIRef], 'ha_cluster_stack': str, 'allowed_operations': list[PoolAllowedOperations], 'current_operations': dict[str, PoolAllowedOperations], 'guest_agent_config': dict[str, str], 'cpu_info': dict[str, str], 'policy_no_vendor_device': bool, 'live_patching_disabled': bool, 'igmp_snooping_enabled': bool, 'uefi_certificates': str, 'custom_uefi_certificates': str, 'is_psr_pending': bool, 'tls_verification_enabled': bool, 'repositories': list[str], 'client_certificate_auth_enabled': bool, 'client_certificate_auth_name': str, 'repository_proxy_url': str, 'repository_proxy_username': str, 'repository_proxy_password': str, 'migration_compression': bool, 'coordinator_bias': bool, 'local_auth_max_threads': int, 'ext_auth_max_threads': int, 'telemetry_uuid': str, 'telemetry_frequency': TelemetryFrequency, 'telemetry_next_collection': str, 'last_update_sync': str, 'update_sync_frequency': UpdateSyncFrequency, 'update_sync_day': int, 'update_sync_enabled': bool})
RoleRecord = TypedDict("RoleRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'subroles': list[RoleRef], 'is_internal': bool})
SessionRecord = TypedDict("SessionRecord", {'uuid': str, 'this_host': HostRef, 'this_user': UserRef, 'last_active': str, 'pool': bool, 'other_config': dict[str, str], 'is_local_superuser': bool, 'subject': str, 'validation_time': str, 'auth_user_sid': str, 'auth_user_name': str, 'rbac_permissions': list[str], 'tasks': list[TaskRef], 'parent': SessionRef, 'originator': str, 'client_certificate': bool})
SMRecord = TypedDict("SMRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'type': str, 'vendor': str, 'copyright': str, 'version': str, 'required_api_version': str, 'configuration': dict[str, str], 'capabilities': list[str], 'features': dict[str, int], 'other_config': dict[str, str], 'driver_filename': str, 'required_cluster_stack': list[str]})
SRRecord = TypedDict("SRRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'allowed_operations': list[StorageOperations], 'current_operations': dict[str, StorageOperations], 'VDIs': list[VDIRef], 'PBDs': list[PBDRef], 'virtual_allocation': int, 'physical_utilisation': int, 'physical_size': int, 'type': str, 'content_type': str, 'shared': bool, 'other_config': dict[str, str], 'tags': list[str], 'sm_config': dict[str, str], 'blobs': dict[str, BlobRef], 'local_cache_enabled': bool, 'introduced_by': str, 'clustered': bool, 'is_tools_sr': bool})
TaskRecord = TypedDict("TaskRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'allowed_operations': list[TaskAllowedOperations], 'current_operations': dict[str, TaskAllowedOperations], 'created': str, 'finished': str, 'status': TaskStatusType, 'resident_on': HostRef, 'progress': float, 'type': str, 'result': str, 'error_info': list[str], 'other_config': dict[str, str], 'subtask_of': TaskRef, 'subtasks': list[TaskRef], 'backtrace': str})
UserRecord = TypedDict("UserRecord", {'uuid': str, 'short_name': str, 'fullname': str, 'other_config': dict[str, str]})
UserRecordInput = TypedDict("UserRecordInput", {'short_name': str, 'fullname': str, 'other_config': dict[str, str]}, total=False)
VBDRecord = TypedDict("VBDRecord", {'uuid': str, 'allowed_operations': list[VbdOperations], 'current_operations': dict[str, VbdOperations], 'VM': VMRef, 'VDI': VDIRef, 'device': str, 'userdevice': str, 'bootable': bool, 'mode': VbdMode, 'type': VbdType, 'unpluggable': bool, 'storage_lock': bool, 'empty': bool, 'other_config': dict[str, str], 'currently_attached': bool, 'status_code': int, 'status_detail': str, 'runtime_properties': dict[str, str], 'qos_algorithm_type': str, 'qos_algorithm_params': dict[str, str], 'qos_supported_algorithms': list[str], 'metrics': VBDMetricsRef})
VBDRecordInput = TypedDict("VBDRecordInput", {'VM': VMRef, 'VDI': VDIRef, 'device': str, 'userdevice': str, 'bootable': bool, 'mode': VbdMode, 'type': VbdType, 'unpluggable': bool, 'empty': bool, 'other_config': dict[str, str], 'currently_attached': bool, 'qos_algorithm_type': str, 'qos_algorithm_params': dict[str, str]}, total=False)
VBDMetricsRecord = TypedDict("VBDMetricsRecord", {'uuid': str, 'io_read_kbs': float, 'io_write_kbs': float, 'last_updated': str, 'other_config': dict[str, str]})
VDIRecord = TypedDict("VDIRecord", {'uuid': str, 'name_label': str, 'name_description': str, 'allowed_operations': list[VdiOperations], 'current_operations': dict[str, VdiOperations], 'SR': SRRef, 'VBDs': list[VBDRef], 'crash_dumps': list[str], 'virtual_size': int, 'physical_utilisation': int, 'type': VdiType, 'sharable': bool, 'read_only': bool, 'other_config': dict[str, str], 'storage_lock': bool, 'location': str, 'managed': bool, 'missing': bool, 'parent': VDIRef, 'xenstore_data': dict[str, str], 'sm_config': dict[str, str], 'is_a_snapshot': bool, 'snapshot_of': VDIRef, 'snapshots': list[VDIRef], 'snapshot_time': str, 'tags': list[str], 'allow_caching': bool, 'on_boot': OnBoot, 'metadata_of_pool': PoolRef, 'metadata_latest': bool, 'is_tools_iso': bool, 'cbt_enabled': bool})
VDIRecordInput = TypedDict("VDIRecordInput", {'name_label': str, 'name_description': str, 'SR': SRRef, 'virtual_size': int, 'type': VdiType, 'sharable': bool, 'read_only': bool, 'other_config': dict[str, str], 'xenstore_data': dict[str, str], 'sm_config': dict[str, str], 'tags': list[str]}, total=False)
VIFRecord = TypedDict("VIFRecord", {'uuid': str, 'allowed_operations': list[VifOperations], 'current_operations': dict[str, VifOperations], 'device': str, 'network': NetworkRef, 'VM': VMRef, 'MAC': str, 'MTU': int, 'other_config': dict[str, str], 'currently_attached': bool, 'status_code': int, 'status_detail': str, 'runtime_properties': dict[str, str], 'qos_algorithm_type': str, 'qos_algorithm_params': dict[str, str], 'qos_supported_algorithms': list[str], 'metrics': str, 'MAC_autogenerated': bool, 'locking_mode': VifLockingMode, 'ipv4_allowed': list[str], 'ipv6_allowed': list[str], 'ipv4_configuration_mode': VifIpv4ConfigurationMode, 'ipv4_addresses': list[str], 'ipv4_gateway': str, 'ipv6_configuration_mode': VifIpv6ConfigurationMode, 'ipv6_addresses': list[str], 'ipv6_gateway': str})
VIFRecordInput = TypedDict("VIFRecordInput", {'device': str, 'network': NetworkRef, 'VM': VMRef, 'MAC': str, 'MTU': int, 'other_config': dict[str, str], 'currently_attached': bool, 'qos_algorithm_type': str, 'qos_algorithm_params': dict[str, str], 'locking_mode': VifLockingMode, 'ipv4_allowed': list[str], 'ipv6_allowed': list[str]}, total=False)
VMRecord = TypedDict("VMRecord", {'uuid': str, 'allowed_operations': list[VmOperations], 'current_operations': dict[str, VmOperations], 'name_label': str, 'name_description': str, 'power_state': VmPowerState, 'user_version': int, 'is_a_template': bool, 'is_default_template': bool, 'suspend_VDI': VDIRef, 'resident_on': HostRef, 'scheduled_to_be_resident_on': HostRef, 'affinity': HostRef, 'memory_overhead': int, 'memory_target': int, 'memory_static_max': int, 'memory_dynamic_max': int, 'memory_dynamic_min': int, 'memory_static_min': int, 'VCPUs_params': dict[str, str], 'VCPUs_max': int, 'VCPUs_at_startup': int, 'actions_after_softreboot': OnSoftrebootBehavior, 'actions_after_shutdown': OnNormalExit, 'actions_after_reboot': OnNormalExit, 'actions_after_crash': OnCrashBehaviour, 'consoles': list[ConsoleRef], 'VIFs': list[VIFRef], 'VBDs': list[VBDRef], 'VUSBs': list[str], 'crash_dumps': list[str], 'VTPMs': list[str], 'PV_bootloader': str, 'PV_kernel': str, 'PV_ramdisk': str, 'PV_args': str, 'PV_bootloader_args': str, 'PV_legacy_args': str, 'HVM_boot_policy': str, 'HVM_boot_params': dict[str, str], 'HVM_shadow_multiplier': float, 'platform': dict[str, str], 'PCI_bus': str, 'other_config': dict[str, str], 'domid': int, 'domarch': str, 'last_boot_CPU_flags': dict[str, str], 'is_control_domain': bool, 'metrics': VMMetricsRef, 'guest_metrics': VMGuestMetricsRef, 'last_booted_record': str, 'recommendations': str, 'xenstore_data': dict[str, str], 'ha_always_run': bool, 'ha_restart_priority': str, 'is_a_snapshot': bool, 'snapshot_of': VMRef, 'snapshots': list[VMRef], 'snapshot_time': str, 'transportable_snapshot_id': str, 'blobs': dict[str, BlobRef], 'tags': list[str], 'blocked_operations': dict[VmOperations, str], 'snapshot_info': dict[str, str], 'snapshot_metadata': str, 'parent': VMRef, 'children': list[VMRef], 'bios_strings': dict[str, str], 'protection_policy': str, 'is_snapshot_from_vmpp': bool, 'snapshot_schedule': str, 'is_vmss_snapshot': bool, 'appliance': str, 'start_delay': int, 'shutdown_delay': int, 'order': int, 'VGPUs': list[str], 'attached_PCIs': list[str], 'suspend_SR': SRRef, 'version': int, 'generation_id': str, 'hardware_platform_version': int, 'has_vendor_device': bool, 'requires_reboot': bool, 'reference_label': str, 'domain_type': DomainType, 'NVRAM': dict[str, str], 'pending_guidances': list[UpdateGuidances], 'pending_guidances_recommended': list[UpdateGuidances], 'pending_guidances_full': list[UpdateGuidances]})
VMRecordInput = TypedDict("VMRecordInput", {'name_label': str, 'name_description': str, 'power_state': VmPowerState, 'user_version': int, 'is_a_template': bool, 'suspend_VDI': VDIRef, 'affinity': HostRef, 'memory_target': int, 'memory_static_max': int, 'memory_dynamic_max': int, 'memory_dynamic_min': int, 'memory_static_min': int, 'VCPUs_params': dict[str, str], 'VCPUs_max': int, 'VCPUs_at_startup': int, 'actions_after_softreboot': OnSoftrebootBehavior, 'actions_after_shutdown': OnNormalExit, 'actions_after_reboot': OnNormalExit, 'actions_after_crash': OnCrashBehaviour, 'PV_bootloader': str, 'PV_kernel': str, 'PV_ramdisk': str, 'PV_args': str, 'PV_bootloader_args': str, 'PV_legacy_args': str, 'HVM_boot_policy': str, 'HVM_boot_params': dict[str, str], 'HVM_shadow_multiplier': float, 'platform': dict[str, str], 'PCI_bus': str, 'other_config': dict[str, str], 'last_boot_CPU_flags': dict[str, str], 'last_booted_record': str, 'recommendations': str, 'xenstore_data': dict[str, str], 'ha_always_run': bool, 'ha_restart_priority': str, 'tags': list[str], 'blocked_operations': dict[VmOperations, str], 'protection_policy': str, 'is_snapshot_from_vmpp': bool, 'snapshot_schedule': str, 'is_vmss_snapshot': bool, 'appliance': str, 'start_delay': int, 'shutdown_delay': int, 'order': int, 'suspend_SR': SRRef, 'version': int, 'generation_id': str, 'hardware_platform_version': int, 'has_vendor_device': bool, 'reference_label': str, 'domain_type': DomainType, 'NVRAM': dict[str, str]}, total=False)
VMGuestMetricsRecord = TypedDict("VMGuestMetricsRecord", {'uuid': str, 'os_version': dict[str, str], 'PV_drivers_version': dict[str, str], 'PV_drivers_up_to_date': bool, 'memory': dict[str, str], 'disks': dict[str, str], 'networks': dict[str, str], 'other': dict[str, str], 'last_updated': str, 'other_config': dict[str, str], 'live': bool, 'can_use_hotplug_vbd': TristateType, 'can_use_hotplug_vif': TristateType, 'PV_drivers_detected': bool})
VMMetricsRecord = TypedDict("VMMetricsRecord", {'uuid': str, 'memory_actual': int, 'VCPUs_number': int, 'VCPUs_utilisation': dict[int, float], 'VCPUs_CPU': dict[int, int], 'VCPUs_params': dict[str, str], 'VCPUs_flags': dict[int, list[str]], 'state': list[str], 'start_time': str, 'install_time': str, 'last_updated': str, 'other_config': dict[str, str], 'hvm': bool, 'nested_virt': bool, 'nomigrate': bool, 'current_domain_type': DomainType})


class BlobApi:
    """The messages of ``blob``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: BlobRef) -> BlobRecord:
        """``blob.get_record``"""
        return cast('BlobRecord', self._call('blob.get_record', self_))

    def get_by_uuid(self, uuid: str) -> BlobRef:
        """``blob.get_by_uuid``"""
        return cast('BlobRef', self._call('blob.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[BlobRef]:
        """``blob.get_by_name_label``"""
        return cast('list[BlobRef]', self._call('blob.get_by_name_label', label))

    def get_all(self) -> list[BlobRef]:
        """``blob.get_all``"""
        return cast('list[BlobRef]', self._call('blob.get_all'))

    def get_all_records(self) -> dict[BlobRef, BlobRecord]:
        """``blob.get_all_records``"""
        return cast('dict[BlobRef, BlobRecord]', self._call('blob.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[BlobRef, BlobRecord]:
        """``blob.get_all_records_where``"""
        return cast('dict[BlobRef, BlobRecord]', self._call('blob.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[BlobRef]:
        """``blob.get_all_where``"""
        return cast('list[BlobRef]', self._call('blob.get_all_where', expr))

    def get_uuid(self, self_: BlobRef) -> str:
        """``blob.get_uuid``"""
        return cast('str', self._call('blob.get_uuid', self_))

    def get_name_label(self, self_: BlobRef) -> str:
        """``blob.get_name_label``"""
        return cast('str', self._call('blob.get_name_label', self_))

    def set_name_label(self, self_: BlobRef, value: str) -> None:
        """``blob.set_name_label``"""
        return cast('None', self._call('blob.set_name_label', self_, value))

    def get_name_description(self, self_: BlobRef) -> str:
        """``blob.get_name_description``"""
        return cast('str', self._call('blob.get_name_description', self_))

    def set_name_description(self, self_: BlobRef, value: str) -> None:
        """``blob.set_name_description``"""
        return cast('None', self._call('blob.set_name_description', self_, value))

    def get_size(self, self_: BlobRef) -> int:
        """``blob.get_size``"""
        return cast('int', self._call('blob.get_size', self_))

    def get_public(self, self_: BlobRef) -> bool:
        """``blob.get_public``"""
        return cast('bool', self._call('blob.get_public', self_))

    def set_public(self, self_: BlobRef, value: bool) -> None:
        """``blob.set_public``"""
        return cast('None', self._call('blob.set_public', self_, value))

    def get_last_updated(self, self_: BlobRef) -> str:
        """``blob.get_last_updated``"""
        return cast('str', self._call('blob.get_last_updated', self_))

    def get_mime_type(self, self_: BlobRef) -> str:
        """``blob.get_mime_type``"""
        return cast('str', self._call('blob.get_mime_type', self_))

    def create(self, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a binary blob"""
        return cast('BlobRef', self._call('blob.create', mime_type, public))

    def destroy(self, self_: BlobRef) -> None:
        """``blob.destroy``"""
        return cast('None', self._call('blob.destroy', self_))

class ConsoleApi:
    """The messages of ``console``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: ConsoleRef) -> ConsoleRecord:
        """``console.get_record``"""
        return cast('ConsoleRecord', self._call('console.get_record', self_))

    def get_by_uuid(self, uuid: str) -> ConsoleRef:
        """``console.get_by_uuid``"""
        return cast('ConsoleRef', self._call('console.get_by_uuid', uuid))

    def get_all(self) -> list[ConsoleRef]:
        """``console.get_all``"""
        return cast('list[ConsoleRef]', self._call('console.get_all'))

    def get_all_records(self) -> dict[ConsoleRef, ConsoleRecord]:
        """``console.get_all_records``"""
        return cast('dict[ConsoleRef, ConsoleRecord]', self._call('console.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[ConsoleRef, ConsoleRecord]:
        """``console.get_all_records_where``"""
        return cast('dict[ConsoleRef, ConsoleRecord]', self._call('console.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[ConsoleRef]:
        """``console.get_all_where``"""
        return cast('list[ConsoleRef]', self._call('console.get_all_where', expr))

    def create(self, args: ConsoleRecordInput) -> ConsoleRef:
        """``console.create``"""
        return cast('ConsoleRef', self._call('console.create', args))

    def destroy(self, self_: ConsoleRef) -> None:
        """``console.destroy``"""
        return cast('None', self._call('console.destroy', self_))

    def get_uuid(self, self_: ConsoleRef) -> str:
        """``console.get_uuid``"""
        return cast('str', self._call('console.get_uuid', self_))

    def get_protocol(self, self_: ConsoleRef) -> ConsoleProtocol:
        """``console.get_protocol``"""
        return cast('ConsoleProtocol', self._call('console.get_protocol', self_))

    def get_location(self, self_: ConsoleRef) -> str:
        """``console.get_location``"""
        return cast('str', self._call('console.get_location', self_))

    def get_VM(self, self_: ConsoleRef) -> VMRef:
        """``console.get_VM``"""
        return cast('VMRef', self._call('console.get_VM', self_))

    def get_other_config(self, self_: ConsoleRef) -> dict[str, str]:
        """``console.get_other_config``"""
        return cast('dict[str, str]', self._call('console.get_other_config', self_))

    def set_other_config(self, self_: ConsoleRef, value: dict[str, str]) -> None:
        """``console.set_other_config``"""
        return cast('None', self._call('console.set_other_config', self_, value))

    def add_to_other_config(self, self_: ConsoleRef, key: str, value: str) -> None:
        """``console.add_to_other_config``"""
        return cast('None', self._call('console.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: ConsoleRef, key: str) -> None:
        """``console.remove_from_other_config``"""
        return cast('None', self._call('console.remove_from_other_config', self_, key))

class DataSourceApi:
    """The messages of ``data_source``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

class EventApi:
    """The messages of ``event``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def inject(self, class_: str, ref: str) -> str:
        """Injects an artificial event on the given object and returns the corresponding ID in the form of a token, which can be used as a point of reference for database events. For example, to check whether an object has reached the right state before attempting an operation, one can inject an artificial event on the object and wait until the token returned by consecutive event.from calls is lexicographically greater than the one returned by event.inject."""
        return cast('str', self._call('event.inject', class_, ref))

    def get_current_id(self) -> int:
        """Return the ID of the next event to be generated by the system"""
        return cast('int', self._call('event.get_current_id'))

    def from_(self, classes: list[str], token: str, timeout: float) -> EventBatch:
        """Blocking call which returns a new token and a (possibly empty) batch of events. The returned token can be used in subsequent calls to this function."""
        return cast('EventBatch', self._call('event.from', classes, token, timeout))

    def next(self) -> list[EventRecord]:
        """Blocking call which returns a (possibly empty) batch of events. This method is only recommended for legacy use. New development should use event.from which supercedes this method."""
        return cast('list[EventRecord]', self._call('event.next'))

    def unregister(self, classes: list[str]) -> None:
        """Removes this session's registration with the event system for a set of given classes. This method is only recommended for legacy use in conjunction with event.next."""
        return cast('None', self._call('event.unregister', classes))

    def register(self, classes: list[str]) -> None:
        """Registers this session with the event system for a set of given classes. This method is only recommended for legacy use in conjunction with event.next."""
        return cast('None', self._call('event.register', classes))

class HostApi:
    """The messages of ``host``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: HostRef) -> HostRecord:
        """``host.get_record``"""
        return cast('HostRecord', self._call('host.get_record', self_))

    def get_by_uuid(self, uuid: str) -> HostRef:
        """``host.get_by_uuid``"""
        return cast('HostRef', self._call('host.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[HostRef]:
        """``host.get_by_name_label``"""
        return cast('list[HostRef]', self._call('host.get_by_name_label', label))

    def get_all(self) -> list[HostRef]:
        """``host.get_all``"""
        return cast('list[HostRef]', self._call('host.get_all'))

    def get_all_records(self) -> dict[HostRef, HostRecord]:
        """``host.get_all_records``"""
        return cast('dict[HostRef, HostRecord]', self._call('host.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[HostRef, HostRecord]:
        """``host.get_all_records_where``"""
        return cast('dict[HostRef, HostRecord]', self._call('host.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[HostRef]:
        """``host.get_all_where``"""
        return cast('list[HostRef]', self._call('host.get_all_where', expr))

    def get_uuid(self, self_: HostRef) -> str:
        """``host.get_uuid``"""
        return cast('str', self._call('host.get_uuid', self_))

    def get_name_label(self, self_: HostRef) -> str:
        """``host.get_name_label``"""
        return cast('str', self._call('host.get_name_label', self_))

    def set_name_label(self, self_: HostRef, value: str) -> None:
        """``host.set_name_label``"""
        return cast('None', self._call('host.set_name_label', self_, value))

    def get_name_description(self, self_: HostRef) -> str:
        """``host.get_name_description``"""
        return cast('str', self._call('host.get_name_description', self_))

    def set_name_description(self, self_: HostRef, value: str) -> None:
        """``host.set_name_description``"""
        return cast('None', self._call('host.set_name_description', self_, value))

    def get_memory_overhead(self, self_: HostRef) -> int:
        """``host.get_memory_overhead``"""
        return cast('int', self._call('host.get_memory_overhead', self_))

    def get_allowed_operations(self, self_: HostRef) -> list[HostAllowedOperations]:
        """``host.get_allowed_operations``"""
        return cast('list[HostAllowedOperations]', self._call('host.get_allowed_operations', self_))

    def get_current_operations(self, self_: HostRef) -> dict[str, HostAllowedOperations]:
        """``host.get_current_operations``"""
        return cast('dict[str, HostAllowedOperations]', self._call('host.get_current_operations', self_))

    def get_API_version_major(self, self_: HostRef) -> int:
        """``host.get_API_version_major``"""
        return cast('int', self._call('host.get_API_version_major', self_))

    def get_API_version_minor(self, self_: HostRef) -> int:
        """``host.get_API_version_minor``"""
        return cast('int', self._call('host.get_API_version_minor', self_))

    def get_API_version_vendor(self, self_: HostRef) -> str:
        """``host.get_API_version_vendor``"""
        return cast('str', self._call('host.get_API_version_vendor', self_))

    def get_API_version_vendor_implementation(self, self_: HostRef) -> dict[str, str]:
        """``host.get_API_version_vendor_implementation``"""
        return cast('dict[str, str]', self._call('host.get_API_version_vendor_implementation', self_))

    def get_enabled(self, self_: HostRef) -> bool:
        """``host.get_enabled``"""
        return cast('bool', self._call('host.get_enabled', self_))

    def get_software_version(self, self_: HostRef) -> dict[str, str]:
        """``host.get_software_version``"""
        return cast('dict[str, str]', self._call('host.get_software_version', self_))

    def get_other_config(self, self_: HostRef) -> dict[str, str]:
        """``host.get_other_config``"""
        return cast('dict[str, str]', self._call('host.get_other_config', self_))

    def set_other_config(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_other_config``"""
        return cast('None', self._call('host.set_other_config', self_, value))

    def add_to_other_config(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_other_config``"""
        return cast('None', self._call('host.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_other_config``"""
        return cast('None', self._call('host.remove_from_other_config', self_, key))

    def get_capabilities(self, self_: HostRef) -> list[str]:
        """``host.get_capabilities``"""
        return cast('list[str]', self._call('host.get_capabilities', self_))

    def get_cpu_configuration(self, self_: HostRef) -> dict[str, str]:
        """``host.get_cpu_configuration``"""
        return cast('dict[str, str]', self._call('host.get_cpu_configuration', self_))

    def get_sched_policy(self, self_: HostRef) -> str:
        """``host.get_sched_policy``"""
        return cast('str', self._call('host.get_sched_policy', self_))

    def get_supported_bootloaders(self, self_: HostRef) -> list[str]:
        """``host.get_supported_bootloaders``"""
        return cast('list[str]', self._call('host.get_supported_bootloaders', self_))

    def get_resident_VMs(self, self_: HostRef) -> list[VMRef]:
        """``host.get_resident_VMs``"""
        return cast('list[VMRef]', self._call('host.get_resident_VMs', self_))

    def get_logging(self, self_: HostRef) -> dict[str, str]:
        """``host.get_logging``"""
        return cast('dict[str, str]', self._call('host.get_logging', self_))

    def set_logging(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_logging``"""
        return cast('None', self._call('host.set_logging', self_, value))

    def add_to_logging(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_logging``"""
        return cast('None', self._call('host.add_to_logging', self_, key, value))

    def remove_from_logging(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_logging``"""
        return cast('None', self._call('host.remove_from_logging', self_, key))

    def get_PIFs(self, self_: HostRef) -> list[PIFRef]:
        """``host.get_PIFs``"""
        return cast('list[PIFRef]', self._call('host.get_PIFs', self_))

    def get_suspend_image_sr(self, self_: HostRef) -> SRRef:
        """``host.get_suspend_image_sr``"""
        return cast('SRRef', self._call('host.get_suspend_image_sr', self_))

    def set_suspend_image_sr(self, self_: HostRef, value: SRRef) -> None:
        """``host.set_suspend_image_sr``"""
        return cast('None', self._call('host.set_suspend_image_sr', self_, value))

    def get_crash_dump_sr(self, self_: HostRef) -> SRRef:
        """``host.get_crash_dump_sr``"""
        return cast('SRRef', self._call('host.get_crash_dump_sr', self_))

    def set_crash_dump_sr(self, self_: HostRef, value: SRRef) -> None:
        """``host.set_crash_dump_sr``"""
        return cast('None', self._call('host.set_crash_dump_sr', self_, value))

    def get_crashdumps(self, self_: HostRef) -> list[str]:
        """``host.get_crashdumps``"""
        return cast('list[str]', self._call('host.get_crashdumps', self_))

    def get_patches(self, self_: HostRef) -> list[str]:
        """``host.get_patches``"""
        return cast('list[str]', self._call('host.get_patches', self_))

    def get_updates(self, self_: HostRef) -> list[str]:
        """``host.get_updates``"""
        return cast('list[str]', self._call('host.get_updates', self_))

    def get_PBDs(self, self_: HostRef) -> list[PBDRef]:
        """``host.get_PBDs``"""
        return cast('list[PBDRef]', self._call('host.get_PBDs', self_))

    def get_host_CPUs(self, self_: HostRef) -> list[HostCpuRef]:
        """``host.get_host_CPUs``"""
        return cast('list[HostCpuRef]', self._call('host.get_host_CPUs', self_))

    def get_cpu_info(self, self_: HostRef) -> dict[str, str]:
        """``host.get_cpu_info``"""
        return cast('dict[str, str]', self._call('host.get_cpu_info', self_))

    def get_hostname(self, self_: HostRef) -> str:
        """``host.get_hostname``"""
        return cast('str', self._call('host.get_hostname', self_))

    def set_hostname(self, self_: HostRef, value: str) -> None:
        """``host.set_hostname``"""
        return cast('None', self._call('host.set_hostname', self_, value))

    def get_address(self, self_: HostRef) -> str:
        """``host.get_address``"""
        return cast('str', self._call('host.get_address', self_))

    def set_address(self, self_: HostRef, value: str) -> None:
        """``host.set_address``"""
        return cast('None', self._call('host.set_address', self_, value))

    def get_metrics(self, self_: HostRef) -> HostMetricsRef:
        """``host.get_metrics``"""
        return cast('HostMetricsRef', self._call('host.get_metrics', self_))

    def get_license_params(self, self_: HostRef) -> dict[str, str]:
        """``host.get_license_params``"""
        return cast('dict[str, str]', self._call('host.get_license_params', self_))

    def get_ha_statefiles(self, self_: HostRef) -> list[str]:
        """``host.get_ha_statefiles``"""
        return cast('list[str]', self._call('host.get_ha_statefiles', self_))

    def get_ha_network_peers(self, self_: HostRef) -> list[str]:
        """``host.get_ha_network_peers``"""
        return cast('list[str]', self._call('host.get_ha_network_peers', self_))

    def get_blobs(self, self_: HostRef) -> dict[str, BlobRef]:
        """``host.get_blobs``"""
        return cast('dict[str, BlobRef]', self._call('host.get_blobs', self_))

    def get_tags(self, self_: HostRef) -> list[str]:
        """``host.get_tags``"""
        return cast('list[str]', self._call('host.get_tags', self_))

    def set_tags(self, self_: HostRef, value: list[str]) -> None:
        """``host.set_tags``"""
        return cast('None', self._call('host.set_tags', self_, value))

    def add_tags(self, self_: HostRef, value: str) -> None:
        """``host.add_tags``"""
        return cast('None', self._call('host.add_tags', self_, value))

    def remove_tags(self, self_: HostRef, value: str) -> None:
        """``host.remove_tags``"""
        return cast('None', self._call('host.remove_tags', self_, value))

    def get_external_auth_type(self, self_: HostRef) -> str:
        """``host.get_external_auth_type``"""
        return cast('str', self._call('host.get_external_auth_type', self_))

    def get_external_auth_service_name(self, self_: HostRef) -> str:
        """``host.get_external_auth_service_name``"""
        return cast('str', self._call('host.get_external_auth_service_name', self_))

    def get_external_auth_configuration(self, self_: HostRef) -> dict[str, str]:
        """``host.get_external_auth_configuration``"""
        return cast('dict[str, str]', self._call('host.get_external_auth_configuration', self_))

    def get_edition(self, self_: HostRef) -> str:
        """``host.get_edition``"""
        return cast('str', self._call('host.get_edition', self_))

    def get_license_server(self, self_: HostRef) -> dict[str, str]:
        """``host.get_license_server``"""
        return cast('dict[str, str]', self._call('host.get_license_server', self_))

    def set_license_server(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_license_server``"""
        return cast('None', self._call('host.set_license_server', self_, value))

    def add_to_license_server(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_license_server``"""
        return cast('None', self._call('host.add_to_license_server', self_, key, value))

    def remove_from_license_server(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_license_server``"""
        return cast('None', self._call('host.remove_from_license_server', self_, key))

    def get_bios_strings(self, self_: HostRef) -> dict[str, str]:
        """``host.get_bios_strings``"""
        return cast('dict[str, str]', self._call('host.get_bios_strings', self_))

    def get_power_on_mode(self, self_: HostRef) -> str:
        """``host.get_power_on_mode``"""
        return cast('str', self._call('host.get_power_on_mode', self_))

    def get_power_on_config(self, self_: HostRef) -> dict[str, str]:
        """``host.get_power_on_config``"""
        return cast('dict[str, str]', self._call('host.get_power_on_config', self_))

    def get_local_cache_sr(self, self_: HostRef) -> SRRef:
        """``host.get_local_cache_sr``"""
        return cast('SRRef', self._call('host.get_local_cache_sr', self_))

    def get_chipset_info(self, self_: HostRef) -> dict[str, str]:
        """``host.get_chipset_info``"""
        return cast('dict[str, str]', self._call('host.get_chipset_info', self_))

    def get_PCIs(self, self_: HostRef) -> list[str]:
        """``host.get_PCIs``"""
        return cast('list[str]', self._call('host.get_PCIs', self_))

    def get_PGPUs(self, self_: HostRef) -> list[str]:
        """``host.get_PGPUs``"""
        return cast('list[str]', self._call('host.get_PGPUs', self_))

    def get_PUSBs(self, self_: HostRef) -> list[str]:
        """``host.get_PUSBs``"""
        return cast('list[str]', self._call('host.get_PUSBs', self_))

    def get_ssl_legacy(self, self_: HostRef) -> bool:
        """``host.get_ssl_legacy``"""
        return cast('bool', self._call('host.get_ssl_legacy', self_))

    def get_guest_VCPUs_params(self, self_: HostRef) -> dict[str, str]:
        """``host.get_guest_VCPUs_params``"""
        return cast('dict[str, str]', self._call('host.get_guest_VCPUs_params', self_))

    def set_guest_VCPUs_params(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_guest_VCPUs_params``"""
        return cast('None', self._call('host.set_guest_VCPUs_params', self_, value))

    def add_to_guest_VCPUs_params(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_guest_VCPUs_params``"""
        return cast('None', self._call('host.add_to_guest_VCPUs_params', self_, key, value))

    def remove_from_guest_VCPUs_params(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_guest_VCPUs_params``"""
        return cast('None', self._call('host.remove_from_guest_VCPUs_params', self_, key))

    def get_display(self, self_: HostRef) -> HostDisplay:
        """``host.get_display``"""
        return cast('HostDisplay', self._call('host.get_display', self_))

    def set_display(self, self_: HostRef, value: HostDisplay) -> None:
        """``host.set_display``"""
        return cast('None', self._call('host.set_display', self_, value))

    def get_virtual_hardware_platform_versions(self, self_: HostRef) -> list[int]:
        """``host.get_virtual_hardware_platform_versions``"""
        return cast('list[int]', self._call('host.get_virtual_hardware_platform_versions', self_))

    def get_control_domain(self, self_: HostRef) -> VMRef:
        """``host.get_control_domain``"""
        return cast('VMRef', self._call('host.get_control_domain', self_))

    def get_updates_requiring_reboot(self, self_: HostRef) -> list[str]:
        """``host.get_updates_requiring_reboot``"""
        return cast('list[str]', self._call('host.get_updates_requiring_reboot', self_))

    def get_features(self, self_: HostRef) -> list[str]:
        """``host.get_features``"""
        return cast('list[str]', self._call('host.get_features', self_))

    def get_iscsi_iqn(self, self_: HostRef) -> str:
        """``host.get_iscsi_iqn``"""
        return cast('str', self._call('host.get_iscsi_iqn', self_))

    def get_multipathing(self, self_: HostRef) -> bool:
        """``host.get_multipathing``"""
        return cast('bool', self._call('host.get_multipathing', self_))

    def get_uefi_certificates(self, self_: HostRef) -> str:
        """``host.get_uefi_certificates``"""
        return cast('str', self._call('host.get_uefi_certificates', self_))

    def get_certificates(self, self_: HostRef) -> list[str]:
        """``host.get_certificates``"""
        return cast('list[str]', self._call('host.get_certificates', self_))

    def get_editions(self, self_: HostRef) -> list[str]:
        """``host.get_editions``"""
        return cast('list[str]', self._call('host.get_editions', self_))

    def get_pending_guidances(self, self_: HostRef) -> list[UpdateGuidances]:
        """``host.get_pending_guidances``"""
        return cast('list[UpdateGuidances]', self._call('host.get_pending_guidances', self_))

    def get_tls_verification_enabled(self, self_: HostRef) -> bool:
        """``host.get_tls_verification_enabled``"""
        return cast('bool', self._call('host.get_tls_verification_enabled', self_))

    def get_last_software_update(self, self_: HostRef) -> str:
        """``host.get_last_software_update``"""
        return cast('str', self._call('host.get_last_software_update', self_))

    def get_https_only(self, self_: HostRef) -> bool:
        """``host.get_https_only``"""
        return cast('bool', self._call('host.get_https_only', self_))

    def get_latest_synced_updates_applied(self, self_: HostRef) -> LatestSyncedUpdatesAppliedState:
        """``host.get_latest_synced_updates_applied``"""
        return cast('LatestSyncedUpdatesAppliedState', self._call('host.get_latest_synced_updates_applied', self_))

    def get_numa_affinity_policy(self, self_: HostRef) -> HostNumaAffinityPolicy:
        """``host.get_numa_affinity_policy``"""
        return cast('HostNumaAffinityPolicy', self._call('host.get_numa_affinity_policy', self_))

    def get_pending_guidances_recommended(self, self_: HostRef) -> list[UpdateGuidances]:
        """``host.get_pending_guidances_recommended``"""
        return cast('list[UpdateGuidances]', self._call('host.get_pending_guidances_recommended', self_))

    def get_pending_guidances_full(self, self_: HostRef) -> list[UpdateGuidances]:
        """``host.get_pending_guidances_full``"""
        return cast('list[UpdateGuidances]', self._call('host.get_pending_guidances_full', self_))

    def get_last_update_hash(self, self_: HostRef) -> str:
        """``host.get_last_update_hash``"""
        return cast('str', self._call('host.get_last_update_hash', self_))

    def create_new_blob(self, host: HostRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this host"""
        return cast('BlobRef', self._call('host.create_new_blob', host, name, mime_type, public))

    def migrate_receive(self, host: HostRef, network: NetworkRef, options: dict[str, str]) -> dict[str, str]:
        """Prepare to receive a VM, returning a token which can be passed to VM.migrate."""
        return cast('dict[str, str]', self._call('host.migrate_receive', host, network, options))

    def get_servertime(self, host: HostRef) -> str:
        """This call queries the host's clock for the current time"""
        return cast('str', self._call('host.get_servertime', host))

    def get_server_localtime(self, host: HostRef) -> str:
        """This call queries the host's clock for the current time in the host's local timezone"""
        return cast('str', self._call('host.get_server_localtime', host))

    def get_vms_which_prevent_evacuation(self, self_: HostRef) -> dict[VMRef, list[str]]:
        """Return a set of VMs which prevent the host being evacuated, with per-VM error codes"""
        return cast('dict[VMRef, list[str]]', self._call('host.get_vms_which_prevent_evacuation', self_))

    def assert_can_evacuate(self, host: HostRef) -> None:
        """Check this host can be evacuated."""
        return cast('None', self._call('host.assert_can_evacuate', host))

    def evacuate(self, host: HostRef, network: NetworkRef, evacuate_batch_size: int) -> None:
        """Migrate all VMs off of this host, where possible."""
        return cast('None', self._call('host.evacuate', host, network, evacuate_batch_size))

    def disable(self, host: HostRef) -> None:
        """Puts the host into a state in which no new VMs can be started. Currently active VMs on the host continue to execute."""
        return cast('None', self._call('host.disable', host))

    def enable(self, host: HostRef) -> None:
        """Puts the host into a state in which new VMs can be started."""
        return cast('None', self._call('host.enable', host))

    def get_management_interface(self, host: HostRef) -> PIFRef:
        """Returns the management interface for the specified host"""
        return cast('PIFRef', self._call('host.get_management_interface', host))

    def get_uncooperative_resident_VMs(self, self_: HostRef) -> list[VMRef]:
        """Return a set of VMs which are not co-operating with the host's memory control system"""
        return cast('list[VMRef]', self._call('host.get_uncooperative_resident_VMs', self_))

    def compute_free_memory(self, host: HostRef) -> int:
        """Computes the amount of free memory on the host."""
        return cast('int', self._call('host.compute_free_memory', host))

    def compute_memory_overhead(self, host: HostRef) -> int:
        """Computes the virtualization memory overhead of a host."""
        return cast('int', self._call('host.compute_memory_overhead', host))

    def has_extension(self, host: HostRef, name: str) -> bool:
        """Return true if the extension is available on the host"""
        return cast('bool', self._call('host.has_extension', host, name))

    def get_server_certificate(self, host: HostRef) -> str:
        """Get the installed server public TLS certificate."""
        return cast('str', self._call('host.get_server_certificate', host))

    def install_server_certificate(self, host: HostRef, certificate: str, private_key: str, certificate_chain: str) -> None:
        """Install the TLS server certificate."""
        return cast('None', self._call('host.install_server_certificate', host, certificate, private_key, certificate_chain))

    def reset_server_certificate(self, host: HostRef) -> None:
        """Delete the current TLS server certificate and replace by a new, self-signed one. This should only be used with extreme care."""
        return cast('None', self._call('host.reset_server_certificate', host))

    def set_power_on_mode(self, self_: HostRef, power_on_mode: str, power_on_config: dict[str, str]) -> None:
        """Set the power-on-mode, host, user and password"""
        return cast('None', self._call('host.set_power_on_mode', self_, power_on_mode, power_on_config))

    def apply_edition(self, host: HostRef, edition: str, force: bool) -> None:
        """Change to another edition, or reactivate the current edition after a license has expired. This may be subject to the successful checkout of an appropriate license."""
        return cast('None', self._call('host.apply_edition', host, edition, force))

    def call_plugin(self, host: HostRef, plugin: str, fn: str, args: dict[str, str]) -> str:
        """Call an API plugin on this host"""
        return cast('str', self._call('host.call_plugin', host, plugin, fn, args))

    def set_https_only(self, self_: HostRef, value: bool) -> None:
        """updates the host firewall to open or close port 80 depending on the value"""
        return cast('None', self._call('host.set_https_only', self_, value))

    def set_ssl_legacy(self, self_: HostRef, value: bool) -> None:
        """Enable/disable SSLv3 for interoperability with older server versions. When this is set to a different value, the host immediately restarts its SSL/TLS listening service; typically this takes less than a second but existing connections to it will be broken. API login sessions will remain valid."""
        return cast('None', self._call('host.set_ssl_legacy', self_, value))

    def set_sched_gran(self, self_: HostRef, value: HostSchedGran) -> None:
        """Sets xen's sched-gran on a host. See: https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#sched-gran-x86"""
        return cast('None', self._call('host.set_sched_gran', self_, value))

    def set_multipathing(self, host: HostRef, value: bool) -> None:
        """Specifies whether multipathing is enabled"""
        return cast('None', self._call('host.set_multipathing', host, value))

    def get_log(self, host: HostRef) -> str:
        """Get the host's log file"""
        return cast('str', self._call('host.get_log', host))

    def dmesg_clear(self, host: HostRef) -> str:
        """Get the host xen dmesg, and clear the buffer."""
        return cast('str', self._call('host.dmesg_clear', host))

    def list_methods(self) -> list[str]:
        """List all supported methods"""
        return cast('list[str]', self._call('host.list_methods'))

    def shutdown_agent(self) -> None:
        """Shuts the agent down after a 10 second pause. WARNING: this is a dangerous operation. Any operations in progress will be aborted, and unrecoverable data loss may occur. The caller is responsible for ensuring that there are no operations in progress when this method is called."""
        return cast('None', self._call('host.shutdown_agent'))

    def get_data_sources(self, host: HostRef) -> list[DataSourceRecord]:
        """``host.get_data_sources``"""
        return cast('list[DataSourceRecord]', self._call('host.get_data_sources', host))

    def record_data_source(self, host: HostRef, data_source: str) -> None:
        """Start recording the specified data source"""
        return cast('None', self._call('host.record_data_source', host, data_source))

    def query_data_source(self, host: HostRef, data_source: str) -> float:
        """Query the latest value of the specified data source"""
        return cast('float', self._call('host.query_data_source', host, data_source))

    def forget_data_source_archives(self, host: HostRef, data_source: str) -> None:
        """Forget the recorded statistics related to the specified data source"""
        return cast('None', self._call('host.forget_data_source_archives', host, data_source))

    def license_add(self, host: HostRef, contents: str) -> None:
        """Apply a new license to a host"""
        return cast('None', self._call('host.license_add', host, contents))

    def license_apply(self, host: HostRef, contents: str) -> None:
        """Apply a new license to a host"""
        return cast('None', self._call('host.license_apply', host, contents))

    def license_remove(self, host: HostRef) -> None:
        """Remove any license file from the specified host, and switch that host to the unlicensed edition"""
        return cast('None', self._call('host.license_remove', host))

    def sync_data(self, host: HostRef) -> None:
        """This causes the synchronisation of the non-database data (messages, RRDs and so on) stored on the master to be synchronised with the host"""
        return cast('None', self._call('host.sync_data', host))

    def backup_rrds(self, host: HostRef, delay: float) -> None:
        """This causes the RRDs to be backed up to the master"""
        return cast('None', self._call('host.backup_rrds', host, delay))

    def set_numa_affinity_policy(self, self_: HostRef, value: HostNumaAffinityPolicy) -> None:
        """Set VM placement NUMA affinity policy"""
        return cast('None', self._call('host.set_numa_affinity_policy', self_, value))

    def call_extension(self, host: HostRef, call: str) -> str:
        """Call an API extension on this host"""
        return cast('str', self._call('host.call_extension', host, call))

class HostCpuApi:
    """The messages of ``host_cpu``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: HostCpuRef) -> HostCpuRecord:
        """``host_cpu.get_record``"""
        return cast('HostCpuRecord', self._call('host_cpu.get_record', self_))

    def get_by_uuid(self, uuid: str) -> HostCpuRef:
        """``host_cpu.get_by_uuid``"""
        return cast('HostCpuRef', self._call('host_cpu.get_by_uuid', uuid))

    def get_all(self) -> list[HostCpuRef]:
        """``host_cpu.get_all``"""
        return cast('list[HostCpuRef]', self._call('host_cpu.get_all'))

    def get_all_records(self) -> dict[HostCpuRef, HostCpuRecord]:
        """``host_cpu.get_all_records``"""
        return cast('dict[HostCpuRef, HostCpuRecord]', self._call('host_cpu.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[HostCpuRef, HostCpuRecord]:
        """``host_cpu.get_all_records_where``"""
        return cast('dict[HostCpuRef, HostCpuRecord]', self._call('host_cpu.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[HostCpuRef]:
        """``host_cpu.get_all_where``"""
        return cast('list[HostCpuRef]', self._call('host_cpu.get_all_where', expr))

    def get_uuid(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_uuid``"""
        return cast('str', self._call('host_cpu.get_uuid', self_))

    def get_host(self, self_: HostCpuRef) -> HostRef:
        """``host_cpu.get_host``"""
        return cast('HostRef', self._call('host_cpu.get_host', self_))

    def get_number(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_number``"""
        return cast('int', self._call('host_cpu.get_number', self_))

    def get_vendor(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_vendor``"""
        return cast('str', self._call('host_cpu.get_vendor', self_))

    def get_speed(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_speed``"""
        return cast('int', self._call('host_cpu.get_speed', self_))

    def get_modelname(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_modelname``"""
        return cast('str', self._call('host_cpu.get_modelname', self_))

    def get_family(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_family``"""
        return cast('int', self._call('host_cpu.get_family', self_))

    def get_model(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_model``"""
        return cast('int', self._call('host_cpu.get_model', self_))

    def get_stepping(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_stepping``"""
        return cast('str', self._call('host_cpu.get_stepping', self_))

    def get_flags(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_flags``"""
        return cast('str', self._call('host_cpu.get_flags', self_))

    def get_features(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_features``"""
        return cast('str', self._call('host_cpu.get_features', self_))

    def get_utilisation(self, self_: HostCpuRef) -> float:
        """``host_cpu.get_utilisation``"""
        return cast('float', self._call('host_cpu.get_utilisation', self_))

    def get_other_config(self, self_: HostCpuRef) -> dict[str, str]:
        """``host_cpu.get_other_config``"""
        return cast('dict[str, str]', self._call('host_cpu.get_other_config', self_))

    def set_other_config(self, self_: HostCpuRef, value: dict[str, str]) -> None:
        """``host_cpu.set_other_config``"""
        return cast('None', self._call('host_cpu.set_other_config', self_, value))

    def add_to_other_config(self, self_: HostCpuRef, key: str, value: str) -> None:
        """``host_cpu.add_to_other_config``"""
        return cast('None', self._call('host_cpu.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: HostCpuRef, key: str) -> None:
        """``host_cpu.remove_from_other_config``"""
        return cast('None', self._call('host_cpu.remove_from_other_config', self_, key))

class HostMetricsApi:
    """The messages of ``host_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: HostMetricsRef) -> HostMetricsRecord:
        """``host_metrics.get_record``"""
        return cast('HostMetricsRecord', self._call('host_metrics.get_record', self_))

    def get_by_uuid(self, uuid: str) -> HostMetricsRef:
        """``host_metrics.get_by_uuid``"""
        return cast('HostMetricsRef', self._call('host_metrics.get_by_uuid', uuid))

    def get_all(self) -> list[HostMetricsRef]:
        """``host_metrics.get_all``"""
        return cast('list[HostMetricsRef]', self._call('host_metrics.get_all'))

    def get_all_records(self) -> dict[HostMetricsRef, HostMetricsRecord]:
        """``host_metrics.get_all_records``"""
        return cast('dict[HostMetricsRef, HostMetricsRecord]', self._call('host_metrics.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[HostMetricsRef, HostMetricsRecord]:
        """``host_metrics.get_all_records_where``"""
        return cast('dict[HostMetricsRef, HostMetricsRecord]', self._call('host_metrics.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[HostMetricsRef]:
        """``host_metrics.get_all_where``"""
        return cast('list[HostMetricsRef]', self._call('host_metrics.get_all_where', expr))

    def get_uuid(self, self_: HostMetricsRef) -> str:
        """``host_metrics.get_uuid``"""
        return cast('str', self._call('host_metrics.get_uuid', self_))

    def get_memory_total(self, self_: HostMetricsRef) -> int:
        """``host_metrics.get_memory_total``"""
        return cast('int', self._call('host_metrics.get_memory_total', self_))

    def get_memory_free(self, self_: HostMetricsRef) -> int:
        """``host_metrics.get_memory_free``"""
        return cast('int', self._call('host_metrics.get_memory_free', self_))

    def get_live(self, self_: HostMetricsRef) -> bool:
        """``host_metrics.get_live``"""
        return cast('bool', self._call('host_metrics.get_live', self_))

    def get_last_updated(self, self_: HostMetricsRef) -> str:
        """``host_metrics.get_last_updated``"""
        return cast('str', self._call('host_metrics.get_last_updated', self_))

    def get_other_config(self, self_: HostMetricsRef) -> dict[str, str]:
        """``host_metrics.get_other_config``"""
        return cast('dict[str, str]', self._call('host_metrics.get_other_config', self_))

    def set_other_config(self, self_: HostMetricsRef, value: dict[str, str]) -> None:
        """``host_metrics.set_other_config``"""
        return cast('None', self._call('host_metrics.set_other_config', self_, value))

    def add_to_other_config(self, self_: HostMetricsRef, key: str, value: str) -> None:
        """``host_metrics.add_to_other_config``"""
        return cast('None', self._call('host_metrics.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: HostMetricsRef, key: str) -> None:
        """``host_metrics.remove_from_other_config``"""
        return cast('None', self._call('host_metrics.remove_from_other_config', self_, key))

class MessageApi:
    """The messages of ``message``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_all(self) -> list[MessageRef]:
        """``message.get_all``"""
        return cast('list[MessageRef]', self._call('message.get_all'))

    def get_all_records(self) -> dict[MessageRef, MessageRecord]:
        """``message.get_all_records``"""
        return cast('dict[MessageRef, MessageRecord]', self._call('message.get_all_records'))

    def get_record(self, self_: MessageRef) -> MessageRecord:
        """``message.get_record``"""
        return cast('MessageRecord', self._call('message.get_record', self_))

    def get_by_uuid(self, uuid: str) -> MessageRef:
        """``message.get_by_uuid``"""
        return cast('MessageRef', self._call('message.get_by_uuid', uuid))

    def destroy(self, self_: MessageRef) -> None:
        """``message.destroy``"""
        return cast('None', self._call('message.destroy', self_))

    def get_all_records_where(self, expr: str) -> dict[MessageRef, MessageRecord]:
        """``message.get_all_records_where``"""
        return cast('dict[MessageRef, MessageRecord]', self._call('message.get_all_records_where', expr))

    def get_since(self, since: str) -> dict[MessageRef, MessageRecord]:
        """``message.get_since``"""
        return cast('dict[MessageRef, MessageRecord]', self._call('message.get_since', since))

    def create(self, name: str, priority: int, cls_: Cls, obj_uuid: str, body: str) -> MessageRef:
        """``message.create``"""
        return cast('MessageRef', self._call('message.create', name, priority, cls_, obj_uuid, body))

    def get(self, cls_: Cls, obj_uuid: str, since: str) -> dict[MessageRef, MessageRecord]:
        """``message.get``"""
        return cast('dict[MessageRef, MessageRecord]', self._call('message.get', cls_, obj_uuid, since))

    def destroy_many(self, messages: list[MessageRef]) -> None:
        """``message.destroy_many``"""
        return cast('None', self._call('message.destroy_many', messages))

class NetworkApi:
    """The messages of ``network``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: NetworkRef) -> NetworkRecord:
        """``network.get_record``"""
        return cast('NetworkRecord', self._call('network.get_record', self_))

    def get_by_uuid(self, uuid: str) -> NetworkRef:
        """``network.get_by_uuid``"""
        return cast('NetworkRef', self._call('network.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[NetworkRef]:
        """``network.get_by_name_label``"""
        return cast('list[NetworkRef]', self._call('network.get_by_name_label', label))

    def get_all(self) -> list[NetworkRef]:
        """``network.get_all``"""
        return cast('list[NetworkRef]', self._call('network.get_all'))

    def get_all_records(self) -> dict[NetworkRef, NetworkRecord]:
        """``network.get_all_records``"""
        return cast('dict[NetworkRef, NetworkRecord]', self._call('network.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[NetworkRef, NetworkRecord]:
        """``network.get_all_records_where``"""
        return cast('dict[NetworkRef, NetworkRecord]', self._call('network.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[NetworkRef]:
        """``network.get_all_where``"""
        return cast('list[NetworkRef]', self._call('network.get_all_where', expr))

    def create(self, args: NetworkRecordInput) -> NetworkRef:
        """``network.create``"""
        return cast('NetworkRef', self._call('network.create', args))

    def destroy(self, self_: NetworkRef) -> None:
        """``network.destroy``"""
        return cast('None', self._call('network.destroy', self_))

    def get_uuid(self, self_: NetworkRef) -> str:
        """``network.get_uuid``"""
        return cast('str', self._call('network.get_uuid', self_))

    def get_name_label(self, self_: NetworkRef) -> str:
        """``network.get_name_label``"""
        return cast('str', self._call('network.get_name_label', self_))

    def set_name_label(self, self_: NetworkRef, value: str) -> None:
        """``network.set_name_label``"""
        return cast('None', self._call('network.set_name_label', self_, value))

    def get_name_description(self, self_: NetworkRef) -> str:
        """``network.get_name_description``"""
        return cast('str', self._call('network.get_name_description', self_))

    def set_name_description(self, self_: NetworkRef, value: str) -> None:
        """``network.set_name_description``"""
        return cast('None', self._call('network.set_name_description', self_, value))

    def get_allowed_operations(self, self_: NetworkRef) -> list[NetworkOperations]:
        """``network.get_allowed_operations``"""
        return cast('list[NetworkOperations]', self._call('network.get_allowed_operations', self_))

    def get_current_operations(self, self_: NetworkRef) -> dict[str, NetworkOperations]:
        """``network.get_current_operations``"""
        return cast('dict[str, NetworkOperations]', self._call('network.get_current_operations', self_))

    def get_VIFs(self, self_: NetworkRef) -> list[VIFRef]:
        """``network.get_VIFs``"""
        return cast('list[VIFRef]', self._call('network.get_VIFs', self_))

    def get_PIFs(self, self_: NetworkRef) -> list[PIFRef]:
        """``network.get_PIFs``"""
        return cast('list[PIFRef]', self._call('network.get_PIFs', self_))

    def get_MTU(self, self_: NetworkRef) -> int:
        """``network.get_MTU``"""
        return cast('int', self._call('network.get_MTU', self_))

    def set_MTU(self, self_: NetworkRef, value: int) -> None:
        """``network.set_MTU``"""
        return cast('None', self._call('network.set_MTU', self_, value))

    def get_other_config(self, self_: NetworkRef) -> dict[str, str]:
        """``network.get_other_config``"""
        return cast('dict[str, str]', self._call('network.get_other_config', self_))

    def set_other_config(self, self_: NetworkRef, value: dict[str, str]) -> None:
        """``network.set_other_config``"""
        return cast('None', self._call('network.set_other_config', self_, value))

    def add_to_other_config(self, self_: NetworkRef, key: str, value: str) -> None:
        """``network.add_to_other_config``"""
        return cast('None', self._call('network.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: NetworkRef, key: str) -> None:
        """``network.remove_from_other_config``"""
        return cast('None', self._call('network.remove_from_other_config', self_, key))

    def get_bridge(self, self_: NetworkRef) -> str:
        """``network.get_bridge``"""
        return cast('str', self._call('network.get_bridge', self_))

    def get_managed(self, self_: NetworkRef) -> bool:
        """``network.get_managed``"""
        return cast('bool', self._call('network.get_managed', self_))

    def get_blobs(self, self_: NetworkRef) -> dict[str, BlobRef]:
        """``network.get_blobs``"""
        return cast('dict[str, BlobRef]', self._call('network.get_blobs', self_))

    def get_tags(self, self_: NetworkRef) -> list[str]:
        """``network.get_tags``"""
        return cast('list[str]', self._call('network.get_tags', self_))

    def set_tags(self, self_: NetworkRef, value: list[str]) -> None:
        """``network.set_tags``"""
        return cast('None', self._call('network.set_tags', self_, value))

    def add_tags(self, self_: NetworkRef, value: str) -> None:
        """``network.add_tags``"""
        return cast('None', self._call('network.add_tags', self_, value))

    def remove_tags(self, self_: NetworkRef, value: str) -> None:
        """``network.remove_tags``"""
        return cast('None', self._call('network.remove_tags', self_, value))

    def get_default_locking_mode(self, self_: NetworkRef) -> NetworkDefaultLockingMode:
        """``network.get_default_locking_mode``"""
        return cast('NetworkDefaultLockingMode', self._call('network.get_default_locking_mode', self_))

    def get_assigned_ips(self, self_: NetworkRef) -> dict[VIFRef, str]:
        """``network.get_assigned_ips``"""
        return cast('dict[VIFRef, str]', self._call('network.get_assigned_ips', self_))

    def get_purpose(self, self_: NetworkRef) -> list[NetworkPurpose]:
        """``network.get_purpose``"""
        return cast('list[NetworkPurpose]', self._call('network.get_purpose', self_))

    def create_new_blob(self, network: NetworkRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this pool"""
        return cast('BlobRef', self._call('network.create_new_blob', network, name, mime_type, public))

    def set_default_locking_mode(self, network: NetworkRef, value: NetworkDefaultLockingMode) -> None:
        """Set the default locking mode for VIFs attached to this network"""
        return cast('None', self._call('network.set_default_locking_mode', network, value))

    def add_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> None:
        """Give a network a new purpose (if not present already)"""
        return cast('None', self._call('network.add_purpose', self_, value))

    def remove_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> None:
        """Remove a purpose from a network (if present)"""
        return cast('None', self._call('network.remove_purpose', self_, value))

class PBDApi:
    """The messages of ``PBD``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: PBDRef) -> PBDRecord:
        """``PBD.get_record``"""
        return cast('PBDRecord', self._call('PBD.get_record', self_))

    def get_by_uuid(self, uuid: str) -> PBDRef:
        """``PBD.get_by_uuid``"""
        return cast('PBDRef', self._call('PBD.get_by_uuid', uuid))

    def get_all(self) -> list[PBDRef]:
        """``PBD.get_all``"""
        return cast('list[PBDRef]', self._call('PBD.get_all'))

    def get_all_records(self) -> dict[PBDRef, PBDRecord]:
        """``PBD.get_all_records``"""
        return cast('dict[PBDRef, PBDRecord]', self._call('PBD.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[PBDRef, PBDRecord]:
        """``PBD.get_all_records_where``"""
        return cast('dict[PBDRef, PBDRecord]', self._call('PBD.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[PBDRef]:
        """``PBD.get_all_where``"""
        return cast('list[PBDRef]', self._call('PBD.get_all_where', expr))

    def create(self, args: PBDRecordInput) -> PBDRef:
        """``PBD.create``"""
        return cast('PBDRef', self._call('PBD.create', args))

    def destroy(self, self_: PBDRef) -> None:
        """``PBD.destroy``"""
        return cast('None', self._call('PBD.destroy', self_))

    def get_uuid(self, self_: PBDRef) -> str:
        """``PBD.get_uuid``"""
        return cast('str', self._call('PBD.get_uuid', self_))

    def get_host(self, self_: PBDRef) -> HostRef:
        """``PBD.get_host``"""
        return cast('HostRef', self._call('PBD.get_host', self_))

    def get_SR(self, self_: PBDRef) -> SRRef:
        """``PBD.get_SR``"""
        return cast('SRRef', self._call('PBD.get_SR', self_))

    def get_device_config(self, self_: PBDRef) -> dict[str, str]:
        """``PBD.get_device_config``"""
        return cast('dict[str, str]', self._call('PBD.get_device_config', self_))

    def get_currently_attached(self, self_: PBDRef) -> bool:
        """``PBD.get_currently_attached``"""
        return cast('bool', self._call('PBD.get_currently_attached', self_))

    def get_other_config(self, self_: PBDRef) -> dict[str, str]:
        """``PBD.get_other_config``"""
        return cast('dict[str, str]', self._call('PBD.get_other_config', self_))

    def set_other_config(self, self_: PBDRef, value: dict[str, str]) -> None:
        """``PBD.set_other_config``"""
        return cast('None', self._call('PBD.set_other_config', self_, value))

    def add_to_other_config(self, self_: PBDRef, key: str, value: str) -> None:
        """``PBD.add_to_other_config``"""
        return cast('None', self._call('PBD.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: PBDRef, key: str) -> None:
        """``PBD.remove_from_other_config``"""
        return cast('None', self._call('PBD.remove_from_other_config', self_, key))

    def plug(self, self_: PBDRef) -> None:
        """Activate the specified PBD, causing the referenced SR to be attached and scanned"""
        return cast('None', self._call('PBD.plug', self_))

    def unplug(self, self_: PBDRef) -> None:
        """Deactivate the specified PBD, causing the referenced SR to be detached and nolonger scanned"""
        return cast('None', self._call('PBD.unplug', self_))

    def set_device_config(self, self_: PBDRef, value: dict[str, str]) -> None:
        """Sets the PBD's device_config field"""
        return cast('None', self._call('PBD.set_device_config', self_, value))

class PIFApi:
    """The messages of ``PIF``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: PIFRef) -> PIFRecord:
        """``PIF.get_record``"""
        return cast('PIFRecord', self._call('PIF.get_record', self_))

    def get_by_uuid(self, uuid: str) -> PIFRef:
        """``PIF.get_by_uuid``"""
        return cast('PIFRef', self._call('PIF.get_by_uuid', uuid))

    def get_all(self) -> list[PIFRef]:
        """``PIF.get_all``"""
        return cast('list[PIFRef]', self._call('PIF.get_all'))

    def get_all_records(self) -> dict[PIFRef, PIFRecord]:
        """``PIF.get_all_records``"""
        return cast('dict[PIFRef, PIFRecord]', self._call('PIF.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[PIFRef, PIFRecord]:
        """``PIF.get_all_records_where``"""
        return cast('dict[PIFRef, PIFRecord]', self._call('PIF.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[PIFRef]:
        """``PIF.get_all_where``"""
        return cast('list[PIFRef]', self._call('PIF.get_all_where', expr))

    def get_uuid(self, self_: PIFRef) -> str:
        """``PIF.get_uuid``"""
        return cast('str', self._call('PIF.get_uuid', self_))

    def get_device(self, self_: PIFRef) -> str:
        """``PIF.get_device``"""
        return cast('str', self._call('PIF.get_device', self_))

    def get_network(self, self_: PIFRef) -> NetworkRef:
        """``PIF.get_network``"""
        return cast('NetworkRef', self._call('PIF.get_network', self_))

    def get_host(self, self_: PIFRef) -> HostRef:
        """``PIF.get_host``"""
        return cast('HostRef', self._call('PIF.get_host', self_))

    def get_MAC(self, self_: PIFRef) -> str:
        """``PIF.get_MAC``"""
        return cast('str', self._call('PIF.get_MAC', self_))

    def get_MTU(self, self_: PIFRef) -> int:
        """``PIF.get_MTU``"""
        return cast('int', self._call('PIF.get_MTU', self_))

    def get_VLAN(self, self_: PIFRef) -> int:
        """``PIF.get_VLAN``"""
        return cast('int', self._call('PIF.get_VLAN', self_))

    def get_metrics(self, self_: PIFRef) -> str:
        """``PIF.get_metrics``"""
        return cast('str', self._call('PIF.get_metrics', self_))

    def get_physical(self, self_: PIFRef) -> bool:
        """``PIF.get_physical``"""
        return cast('bool', self._call('PIF.get_physical', self_))

    def get_currently_attached(self, self_: PIFRef) -> bool:
        """``PIF.get_currently_attached``"""
        return cast('bool', self._call('PIF.get_currently_attached', self_))

    def get_ip_configuration_mode(self, self_: PIFRef) -> IpConfigurationMode:
        """``PIF.get_ip_configuration_mode``"""
        return cast('IpConfigurationMode', self._call('PIF.get_ip_configuration_mode', self_))

    def get_IP(self, self_: PIFRef) -> str:
        """``PIF.get_IP``"""
        return cast('str', self._call('PIF.get_IP', self_))

    def get_netmask(self, self_: PIFRef) -> str:
        """``PIF.get_netmask``"""
        return cast('str', self._call('PIF.get_netmask', self_))

    def get_gateway(self, self_: PIFRef) -> str:
        """``PIF.get_gateway``"""
        return cast('str', self._call('PIF.get_gateway', self_))

    def get_DNS(self, self_: PIFRef) -> str:
        """``PIF.get_DNS``"""
        return cast('str', self._call('PIF.get_DNS', self_))

    def get_bond_slave_of(self, self_: PIFRef) -> str:
        """``PIF.get_bond_slave_of``"""
        return cast('str', self._call('PIF.get_bond_slave_of', self_))

    def get_bond_master_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_bond_master_of``"""
        return cast('list[str]', self._call('PIF.get_bond_master_of', self_))

    def get_VLAN_master_of(self, self_: PIFRef) -> str:
        """``PIF.get_VLAN_master_of``"""
        return cast('str', self._call('PIF.get_VLAN_master_of', self_))

    def get_VLAN_slave_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_VLAN_slave_of``"""
        return cast('list[str]', self._call('PIF.get_VLAN_slave_of', self_))

    def get_management(self, self_: PIFRef) -> bool:
        """``PIF.get_management``"""
        return cast('bool', self._call('PIF.get_management', self_))

    def get_other_config(self, self_: PIFRef) -> dict[str, str]:
        """``PIF.get_other_config``"""
        return cast('dict[str, str]', self._call('PIF.get_other_config', self_))

    def set_other_config(self, self_: PIFRef, value: dict[str, str]) -> None:
        """``PIF.set_other_config``"""
        return cast('None', self._call('PIF.set_other_config', self_, value))

    def add_to_other_config(self, self_: PIFRef, key: str, value: str) -> None:
        """``PIF.add_to_other_config``"""
        return cast('None', self._call('PIF.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: PIFRef, key: str) -> None:
        """``PIF.remove_from_other_config``"""
        return cast('None', self._call('PIF.remove_from_other_config', self_, key))

    def get_disallow_unplug(self, self_: PIFRef) -> bool:
        """``PIF.get_disallow_unplug``"""
        return cast('bool', self._call('PIF.get_disallow_unplug', self_))

    def get_tunnel_access_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_tunnel_access_PIF_of``"""
        return cast('list[str]', self._call('PIF.get_tunnel_access_PIF_of', self_))

    def get_tunnel_transport_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_tunnel_transport_PIF_of``"""
        return cast('list[str]', self._call('PIF.get_tunnel_transport_PIF_of', self_))

    def get_ipv6_configuration_mode(self, self_: PIFRef) -> Ipv6ConfigurationMode:
        """``PIF.get_ipv6_configuration_mode``"""
        return cast('Ipv6ConfigurationMode', self._call('PIF.get_ipv6_configuration_mode', self_))

    def get_IPv6(self, self_: PIFRef) -> list[str]:
        """``PIF.get_IPv6``"""
        return cast('list[str]', self._call('PIF.get_IPv6', self_))

    def get_ipv6_gateway(self, self_: PIFRef) -> str:
        """``PIF.get_ipv6_gateway``"""
        return cast('str', self._call('PIF.get_ipv6_gateway', self_))

    def get_primary_address_type(self, self_: PIFRef) -> PrimaryAddressType:
        """``PIF.get_primary_address_type``"""
        return cast('PrimaryAddressType', self._call('PIF.get_primary_address_type', self_))

    def get_managed(self, self_: PIFRef) -> bool:
        """``PIF.get_managed``"""
        return cast('bool', self._call('PIF.get_managed', self_))

    def get_properties(self, self_: PIFRef) -> dict[str, str]:
        """``PIF.get_properties``"""
        return cast('dict[str, str]', self._call('PIF.get_properties', self_))

    def get_capabilities(self, self_: PIFRef) -> list[str]:
        """``PIF.get_capabilities``"""
        return cast('list[str]', self._call('PIF.get_capabilities', self_))

    def get_igmp_snooping_status(self, self_: PIFRef) -> PifIgmpStatus:
        """``PIF.get_igmp_snooping_status``"""
        return cast('PifIgmpStatus', self._call('PIF.get_igmp_snooping_status', self_))

    def get_sriov_physical_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_sriov_physical_PIF_of``"""
        return cast('list[str]', self._call('PIF.get_sriov_physical_PIF_of', self_))

    def get_sriov_logical_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_sriov_logical_PIF_of``"""
        return cast('list[str]', self._call('PIF.get_sriov_logical_PIF_of', self_))

    def get_PCI(self, self_: PIFRef) -> str:
        """``PIF.get_PCI``"""
        return cast('str', self._call('PIF.get_PCI', self_))

    def destroy(self, self_: PIFRef) -> None:
        """Destroy the PIF object (provided it is a VLAN interface). This call is deprecated: use VLAN.destroy or Bond.destroy instead"""
        return cast('None', self._call('PIF.destroy', self_))

    def forget(self, self_: PIFRef) -> None:
        """Destroy the PIF object matching a particular network interface"""
        return cast('None', self._call('PIF.forget', self_))

    def db_forget(self, self_: PIFRef) -> None:
        """Destroy a PIF database record."""
        return cast('None', self._call('PIF.db_forget', self_))

    def set_disallow_unplug(self, self_: PIFRef, value: bool) -> None:
        """Set whether unplugging the PIF is allowed"""
        return cast('None', self._call('PIF.set_disallow_unplug', self_, value))

    def set_primary_address_type(self, self_: PIFRef, primary_address_type: PrimaryAddressType) -> None:
        """Change the primary address type used by this PIF"""
        return cast('None', self._call('PIF.set_primary_address_type', self_, primary_address_type))

class PoolApi:
    """The messages of ``pool``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: PoolRef) -> PoolRecord:
        """``pool.get_record``"""
        return cast('PoolRecord', self._call('pool.get_record', self_))

    def get_by_uuid(self, uuid: str) -> PoolRef:
        """``pool.get_by_uuid``"""
        return cast('PoolRef', self._call('pool.get_by_uuid', uuid))

    def get_all(self) -> list[PoolRef]:
        """``pool.get_all``"""
        return cast('list[PoolRef]', self._call('pool.get_all'))

    def get_all_records(self) -> dict[PoolRef, PoolRecord]:
        """``pool.get_all_records``"""
        return cast('dict[PoolRef, PoolRecord]', self._call('pool.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[PoolRef, PoolRecord]:
        """``pool.get_all_records_where``"""
        return cast('dict[PoolRef, PoolRecord]', self._call('pool.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[PoolRef]:
        """``pool.get_all_where``"""
        return cast('list[PoolRef]', self._call('pool.get_all_where', expr))

    def get_uuid(self, self_: PoolRef) -> str:
        """``pool.get_uuid``"""
        return cast('str', self._call('pool.get_uuid', self_))

    def get_name_label(self, self_: PoolRef) -> str:
        """``pool.get_name_label``"""
        return cast('str', self._call('pool.get_name_label', self_))

    def set_name_label(self, self_: PoolRef, value: str) -> None:
        """``pool.set_name_label``"""
        return cast('None', self._call('pool.set_name_label', self_, value))

    def get_name_description(self, self_: PoolRef) -> str:
        """``pool.get_name_description``"""
        return cast('str', self._call('pool.get_name_description', self_))

    def set_name_description(self, self_: PoolRef, value: str) -> None:
        """``pool.set_name_description``"""
        return cast('None', self._call('pool.set_name_description', self_, value))

    def get_master(self, self_: PoolRef) -> HostRef:
        """``pool.get_master``"""
        return cast('HostRef', self._call('pool.get_master', self_))

    def get_default_SR(self, self_: PoolRef) -> SRRef:
        """``pool.get_default_SR``"""
        return cast('SRRef', self._call('pool.get_default_SR', self_))

    def set_default_SR(self, self_: PoolRef, value: SRRef) -> None:
        """``pool.set_default_SR``"""
        return cast('None', self._call('pool.set_default_SR', self_, value))

    def get_suspend_image_SR(self, self_: PoolRef) -> SRRef:
        """``pool.get_suspend_image_SR``"""
        return cast('SRRef', self._call('pool.get_suspend_image_SR', self_))

    def set_suspend_image_SR(self, self_: PoolRef, value: SRRef) -> None:
        """``pool.set_suspend_image_SR``"""
        return cast('None', self._call('pool.set_suspend_image_SR', self_, value))

    def get_crash_dump_SR(self, self_: PoolRef) -> SRRef:
        """``pool.get_crash_dump_SR``"""
        return cast('SRRef', self._call('pool.get_crash_dump_SR', self_))

    def set_crash_dump_SR(self, self_: PoolRef, value: SRRef) -> None:
        """``pool.set_crash_dump_SR``"""
        return cast('None', self._call('pool.set_crash_dump_SR', self_, value))

    def get_other_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_other_config``"""
        return cast('dict[str, str]', self._call('pool.get_other_config', self_))

    def set_other_config(self, self_: PoolRef, value: dict[str, str]) -> None:
        """``pool.set_other_config``"""
        return cast('None', self._call('pool.set_other_config', self_, value))

    def add_to_other_config(self, self_: PoolRef, key: str, value: str) -> None:
        """``pool.add_to_other_config``"""
        return cast('None', self._call('pool.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: PoolRef, key: str) -> None:
        """``pool.remove_from_other_config``"""
        return cast('None', self._call('pool.remove_from_other_config', self_, key))

    def get_ha_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_ha_enabled``"""
        return cast('bool', self._call('pool.get_ha_enabled', self_))

    def get_ha_configuration(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_ha_configuration``"""
        return cast('dict[str, str]', self._call('pool.get_ha_configuration', self_))

    def get_ha_statefiles(self, self_: PoolRef) -> list[str]:
        """``pool.get_ha_statefiles``"""
        return cast('list[str]', self._call('pool.get_ha_statefiles', self_))

    def get_ha_host_failures_to_tolerate(self, self_: PoolRef) -> int:
        """``pool.get_ha_host_failures_to_tolerate``"""
        return cast('int', self._call('pool.get_ha_host_failures_to_tolerate', self_))

    def get_ha_plan_exists_for(self, self_: PoolRef) -> int:
        """``pool.get_ha_plan_exists_for``"""
        return cast('int', self._call('pool.get_ha_plan_exists_for', self_))

    def get_ha_allow_overcommit(self, self_: PoolRef) -> bool:
        """``pool.get_ha_allow_overcommit``"""
        return cast('bool', self._call('pool.get_ha_allow_overcommit', self_))

    def set_ha_allow_overcommit(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_ha_allow_overcommit``"""
        return cast('None', self._call('pool.set_ha_allow_overcommit', self_, value))

    def get_ha_overcommitted(self, self_: PoolRef) -> bool:
        """``pool.get_ha_overcommitted``"""
        return cast('bool', self._call('pool.get_ha_overcommitted', self_))

    def get_blobs(self, self_: PoolRef) -> dict[str, BlobRef]:
        """``pool.get_blobs``"""
        return cast('dict[str, BlobRef]', self._call('pool.get_blobs', self_))

    def get_tags(self, self_: PoolRef) -> list[str]:
        """``pool.get_tags``"""
        return cast('list[str]', self._call('pool.get_tags', self_))

    def set_tags(self, self_: PoolRef, value: list[str]) -> None:
        """``pool.set_tags``"""
        return cast('None', self._call('pool.set_tags', self_, value))

    def add_tags(self, self_: PoolRef, value: str) -> None:
        """``pool.add_tags``"""
        return cast('None', self._call('pool.add_tags', self_, value))

    def remove_tags(self, self_: PoolRef, value: str) -> None:
        """``pool.remove_tags``"""
        return cast('None', self._call('pool.remove_tags', self_, value))

    def get_gui_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_gui_config``"""
        return cast('dict[str, str]', self._call('pool.get_gui_config', self_))

    def set_gui_config(self, self_: PoolRef, value: dict[str, str]) -> None:
        """``pool.set_gui_config``"""
        return cast('None', self._call('pool.set_gui_config', self_, value))

    def add_to_gui_config(self, self_: PoolRef, key: str, value: str) -> None:
        """``pool.add_to_gui_config``"""
        return cast('None', self._call('pool.add_to_gui_config', self_, key, value))

    def remove_from_gui_config(self, self_: PoolRef, key: str) -> None:
        """``pool.remove_from_gui_config``"""
        return cast('None', self._call('pool.remove_from_gui_config', self_, key))

    def get_health_check_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_health_check_config``"""
        return cast('dict[str, str]', self._call('pool.get_health_check_config', self_))

    def set_health_check_config(self, self_: PoolRef, value: dict[str, str]) -> None:
        """``pool.set_health_check_config``"""
        return cast('None', self._call('pool.set_health_check_config', self_, value))

    def add_to_health_check_config(self, self_: PoolRef, key: str, value: str) -> None:
        """``pool.add_to_health_check_config``"""
        return cast('None', self._call('pool.add_to_health_check_config', self_, key, value))

    def remove_from_health_check_config(self, self_: PoolRef, key: str) -> None:
        """``pool.remove_from_health_check_config``"""
        return cast('None', self._call('pool.remove_from_health_check_config', self_, key))

    def get_wlb_url(self, self_: PoolRef) -> str:
        """``pool.get_wlb_url``"""
        return cast('str', self._call('pool.get_wlb_url', self_))

    def get_wlb_username(self, self_: PoolRef) -> str:
        """``pool.get_wlb_username``"""
        return cast('str', self._call('pool.get_wlb_username', self_))

    def get_wlb_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_wlb_enabled``"""
        return cast('bool', self._call('pool.get_wlb_enabled', self_))

    def set_wlb_enabled(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_wlb_enabled``"""
        return cast('None', self._call('pool.set_wlb_enabled', self_, value))

    def get_wlb_verify_cert(self, self_: PoolRef) -> bool:
        """``pool.get_wlb_verify_cert``"""
        return cast('bool', self._call('pool.get_wlb_verify_cert', self_))

    def set_wlb_verify_cert(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_wlb_verify_cert``"""
        return cast('None', self._call('pool.set_wlb_verify_cert', self_, value))

    def get_redo_log_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_redo_log_enabled``"""
        return cast('bool', self._call('pool.get_redo_log_enabled', self_))

    def get_redo_log_vdi(self, self_: PoolRef) -> VDIRef:
        """``pool.get_redo_log_vdi``"""
        return cast('VDIRef', self._call('pool.get_redo_log_vdi', self_))

    def get_vswitch_controller(self, self_: PoolRef) -> str:
        """``pool.get_vswitch_controller``"""
        return cast('str', self._call('pool.get_vswitch_controller', self_))

    def get_restrictions(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_restrictions``"""
        return cast('dict[str, str]', self._call('pool.get_restrictions', self_))

    def get_metadata_VDIs(self, self_: PoolRef) -> list[VDIRef]:
        """``pool.get_metadata_VDIs``"""
        return cast('list[VDIRef]', self._call('pool.get_metadata_VDIs', self_))

    def get_ha_cluster_stack(self, self_: PoolRef) -> str:
        """``pool.get_ha_cluster_stack``"""
        return cast('str', self._call('pool.get_ha_cluster_stack', self_))

    def get_allowed_operations(self, self_: PoolRef) -> list[PoolAllowedOperations]:
        """``pool.get_allowed_operations``"""
        return cast('list[PoolAllowedOperations]', self._call('pool.get_allowed_operations', self_))

    def get_current_operations(self, self_: PoolRef) -> dict[str, PoolAllowedOperations]:
        """``pool.get_current_operations``"""
        return cast('dict[str, PoolAllowedOperations]', self._call('pool.get_current_operations', self_))

    def get_guest_agent_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_guest_agent_config``"""
        return cast('dict[str, str]', self._call('pool.get_guest_agent_config', self_))

    def get_cpu_info(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_cpu_info``"""
        return cast('dict[str, str]', self._call('pool.get_cpu_info', self_))

    def get_policy_no_vendor_device(self, self_: PoolRef) -> bool:
        """``pool.get_policy_no_vendor_device``"""
        return cast('bool', self._call('pool.get_policy_no_vendor_device', self_))

    def set_policy_no_vendor_device(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_policy_no_vendor_device``"""
        return cast('None', self._call('pool.set_policy_no_vendor_device', self_, value))

    def get_live_patching_disabled(self, self_: PoolRef) -> bool:
        """``pool.get_live_patching_disabled``"""
        return cast('bool', self._call('pool.get_live_patching_disabled', self_))

    def set_live_patching_disabled(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_live_patching_disabled``"""
        return cast('None', self._call('pool.set_live_patching_disabled', self_, value))

    def get_igmp_snooping_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_igmp_snooping_enabled``"""
        return cast('bool', self._call('pool.get_igmp_snooping_enabled', self_))

    def get_uefi_certificates(self, self_: PoolRef) -> str:
        """``pool.get_uefi_certificates``"""
        return cast('str', self._call('pool.get_uefi_certificates', self_))

    def get_custom_uefi_certificates(self, self_: PoolRef) -> str:
        """``pool.get_custom_uefi_certificates``"""
        return cast('str', self._call('pool.get_custom_uefi_certificates', self_))

    def get_is_psr_pending(self, self_: PoolRef) -> bool:
        """``pool.get_is_psr_pending``"""
        return cast('bool', self._call('pool.get_is_psr_pending', self_))

    def set_is_psr_pending(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_is_psr_pending``"""
        return cast('None', self._call('pool.set_is_psr_pending', self_, value))

    def get_tls_verification_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_tls_verification_enabled``"""
        return cast('bool', self._call('pool.get_tls_verification_enabled', self_))

    def get_repositories(self, self_: PoolRef) -> list[str]:
        """``pool.get_repositories``"""
        return cast('list[str]', self._call('pool.get_repositories', self_))

    def get_client_certificate_auth_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_client_certificate_auth_enabled``"""
        return cast('bool', self._call('pool.get_client_certificate_auth_enabled', self_))

    def get_client_certificate_auth_name(self, self_: PoolRef) -> str:
        """``pool.get_client_certificate_auth_name``"""
        return cast('str', self._call('pool.get_client_certificate_auth_name', self_))

    def get_repository_proxy_url(self, self_: PoolRef) -> str:
        """``pool.get_repository_proxy_url``"""
        return cast('str', self._call('pool.get_repository_proxy_url', self_))

    def get_repository_proxy_username(self, self_: PoolRef) -> str:
        """``pool.get_repository_proxy_username``"""
        return cast('str', self._call('pool.get_repository_proxy_username', self_))

    def get_repository_proxy_password(self, self_: PoolRef) -> str:
        """``pool.get_repository_proxy_password``"""
        return cast('str', self._call('pool.get_repository_proxy_password', self_))

    def get_migration_compression(self, self_: PoolRef) -> bool:
        """``pool.get_migration_compression``"""
        return cast('bool', self._call('pool.get_migration_compression', self_))

    def set_migration_compression(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_migration_compression``"""
        return cast('None', self._call('pool.set_migration_compression', self_, value))

    def get_coordinator_bias(self, self_: PoolRef) -> bool:
        """``pool.get_coordinator_bias``"""
        return cast('bool', self._call('pool.get_coordinator_bias', self_))

    def set_coordinator_bias(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_coordinator_bias``"""
        return cast('None', self._call('pool.set_coordinator_bias', self_, value))

    def get_local_auth_max_threads(self, self_: PoolRef) -> int:
        """``pool.get_local_auth_max_threads``"""
        return cast('int', self._call('pool.get_local_auth_max_threads', self_))

    def get_ext_auth_max_threads(self, self_: PoolRef) -> int:
        """``pool.get_ext_auth_max_threads``"""
        return cast('int', self._call('pool.get_ext_auth_max_threads', self_))

    def get_telemetry_uuid(self, self_: PoolRef) -> str:
        """``pool.get_telemetry_uuid``"""
        return cast('str', self._call('pool.get_telemetry_uuid', self_))

    def get_telemetry_frequency(self, self_: PoolRef) -> TelemetryFrequency:
        """``pool.get_telemetry_frequency``"""
        return cast('TelemetryFrequency', self._call('pool.get_telemetry_frequency', self_))

    def get_telemetry_next_collection(self, self_: PoolRef) -> str:
        """``pool.get_telemetry_next_collection``"""
        return cast('str', self._call('pool.get_telemetry_next_collection', self_))

    def get_last_update_sync(self, self_: PoolRef) -> str:
        """``pool.get_last_update_sync``"""
        return cast('str', self._call('pool.get_last_update_sync', self_))

    def get_update_sync_frequency(self, self_: PoolRef) -> UpdateSyncFrequency:
        """``pool.get_update_sync_frequency``"""
        return cast('UpdateSyncFrequency', self._call('pool.get_update_sync_frequency', self_))

    def get_update_sync_day(self, self_: PoolRef) -> int:
        """``pool.get_update_sync_day``"""
        return cast('int', self._call('pool.get_update_sync_day', self_))

    def get_update_sync_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_update_sync_enabled``"""
        return cast('bool', self._call('pool.get_update_sync_enabled', self_))

    def set_local_auth_max_threads(self, self_: PoolRef, value: int) -> None:
        """``pool.set_local_auth_max_threads``"""
        return cast('None', self._call('pool.set_local_auth_max_threads', self_, value))

    def create_new_blob(self, pool: PoolRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this pool"""
        return cast('BlobRef', self._call('pool.create_new_blob', pool, name, mime_type, public))

    def set_https_only(self, self_: PoolRef, value: bool) -> None:
        """updates all the host firewalls in the pool to open or close port 80 depending on the value"""
        return cast('None', self._call('pool.set_https_only', self_, value))

    def apply_edition(self, self_: PoolRef, edition: str) -> None:
        """Apply an edition to all hosts in the pool"""
        return cast('None', self._call('pool.apply_edition', self_, edition))

    def get_license_state(self, self_: PoolRef) -> dict[str, str]:
        """This call returns the license state for the pool"""
        return cast('dict[str, str]', self._call('pool.get_license_state', self_))

    def sync_database(self) -> None:
        """Forcibly synchronise the database now"""
        return cast('None', self._call('pool.sync_database'))

    def designate_new_master(self, host: HostRef) -> None:
        """Perform an orderly handover of the role of master to the referenced host."""
        return cast('None', self._call('pool.designate_new_master', host))

    def recover_slaves(self) -> list[HostRef]:
        """Instruct a pool master, M, to try and contact its slaves and, if slaves are in emergency mode, reset their master address to M."""
        return cast('list[HostRef]', self._call('pool.recover_slaves'))

    def has_extension(self, self_: PoolRef, name: str) -> bool:
        """Return true if the extension is available on the pool"""
        return cast('bool', self._call('pool.has_extension', self_, name))

    def set_igmp_snooping_enabled(self, self_: PoolRef, value: bool) -> None:
        """Enable or disable IGMP Snooping on the pool."""
        return cast('None', self._call('pool.set_igmp_snooping_enabled', self_, value))

    def set_vswitch_controller(self, address: str) -> None:
        """Set the IP address of the vswitch controller."""
        return cast('None', self._call('pool.set_vswitch_controller', address))

    def add_to_guest_agent_config(self, self_: PoolRef, key: str, value: str) -> None:
        """Add a key-value pair to the pool-wide guest agent configuration"""
        return cast('None', self._call('pool.add_to_guest_agent_config', self_, key, value))

    def join(self, master_address: str, master_username: str, master_password: str) -> None:
        """Instruct host to join a new pool"""
        return cast('None', self._call('pool.join', master_address, master_username, master_password))

    def join_force(self, master_address: str, master_username: str, master_password: str) -> None:
        """Instruct host to join a new pool"""
        return cast('None', self._call('pool.join_force', master_address, master_username, master_password))

    def eject(self, host: HostRef) -> None:
        """Instruct a pool master to eject a host from the pool"""
        return cast('None', self._call('pool.eject', host))

    def enable_ha(self, heartbeat_srs: list[SRRef], configuration: dict[str, str]) -> None:
        """Turn on High Availability mode"""
        return cast('None', self._call('pool.enable_ha', heartbeat_srs, configuration))

    def disable_ha(self) -> None:
        """Turn off High Availability mode"""
        return cast('None', self._call('pool.disable_ha'))

    def ha_compute_max_host_failures_to_tolerate(self) -> int:
        """Returns the maximum number of host failures we could tolerate before we would be unable to restart configured VMs"""
        return cast('int', self._call('pool.ha_compute_max_host_failures_to_tolerate'))

    def set_ha_host_failures_to_tolerate(self, self_: PoolRef, value: int) -> None:
        """Set the maximum number of host failures to consider in the HA VM restart planner"""
        return cast('None', self._call('pool.set_ha_host_failures_to_tolerate', self_, value))

    def remove_from_guest_agent_config(self, self_: PoolRef, key: str) -> None:
        """Remove a key-value pair from the pool-wide guest agent configuration"""
        return cast('None', self._call('pool.remove_from_guest_agent_config', self_, key))

    def set_telemetry_next_collection(self, self_: PoolRef, value: str) -> None:
        """Set the timestamp for the next telemetry data collection."""
        return cast('None', self._call('pool.set_telemetry_next_collection', self_, value))

    def detect_nonhomogeneous_external_auth(self, pool: PoolRef) -> None:
        """This call asynchronously detects if the external authentication configuration in any slave is different from that in the master and raises appropriate alerts"""
        return cast('None', self._call('pool.detect_nonhomogeneous_external_auth', pool))

    def certificate_install(self, name: str, cert: str) -> None:
        """Install a TLS CA certificate, pool-wide."""
        return cast('None', self._call('pool.certificate_install', name, cert))

    def install_ca_certificate(self, name: str, cert: str) -> None:
        """Install a TLS CA certificate, pool-wide."""
        return cast('None', self._call('pool.install_ca_certificate', name, cert))

    def uninstall_ca_certificate(self, name: str) -> None:
        """Remove a pool-wide TLS CA certificate."""
        return cast('None', self._call('pool.uninstall_ca_certificate', name))

    def certificate_uninstall(self, name: str) -> None:
        """Remove a pool-wide TLS CA certificate."""
        return cast('None', self._call('pool.certificate_uninstall', name))

    def certificate_list(self) -> list[str]:
        """List the names of all installed TLS CA certificates."""
        return cast('list[str]', self._call('pool.certificate_list'))

    def crl_install(self, name: str, cert: str) -> None:
        """Install a TLS CA-issued Certificate Revocation List, pool-wide."""
        return cast('None', self._call('pool.crl_install', name, cert))

    def crl_uninstall(self, name: str) -> None:
        """Remove a pool-wide TLS CA-issued Certificate Revocation List."""
        return cast('None', self._call('pool.crl_uninstall', name))

    def crl_list(self) -> list[str]:
        """List the names of all installed TLS CA-issued Certificate Revocation Lists."""
        return cast('list[str]', self._call('pool.crl_list'))

    def certificate_sync(self) -> None:
        """Copy the TLS CA certificates and CRLs of the master to all slaves."""
        return cast('None', self._call('pool.certificate_sync'))

    def send_test_post(self, host: str, port: int, body: str) -> str:
        """Send the given body to the given host and port, using HTTPS, and print the response. This is used for debugging the SSL layer."""
        return cast('str', self._call('pool.send_test_post', host, port, body))

class RoleApi:
    """The messages of ``role``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: RoleRef) -> RoleRecord:
        """``role.get_record``"""
        return cast('RoleRecord', self._call('role.get_record', self_))

    def get_by_uuid(self, uuid: str) -> RoleRef:
        """``role.get_by_uuid``"""
        return cast('RoleRef', self._call('role.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[RoleRef]:
        """``role.get_by_name_label``"""
        return cast('list[RoleRef]', self._call('role.get_by_name_label', label))

    def get_all(self) -> list[RoleRef]:
        """``role.get_all``"""
        return cast('list[RoleRef]', self._call('role.get_all'))

    def get_all_records(self) -> dict[RoleRef, RoleRecord]:
        """``role.get_all_records``"""
        return cast('dict[RoleRef, RoleRecord]', self._call('role.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[RoleRef, RoleRecord]:
        """``role.get_all_records_where``"""
        return cast('dict[RoleRef, RoleRecord]', self._call('role.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[RoleRef]:
        """``role.get_all_where``"""
        return cast('list[RoleRef]', self._call('role.get_all_where', expr))

    def get_uuid(self, self_: RoleRef) -> str:
        """``role.get_uuid``"""
        return cast('str', self._call('role.get_uuid', self_))

    def get_name_label(self, self_: RoleRef) -> str:
        """``role.get_name_label``"""
        return cast('str', self._call('role.get_name_label', self_))

    def get_name_description(self, self_: RoleRef) -> str:
        """``role.get_name_description``"""
        return cast('str', self._call('role.get_name_description', self_))

    def get_subroles(self, self_: RoleRef) -> list[RoleRef]:
        """``role.get_subroles``"""
        return cast('list[RoleRef]', self._call('role.get_subroles', self_))

    def get_is_internal(self, self_: RoleRef) -> bool:
        """``role.get_is_internal``"""
        return cast('bool', self._call('role.get_is_internal', self_))

    def get_permissions_name_label(self, self_: RoleRef) -> list[str]:
        """This call returns a list of permission names given a role"""
        return cast('list[str]', self._call('role.get_permissions_name_label', self_))

    def get_by_permission_name_label(self, label: str) -> list[RoleRef]:
        """This call returns a list of roles given a permission name"""
        return cast('list[RoleRef]', self._call('role.get_by_permission_name_label', label))

class SessionApi:
    """The messages of ``session``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: SessionRef) -> SessionRecord:
        """``session.get_record``"""
        return cast('SessionRecord', self._call('session.get_record', self_))

    def get_by_uuid(self, uuid: str) -> SessionRef:
        """``session.get_by_uuid``"""
        return cast('SessionRef', self._call('session.get_by_uuid', uuid))

    def get_uuid(self, self_: SessionRef) -> str:
        """``session.get_uuid``"""
        return cast('str', self._call('session.get_uuid', self_))

    def get_this_host(self, self_: SessionRef) -> HostRef:
        """``session.get_this_host``"""
        return cast('HostRef', self._call('session.get_this_host', self_))

    def get_this_user(self, self_: SessionRef) -> UserRef:
        """``session.get_this_user``"""
        return cast('UserRef', self._call('session.get_this_user', self_))

    def get_last_active(self, self_: SessionRef) -> str:
        """``session.get_last_active``"""
        return cast('str', self._call('session.get_last_active', self_))

    def get_pool(self, self_: SessionRef) -> bool:
        """``session.get_pool``"""
        return cast('bool', self._call('session.get_pool', self_))

    def get_other_config(self, self_: SessionRef) -> dict[str, str]:
        """``session.get_other_config``"""
        return cast('dict[str, str]', self._call('session.get_other_config', self_))

    def set_other_config(self, self_: SessionRef, value: dict[str, str]) -> None:
        """``session.set_other_config``"""
        return cast('None', self._call('session.set_other_config', self_, value))

    def add_to_other_config(self, self_: SessionRef, key: str, value: str) -> None:
        """``session.add_to_other_config``"""
        return cast('None', self._call('session.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: SessionRef, key: str) -> None:
        """``session.remove_from_other_config``"""
        return cast('None', self._call('session.remove_from_other_config', self_, key))

    def get_is_local_superuser(self, self_: SessionRef) -> bool:
        """``session.get_is_local_superuser``"""
        return cast('bool', self._call('session.get_is_local_superuser', self_))

    def get_subject(self, self_: SessionRef) -> str:
        """``session.get_subject``"""
        return cast('str', self._call('session.get_subject', self_))

    def get_validation_time(self, self_: SessionRef) -> str:
        """``session.get_validation_time``"""
        return cast('str', self._call('session.get_validation_time', self_))

    def get_auth_user_sid(self, self_: SessionRef) -> str:
        """``session.get_auth_user_sid``"""
        return cast('str', self._call('session.get_auth_user_sid', self_))

    def get_auth_user_name(self, self_: SessionRef) -> str:
        """``session.get_auth_user_name``"""
        return cast('str', self._call('session.get_auth_user_name', self_))

    def get_rbac_permissions(self, self_: SessionRef) -> list[str]:
        """``session.get_rbac_permissions``"""
        return cast('list[str]', self._call('session.get_rbac_permissions', self_))

    def get_tasks(self, self_: SessionRef) -> list[TaskRef]:
        """``session.get_tasks``"""
        return cast('list[TaskRef]', self._call('session.get_tasks', self_))

    def get_parent(self, self_: SessionRef) -> SessionRef:
        """``session.get_parent``"""
        return cast('SessionRef', self._call('session.get_parent', self_))

    def get_originator(self, self_: SessionRef) -> str:
        """``session.get_originator``"""
        return cast('str', self._call('session.get_originator', self_))

    def get_client_certificate(self, self_: SessionRef) -> bool:
        """``session.get_client_certificate``"""
        return cast('bool', self._call('session.get_client_certificate', self_))

    def logout(self) -> None:
        """Log out of a session"""
        return cast('None', self._call('session.logout'))

    def change_password(self, old_pwd: str, new_pwd: str) -> None:
        """Change the account password; if your session is authenticated with root privileges then the old_pwd is validated and the new_pwd is set regardless"""
        return cast('None', self._call('session.change_password', old_pwd, new_pwd))

    def local_logout(self) -> None:
        """Log out of local session."""
        return cast('None', self._call('session.local_logout'))

    def get_all_subject_identifiers(self) -> list[str]:
        """Return a list of all the user subject-identifiers of all existing sessions"""
        return cast('list[str]', self._call('session.get_all_subject_identifiers'))

    def logout_subject_identifier(self, subject_identifier: str) -> None:
        """Log out all sessions associated to a user subject-identifier, except the session associated with the context calling this function"""
        return cast('None', self._call('session.logout_subject_identifier', subject_identifier))

class SMApi:
    """The messages of ``SM``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: SMRef) -> SMRecord:
        """``SM.get_record``"""
        return cast('SMRecord', self._call('SM.get_record', self_))

    def get_by_uuid(self, uuid: str) -> SMRef:
        """``SM.get_by_uuid``"""
        return cast('SMRef', self._call('SM.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[SMRef]:
        """``SM.get_by_name_label``"""
        return cast('list[SMRef]', self._call('SM.get_by_name_label', label))

    def get_all(self) -> list[SMRef]:
        """``SM.get_all``"""
        return cast('list[SMRef]', self._call('SM.get_all'))

    def get_all_records(self) -> dict[SMRef, SMRecord]:
        """``SM.get_all_records``"""
        return cast('dict[SMRef, SMRecord]', self._call('SM.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[SMRef, SMRecord]:
        """``SM.get_all_records_where``"""
        return cast('dict[SMRef, SMRecord]', self._call('SM.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[SMRef]:
        """``SM.get_all_where``"""
        return cast('list[SMRef]', self._call('SM.get_all_where', expr))

    def get_uuid(self, self_: SMRef) -> str:
        """``SM.get_uuid``"""
        return cast('str', self._call('SM.get_uuid', self_))

    def get_name_label(self, self_: SMRef) -> str:
        """``SM.get_name_label``"""
        return cast('str', self._call('SM.get_name_label', self_))

    def get_name_description(self, self_: SMRef) -> str:
        """``SM.get_name_description``"""
        return cast('str', self._call('SM.get_name_description', self_))

    def get_type(self, self_: SMRef) -> str:
        """``SM.get_type``"""
        return cast('str', self._call('SM.get_type', self_))

    def get_vendor(self, self_: SMRef) -> str:
        """``SM.get_vendor``"""
        return cast('str', self._call('SM.get_vendor', self_))

    def get_copyright(self, self_: SMRef) -> str:
        """``SM.get_copyright``"""
        return cast('str', self._call('SM.get_copyright', self_))

    def get_version(self, self_: SMRef) -> str:
        """``SM.get_version``"""
        return cast('str', self._call('SM.get_version', self_))

    def get_required_api_version(self, self_: SMRef) -> str:
        """``SM.get_required_api_version``"""
        return cast('str', self._call('SM.get_required_api_version', self_))

    def get_configuration(self, self_: SMRef) -> dict[str, str]:
        """``SM.get_configuration``"""
        return cast('dict[str, str]', self._call('SM.get_configuration', self_))

    def get_capabilities(self, self_: SMRef) -> list[str]:
        """``SM.get_capabilities``"""
        return cast('list[str]', self._call('SM.get_capabilities', self_))

    def get_features(self, self_: SMRef) -> dict[str, int]:
        """``SM.get_features``"""
        return cast('dict[str, int]', self._call('SM.get_features', self_))

    def get_other_config(self, self_: SMRef) -> dict[str, str]:
        """``SM.get_other_config``"""
        return cast('dict[str, str]', self._call('SM.get_other_config', self_))

    def set_other_config(self, self_: SMRef, value: dict[str, str]) -> None:
        """``SM.set_other_config``"""
        return cast('None', self._call('SM.set_other_config', self_, value))

    def add_to_other_config(self, self_: SMRef, key: str, value: str) -> None:
        """``SM.add_to_other_config``"""
        return cast('None', self._call('SM.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: SMRef, key: str) -> None:
        """``SM.remove_from_other_config``"""
        return cast('None', self._call('SM.remove_from_other_config', self_, key))

    def get_driver_filename(self, self_: SMRef) -> str:
        """``SM.get_driver_filename``"""
        return cast('str', self._call('SM.get_driver_filename', self_))

    def get_required_cluster_stack(self, self_: SMRef) -> list[str]:
        """``SM.get_required_cluster_stack``"""
        return cast('list[str]', self._call('SM.get_required_cluster_stack', self_))

class SRApi:
    """The messages of ``SR``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: SRRef) -> SRRecord:
        """``SR.get_record``"""
        return cast('SRRecord', self._call('SR.get_record', self_))

    def get_by_uuid(self, uuid: str) -> SRRef:
        """``SR.get_by_uuid``"""
        return cast('SRRef', self._call('SR.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[SRRef]:
        """``SR.get_by_name_label``"""
        return cast('list[SRRef]', self._call('SR.get_by_name_label', label))

    def get_all(self) -> list[SRRef]:
        """``SR.get_all``"""
        return cast('list[SRRef]', self._call('SR.get_all'))

    def get_all_records(self) -> dict[SRRef, SRRecord]:
        """``SR.get_all_records``"""
        return cast('dict[SRRef, SRRecord]', self._call('SR.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[SRRef, SRRecord]:
        """``SR.get_all_records_where``"""
        return cast('dict[SRRef, SRRecord]', self._call('SR.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[SRRef]:
        """``SR.get_all_where``"""
        return cast('list[SRRef]', self._call('SR.get_all_where', expr))

    def get_uuid(self, self_: SRRef) -> str:
        """``SR.get_uuid``"""
        return cast('str', self._call('SR.get_uuid', self_))

    def get_name_label(self, self_: SRRef) -> str:
        """``SR.get_name_label``"""
        return cast('str', self._call('SR.get_name_label', self_))

    def get_name_description(self, self_: SRRef) -> str:
        """``SR.get_name_description``"""
        return cast('str', self._call('SR.get_name_description', self_))

    def get_allowed_operations(self, self_: SRRef) -> list[StorageOperations]:
        """``SR.get_allowed_operations``"""
        return cast('list[StorageOperations]', self._call('SR.get_allowed_operations', self_))

    def get_current_operations(self, self_: SRRef) -> dict[str, StorageOperations]:
        """``SR.get_current_operations``"""
        return cast('dict[str, StorageOperations]', self._call('SR.get_current_operations', self_))

    def get_VDIs(self, self_: SRRef) -> list[VDIRef]:
        """``SR.get_VDIs``"""
        return cast('list[VDIRef]', self._call('SR.get_VDIs', self_))

    def get_PBDs(self, self_: SRRef) -> list[PBDRef]:
        """``SR.get_PBDs``"""
        return cast('list[PBDRef]', self._call('SR.get_PBDs', self_))

    def get_virtual_allocation(self, self_: SRRef) -> int:
        """``SR.get_virtual_allocation``"""
        return cast('int', self._call('SR.get_virtual_allocation', self_))

    def get_physical_utilisation(self, self_: SRRef) -> int:
        """``SR.get_physical_utilisation``"""
        return cast('int', self._call('SR.get_physical_utilisation', self_))

    def get_physical_size(self, self_: SRRef) -> int:
        """``SR.get_physical_size``"""
        return cast('int', self._call('SR.get_physical_size', self_))

    def get_type(self, self_: SRRef) -> str:
        """``SR.get_type``"""
        return cast('str', self._call('SR.get_type', self_))

    def get_content_type(self, self_: SRRef) -> str:
        """``SR.get_content_type``"""
        return cast('str', self._call('SR.get_content_type', self_))

    def get_shared(self, self_: SRRef) -> bool:
        """``SR.get_shared``"""
        return cast('bool', self._call('SR.get_shared', self_))

    def get_other_config(self, self_: SRRef) -> dict[str, str]:
        """``SR.get_other_config``"""
        return cast('dict[str, str]', self._call('SR.get_other_config', self_))

    def set_other_config(self, self_: SRRef, value: dict[str, str]) -> None:
        """``SR.set_other_config``"""
        return cast('None', self._call('SR.set_other_config', self_, value))

    def add_to_other_config(self, self_: SRRef, key: str, value: str) -> None:
        """``SR.add_to_other_config``"""
        return cast('None', self._call('SR.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: SRRef, key: str) -> None:
        """``SR.remove_from_other_config``"""
        return cast('None', self._call('SR.remove_from_other_config', self_, key))

    def get_tags(self, self_: SRRef) -> list[str]:
        """``SR.get_tags``"""
        return cast('list[str]', self._call('SR.get_tags', self_))

    def set_tags(self, self_: SRRef, value: list[str]) -> None:
        """``SR.set_tags``"""
        return cast('None', self._call('SR.set_tags', self_, value))

    def add_tags(self, self_: SRRef, value: str) -> None:
        """``SR.add_tags``"""
        return cast('None', self._call('SR.add_tags', self_, value))

    def remove_tags(self, self_: SRRef, value: str) -> None:
        """``SR.remove_tags``"""
        return cast('None', self._call('SR.remove_tags', self_, value))

    def get_sm_config(self, self_: SRRef) -> dict[str, str]:
        """``SR.get_sm_config``"""
        return cast('dict[str, str]', self._call('SR.get_sm_config', self_))

    def set_sm_config(self, self_: SRRef, value: dict[str, str]) -> None:
        """``SR.set_sm_config``"""
        return cast('None', self._call('SR.set_sm_config', self_, value))

    def add_to_sm_config(self, self_: SRRef, key: str, value: str) -> None:
        """``SR.add_to_sm_config``"""
        return cast('None', self._call('SR.add_to_sm_config', self_, key, value))

    def remove_from_sm_config(self, self_: SRRef, key: str) -> None:
        """``SR.remove_from_sm_config``"""
        return cast('None', self._call('SR.remove_from_sm_config', self_, key))

    def get_blobs(self, self_: SRRef) -> dict[str, BlobRef]:
        """``SR.get_blobs``"""
        return cast('dict[str, BlobRef]', self._call('SR.get_blobs', self_))

    def get_local_cache_enabled(self, self_: SRRef) -> bool:
        """``SR.get_local_cache_enabled``"""
        return cast('bool', self._call('SR.get_local_cache_enabled', self_))

    def get_introduced_by(self, self_: SRRef) -> str:
        """``SR.get_introduced_by``"""
        return cast('str', self._call('SR.get_introduced_by', self_))

    def get_clustered(self, self_: SRRef) -> bool:
        """``SR.get_clustered``"""
        return cast('bool', self._call('SR.get_clustered', self_))

    def get_is_tools_sr(self, self_: SRRef) -> bool:
        """``SR.get_is_tools_sr``"""
        return cast('bool', self._call('SR.get_is_tools_sr', self_))

    def create_new_blob(self, sr: SRRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this SR"""
        return cast('BlobRef', self._call('SR.create_new_blob', sr, name, mime_type, public))

    def scan(self, sr: SRRef) -> None:
        """Refreshes the list of VDIs associated with an SR"""
        return cast('None', self._call('SR.scan', sr))

    def set_name_label(self, sr: SRRef, value: str) -> None:
        """Set the name label of the SR"""
        return cast('None', self._call('SR.set_name_label', sr, value))

    def set_name_description(self, sr: SRRef, value: str) -> None:
        """Set the name description of the SR"""
        return cast('None', self._call('SR.set_name_description', sr, value))

    def set_physical_size(self, self_: SRRef, value: int) -> None:
        """Sets the SR's physical_size field"""
        return cast('None', self._call('SR.set_physical_size', self_, value))

    def set_shared(self, sr: SRRef, value: bool) -> None:
        """Sets the shared flag on the SR"""
        return cast('None', self._call('SR.set_shared', sr, value))

    def get_supported_types(self) -> list[str]:
        """Return a set of all the SR types supported by the system"""
        return cast('list[str]', self._call('SR.get_supported_types'))

    def create(self, host: HostRef, device_config: dict[str, str], physical_size: int, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> SRRef:
        """Create a new Storage Repository and introduce it into the managed system, creating both SR record and PBD record to attach it to current host (with specified device_config parameters)"""
        return cast('SRRef', self._call('SR.create', host, device_config, physical_size, name_label, name_description, type, content_type, shared, sm_config))

    def introduce(self, uuid: str, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> SRRef:
        """Introduce a new Storage Repository into the managed system"""
        return cast('SRRef', self._call('SR.introduce', uuid, name_label, name_description, type, content_type, shared, sm_config))

    def forget(self, sr: SRRef) -> None:
        """Removing specified SR-record from database, without attempting to remove SR from disk"""
        return cast('None', self._call('SR.forget', sr))

    def destroy(self, sr: SRRef) -> None:
        """Destroy specified SR, removing SR-record from database and remove SR from disk. (In order to affect this operation the appropriate device_config is read from the specified SR's PBD on current host)"""
        return cast('None', self._call('SR.destroy', sr))

    def update(self, sr: SRRef) -> None:
        """Refresh the fields on the SR object"""
        return cast('None', self._call('SR.update', sr))

    def get_data_sources(self, sr: SRRef) -> list[DataSourceRecord]:
        """``SR.get_data_sources``"""
        return cast('list[DataSourceRecord]', self._call('SR.get_data_sources', sr))

    def record_data_source(self, sr: SRRef, data_source: str) -> None:
        """Start recording the specified data source"""
        return cast('None', self._call('SR.record_data_source', sr, data_source))

    def query_data_source(self, sr: SRRef, data_source: str) -> float:
        """Query the latest value of the specified data source"""
        return cast('float', self._call('SR.query_data_source', sr, data_source))

    def forget_data_source_archives(self, sr: SRRef, data_source: str) -> None:
        """Forget the recorded statistics related to the specified data source"""
        return cast('None', self._call('SR.forget_data_source_archives', sr, data_source))

class TaskApi:
    """The messages of ``task``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: TaskRef) -> TaskRecord:
        """``task.get_record``"""
        return cast('TaskRecord', self._call('task.get_record', self_))

    def get_by_uuid(self, uuid: str) -> TaskRef:
        """``task.get_by_uuid``"""
        return cast('TaskRef', self._call('task.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[TaskRef]:
        """``task.get_by_name_label``"""
        return cast('list[TaskRef]', self._call('task.get_by_name_label', label))

    def get_all(self) -> list[TaskRef]:
        """``task.get_all``"""
        return cast('list[TaskRef]', self._call('task.get_all'))

    def get_all_records(self) -> dict[TaskRef, TaskRecord]:
        """``task.get_all_records``"""
        return cast('dict[TaskRef, TaskRecord]', self._call('task.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[TaskRef, TaskRecord]:
        """``task.get_all_records_where``"""
        return cast('dict[TaskRef, TaskRecord]', self._call('task.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[TaskRef]:
        """``task.get_all_where``"""
        return cast('list[TaskRef]', self._call('task.get_all_where', expr))

    def get_uuid(self, self_: TaskRef) -> str:
        """``task.get_uuid``"""
        return cast('str', self._call('task.get_uuid', self_))

    def get_name_label(self, self_: TaskRef) -> str:
        """``task.get_name_label``"""
        return cast('str', self._call('task.get_name_label', self_))

    def get_name_description(self, self_: TaskRef) -> str:
        """``task.get_name_description``"""
        return cast('str', self._call('task.get_name_description', self_))

    def get_allowed_operations(self, self_: TaskRef) -> list[TaskAllowedOperations]:
        """``task.get_allowed_operations``"""
        return cast('list[TaskAllowedOperations]', self._call('task.get_allowed_operations', self_))

    def get_current_operations(self, self_: TaskRef) -> dict[str, TaskAllowedOperations]:
        """``task.get_current_operations``"""
        return cast('dict[str, TaskAllowedOperations]', self._call('task.get_current_operations', self_))

    def get_created(self, self_: TaskRef) -> str:
        """``task.get_created``"""
        return cast('str', self._call('task.get_created', self_))

    def get_finished(self, self_: TaskRef) -> str:
        """``task.get_finished``"""
        return cast('str', self._call('task.get_finished', self_))

    def get_status(self, self_: TaskRef) -> TaskStatusType:
        """``task.get_status``"""
        return cast('TaskStatusType', self._call('task.get_status', self_))

    def get_resident_on(self, self_: TaskRef) -> HostRef:
        """``task.get_resident_on``"""
        return cast('HostRef', self._call('task.get_resident_on', self_))

    def get_progress(self, self_: TaskRef) -> float:
        """``task.get_progress``"""
        return cast('float', self._call('task.get_progress', self_))

    def get_type(self, self_: TaskRef) -> str:
        """``task.get_type``"""
        return cast('str', self._call('task.get_type', self_))

    def get_result(self, self_: TaskRef) -> str:
        """``task.get_result``"""
        return cast('str', self._call('task.get_result', self_))

    def get_error_info(self, self_: TaskRef) -> list[str]:
        """``task.get_error_info``"""
        return cast('list[str]', self._call('task.get_error_info', self_))

    def get_other_config(self, self_: TaskRef) -> dict[str, str]:
        """``task.get_other_config``"""
        return cast('dict[str, str]', self._call('task.get_other_config', self_))

    def set_other_config(self, self_: TaskRef, value: dict[str, str]) -> None:
        """``task.set_other_config``"""
        return cast('None', self._call('task.set_other_config', self_, value))

    def add_to_other_config(self, self_: TaskRef, key: str, value: str) -> None:
        """``task.add_to_other_config``"""
        return cast('None', self._call('task.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: TaskRef, key: str) -> None:
        """``task.remove_from_other_config``"""
        return cast('None', self._call('task.remove_from_other_config', self_, key))

    def get_subtask_of(self, self_: TaskRef) -> TaskRef:
        """``task.get_subtask_of``"""
        return cast('TaskRef', self._call('task.get_subtask_of', self_))

    def get_subtasks(self, self_: TaskRef) -> list[TaskRef]:
        """``task.get_subtasks``"""
        return cast('list[TaskRef]', self._call('task.get_subtasks', self_))

    def get_backtrace(self, self_: TaskRef) -> str:
        """``task.get_backtrace``"""
        return cast('str', self._call('task.get_backtrace', self_))

    def set_error_info(self, self_: TaskRef, value: list[str]) -> None:
        """Set the task error info"""
        return cast('None', self._call('task.set_error_info', self_, value))

    def set_result(self, self_: TaskRef, value: str) -> None:
        """Set the task result"""
        return cast('None', self._call('task.set_result', self_, value))

    def set_progress(self, self_: TaskRef, value: float) -> None:
        """Set the task progress"""
        return cast('None', self._call('task.set_progress', self_, value))

    def set_status(self, self_: TaskRef, value: TaskStatusType) -> None:
        """Set the task status"""
        return cast('None', self._call('task.set_status', self_, value))

    def cancel(self, task: TaskRef) -> None:
        """Request that a task be cancelled. Note that a task may fail to be cancelled and may complete or fail normally and note that, even when a task does cancel, it might take an arbitrary amount of time."""
        return cast('None', self._call('task.cancel', task))

    def destroy(self, self_: TaskRef) -> None:
        """Destroy the task object"""
        return cast('None', self._call('task.destroy', self_))

    def create(self, label: str, description: str) -> TaskRef:
        """Create a new task object which must be manually destroyed."""
        return cast('TaskRef', self._call('task.create', label, description))

class UserApi:
    """The messages of ``user``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: UserRef) -> UserRecord:
        """``user.get_record``"""
        return cast('UserRecord', self._call('user.get_record', self_))

    def get_by_uuid(self, uuid: str) -> UserRef:
        """``user.get_by_uuid``"""
        return cast('UserRef', self._call('user.get_by_uuid', uuid))

    def create(self, args: UserRecordInput) -> UserRef:
        """``user.create``"""
        return cast('UserRef', self._call('user.create', args))

    def destroy(self, self_: UserRef) -> None:
        """``user.destroy``"""
        return cast('None', self._call('user.destroy', self_))

    def get_uuid(self, self_: UserRef) -> str:
        """``user.get_uuid``"""
        return cast('str', self._call('user.get_uuid', self_))

    def get_short_name(self, self_: UserRef) -> str:
        """``user.get_short_name``"""
        return cast('str', self._call('user.get_short_name', self_))

    def get_fullname(self, self_: UserRef) -> str:
        """``user.get_fullname``"""
        return cast('str', self._call('user.get_fullname', self_))

    def set_fullname(self, self_: UserRef, value: str) -> None:
        """``user.set_fullname``"""
        return cast('None', self._call('user.set_fullname', self_, value))

    def get_other_config(self, self_: UserRef) -> dict[str, str]:
        """``user.get_other_config``"""
        return cast('dict[str, str]', self._call('user.get_other_config', self_))

    def set_other_config(self, self_: UserRef, value: dict[str, str]) -> None:
        """``user.set_other_config``"""
        return cast('None', self._call('user.set_other_config', self_, value))

    def add_to_other_config(self, self_: UserRef, key: str, value: str) -> None:
        """``user.add_to_other_config``"""
        return cast('None', self._call('user.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: UserRef, key: str) -> None:
        """``user.remove_from_other_config``"""
        return cast('None', self._call('user.remove_from_other_config', self_, key))

class VBDApi:
    """The messages of ``VBD``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VBDRef) -> VBDRecord:
        """``VBD.get_record``"""
        return cast('VBDRecord', self._call('VBD.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VBDRef:
        """``VBD.get_by_uuid``"""
        return cast('VBDRef', self._call('VBD.get_by_uuid', uuid))

    def get_all(self) -> list[VBDRef]:
        """``VBD.get_all``"""
        return cast('list[VBDRef]', self._call('VBD.get_all'))

    def get_all_records(self) -> dict[VBDRef, VBDRecord]:
        """``VBD.get_all_records``"""
        return cast('dict[VBDRef, VBDRecord]', self._call('VBD.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VBDRef, VBDRecord]:
        """``VBD.get_all_records_where``"""
        return cast('dict[VBDRef, VBDRecord]', self._call('VBD.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VBDRef]:
        """``VBD.get_all_where``"""
        return cast('list[VBDRef]', self._call('VBD.get_all_where', expr))

    def create(self, args: VBDRecordInput) -> VBDRef:
        """``VBD.create``"""
        return cast('VBDRef', self._call('VBD.create', args))

    def destroy(self, self_: VBDRef) -> None:
        """``VBD.destroy``"""
        return cast('None', self._call('VBD.destroy', self_))

    def get_uuid(self, self_: VBDRef) -> str:
        """``VBD.get_uuid``"""
        return cast('str', self._call('VBD.get_uuid', self_))

    def get_allowed_operations(self, self_: VBDRef) -> list[VbdOperations]:
        """``VBD.get_allowed_operations``"""
        return cast('list[VbdOperations]', self._call('VBD.get_allowed_operations', self_))

    def get_current_operations(self, self_: VBDRef) -> dict[str, VbdOperations]:
        """``VBD.get_current_operations``"""
        return cast('dict[str, VbdOperations]', self._call('VBD.get_current_operations', self_))

    def get_VM(self, self_: VBDRef) -> VMRef:
        """``VBD.get_VM``"""
        return cast('VMRef', self._call('VBD.get_VM', self_))

    def get_VDI(self, self_: VBDRef) -> VDIRef:
        """``VBD.get_VDI``"""
        return cast('VDIRef', self._call('VBD.get_VDI', self_))

    def get_device(self, self_: VBDRef) -> str:
        """``VBD.get_device``"""
        return cast('str', self._call('VBD.get_device', self_))

    def get_userdevice(self, self_: VBDRef) -> str:
        """``VBD.get_userdevice``"""
        return cast('str', self._call('VBD.get_userdevice', self_))

    def set_userdevice(self, self_: VBDRef, value: str) -> None:
        """``VBD.set_userdevice``"""
        return cast('None', self._call('VBD.set_userdevice', self_, value))

    def get_bootable(self, self_: VBDRef) -> bool:
        """``VBD.get_bootable``"""
        return cast('bool', self._call('VBD.get_bootable', self_))

    def set_bootable(self, self_: VBDRef, value: bool) -> None:
        """``VBD.set_bootable``"""
        return cast('None', self._call('VBD.set_bootable', self_, value))

    def get_mode(self, self_: VBDRef) -> VbdMode:
        """``VBD.get_mode``"""
        return cast('VbdMode', self._call('VBD.get_mode', self_))

    def get_type(self, self_: VBDRef) -> VbdType:
        """``VBD.get_type``"""
        return cast('VbdType', self._call('VBD.get_type', self_))

    def set_type(self, self_: VBDRef, value: VbdType) -> None:
        """``VBD.set_type``"""
        return cast('None', self._call('VBD.set_type', self_, value))

    def get_unpluggable(self, self_: VBDRef) -> bool:
        """``VBD.get_unpluggable``"""
        return cast('bool', self._call('VBD.get_unpluggable', self_))

    def set_unpluggable(self, self_: VBDRef, value: bool) -> None:
        """``VBD.set_unpluggable``"""
        return cast('None', self._call('VBD.set_unpluggable', self_, value))

    def get_storage_lock(self, self_: VBDRef) -> bool:
        """``VBD.get_storage_lock``"""
        return cast('bool', self._call('VBD.get_storage_lock', self_))

    def get_empty(self, self_: VBDRef) -> bool:
        """``VBD.get_empty``"""
        return cast('bool', self._call('VBD.get_empty', self_))

    def get_other_config(self, self_: VBDRef) -> dict[str, str]:
        """``VBD.get_other_config``"""
        return cast('dict[str, str]', self._call('VBD.get_other_config', self_))

    def set_other_config(self, self_: VBDRef, value: dict[str, str]) -> None:
        """``VBD.set_other_config``"""
        return cast('None', self._call('VBD.set_other_config', self_, value))

    def add_to_other_config(self, self_: VBDRef, key: str, value: str) -> None:
        """``VBD.add_to_other_config``"""
        return cast('None', self._call('VBD.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VBDRef, key: str) -> None:
        """``VBD.remove_from_other_config``"""
        return cast('None', self._call('VBD.remove_from_other_config', self_, key))

    def get_currently_attached(self, self_: VBDRef) -> bool:
        """``VBD.get_currently_attached``"""
        return cast('bool', self._call('VBD.get_currently_attached', self_))

    def get_status_code(self, self_: VBDRef) -> int:
        """``VBD.get_status_code``"""
        return cast('int', self._call('VBD.get_status_code', self_))

    def get_status_detail(self, self_: VBDRef) -> str:
        """``VBD.get_status_detail``"""
        return cast('str', self._call('VBD.get_status_detail', self_))

    def get_runtime_properties(self, self_: VBDRef) -> dict[str, str]:
        """``VBD.get_runtime_properties``"""
        return cast('dict[str, str]', self._call('VBD.get_runtime_properties', self_))

    def get_qos_algorithm_type(self, self_: VBDRef) -> str:
        """``VBD.get_qos_algorithm_type``"""
        return cast('str', self._call('VBD.get_qos_algorithm_type', self_))

    def set_qos_algorithm_type(self, self_: VBDRef, value: str) -> None:
        """``VBD.set_qos_algorithm_type``"""
        return cast('None', self._call('VBD.set_qos_algorithm_type', self_, value))

    def get_qos_algorithm_params(self, self_: VBDRef) -> dict[str, str]:
        """``VBD.get_qos_algorithm_params``"""
        return cast('dict[str, str]', self._call('VBD.get_qos_algorithm_params', self_))

    def set_qos_algorithm_params(self, self_: VBDRef, value: dict[str, str]) -> None:
        """``VBD.set_qos_algorithm_params``"""
        return cast('None', self._call('VBD.set_qos_algorithm_params', self_, value))

    def add_to_qos_algorithm_params(self, self_: VBDRef, key: str, value: str) -> None:
        """``VBD.add_to_qos_algorithm_params``"""
        return cast('None', self._call('VBD.add_to_qos_algorithm_params', self_, key, value))

    def remove_from_qos_algorithm_params(self, self_: VBDRef, key: str) -> None:
        """``VBD.remove_from_qos_algorithm_params``"""
        return cast('None', self._call('VBD.remove_from_qos_algorithm_params', self_, key))

    def get_qos_supported_algorithms(self, self_: VBDRef) -> list[str]:
        """``VBD.get_qos_supported_algorithms``"""
        return cast('list[str]', self._call('VBD.get_qos_supported_algorithms', self_))

    def get_metrics(self, self_: VBDRef) -> VBDMetricsRef:
        """``VBD.get_metrics``"""
        return cast('VBDMetricsRef', self._call('VBD.get_metrics', self_))

    def plug(self, self_: VBDRef) -> None:
        """Hotplug the specified VBD, dynamically attaching it to the running VM"""
        return cast('None', self._call('VBD.plug', self_))

    def unplug(self, self_: VBDRef) -> None:
        """Hot-unplug the specified VBD, dynamically unattaching it from the running VM"""
        return cast('None', self._call('VBD.unplug', self_))

    def unplug_force(self, self_: VBDRef) -> None:
        """Forcibly unplug the specified VBD"""
        return cast('None', self._call('VBD.unplug_force', self_))

    def insert(self, vbd: VBDRef, vdi: VDIRef) -> None:
        """Insert new media into the device"""
        return cast('None', self._call('VBD.insert', vbd, vdi))

    def eject(self, vbd: VBDRef) -> None:
        """Remove the media from the device and leave it empty"""
        return cast('None', self._call('VBD.eject', vbd))

    def set_mode(self, self_: VBDRef, value: VbdMode) -> None:
        """Sets the mode of the VBD. The power_state of the VM must be halted."""
        return cast('None', self._call('VBD.set_mode', self_, value))

    def assert_attachable(self, self_: VBDRef) -> None:
        """Throws an error if this VBD could not be attached to this VM if the VM were running. Intended for debugging."""
        return cast('None', self._call('VBD.assert_attachable', self_))

class VBDMetricsApi:
    """The messages of ``VBD_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VBDMetricsRef) -> VBDMetricsRecord:
        """``VBD_metrics.get_record``"""
        return cast('VBDMetricsRecord', self._call('VBD_metrics.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VBDMetricsRef:
        """``VBD_metrics.get_by_uuid``"""
        return cast('VBDMetricsRef', self._call('VBD_metrics.get_by_uuid', uuid))

    def get_all(self) -> list[VBDMetricsRef]:
        """``VBD_metrics.get_all``"""
        return cast('list[VBDMetricsRef]', self._call('VBD_metrics.get_all'))

    def get_all_records(self) -> dict[VBDMetricsRef, VBDMetricsRecord]:
        """``VBD_metrics.get_all_records``"""
        return cast('dict[VBDMetricsRef, VBDMetricsRecord]', self._call('VBD_metrics.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VBDMetricsRef, VBDMetricsRecord]:
        """``VBD_metrics.get_all_records_where``"""
        return cast('dict[VBDMetricsRef, VBDMetricsRecord]', self._call('VBD_metrics.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VBDMetricsRef]:
        """``VBD_metrics.get_all_where``"""
        return cast('list[VBDMetricsRef]', self._call('VBD_metrics.get_all_where', expr))

    def get_uuid(self, self_: VBDMetricsRef) -> str:
        """``VBD_metrics.get_uuid``"""
        return cast('str', self._call('VBD_metrics.get_uuid', self_))

    def get_io_read_kbs(self, self_: VBDMetricsRef) -> float:
        """``VBD_metrics.get_io_read_kbs``"""
        return cast('float', self._call('VBD_metrics.get_io_read_kbs', self_))

    def get_io_write_kbs(self, self_: VBDMetricsRef) -> float:
        """``VBD_metrics.get_io_write_kbs``"""
        return cast('float', self._call('VBD_metrics.get_io_write_kbs', self_))

    def get_last_updated(self, self_: VBDMetricsRef) -> str:
        """``VBD_metrics.get_last_updated``"""
        return cast('str', self._call('VBD_metrics.get_last_updated', self_))

    def get_other_config(self, self_: VBDMetricsRef) -> dict[str, str]:
        """``VBD_metrics.get_other_config``"""
        return cast('dict[str, str]', self._call('VBD_metrics.get_other_config', self_))

    def set_other_config(self, self_: VBDMetricsRef, value: dict[str, str]) -> None:
        """``VBD_metrics.set_other_config``"""
        return cast('None', self._call('VBD_metrics.set_other_config', self_, value))

    def add_to_other_config(self, self_: VBDMetricsRef, key: str, value: str) -> None:
        """``VBD_metrics.add_to_other_config``"""
        return cast('None', self._call('VBD_metrics.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VBDMetricsRef, key: str) -> None:
        """``VBD_metrics.remove_from_other_config``"""
        return cast('None', self._call('VBD_metrics.remove_from_other_config', self_, key))

class VDIApi:
    """The messages of ``VDI``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VDIRef) -> VDIRecord:
        """``VDI.get_record``"""
        return cast('VDIRecord', self._call('VDI.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VDIRef:
        """``VDI.get_by_uuid``"""
        return cast('VDIRef', self._call('VDI.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[VDIRef]:
        """``VDI.get_by_name_label``"""
        return cast('list[VDIRef]', self._call('VDI.get_by_name_label', label))

    def get_all(self) -> list[VDIRef]:
        """``VDI.get_all``"""
        return cast('list[VDIRef]', self._call('VDI.get_all'))

    def get_all_records(self) -> dict[VDIRef, VDIRecord]:
        """``VDI.get_all_records``"""
        return cast('dict[VDIRef, VDIRecord]', self._call('VDI.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VDIRef, VDIRecord]:
        """``VDI.get_all_records_where``"""
        return cast('dict[VDIRef, VDIRecord]', self._call('VDI.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VDIRef]:
        """``VDI.get_all_where``"""
        return cast('list[VDIRef]', self._call('VDI.get_all_where', expr))

    def create(self, args: VDIRecordInput) -> VDIRef:
        """``VDI.create``"""
        return cast('VDIRef', self._call('VDI.create', args))

    def destroy(self, self_: VDIRef) -> None:
        """``VDI.destroy``"""
        return cast('None', self._call('VDI.destroy', self_))

    def get_uuid(self, self_: VDIRef) -> str:
        """``VDI.get_uuid``"""
        return cast('str', self._call('VDI.get_uuid', self_))

    def get_name_label(self, self_: VDIRef) -> str:
        """``VDI.get_name_label``"""
        return cast('str', self._call('VDI.get_name_label', self_))

    def get_name_description(self, self_: VDIRef) -> str:
        """``VDI.get_name_description``"""
        return cast('str', self._call('VDI.get_name_description', self_))

    def get_allowed_operations(self, self_: VDIRef) -> list[VdiOperations]:
        """``VDI.get_allowed_operations``"""
        return cast('list[VdiOperations]', self._call('VDI.get_allowed_operations', self_))

    def get_current_operations(self, self_: VDIRef) -> dict[str, VdiOperations]:
        """``VDI.get_current_operations``"""
        return cast('dict[str, VdiOperations]', self._call('VDI.get_current_operations', self_))

    def get_SR(self, self_: VDIRef) -> SRRef:
        """``VDI.get_SR``"""
        return cast('SRRef', self._call('VDI.get_SR', self_))

    def get_VBDs(self, self_: VDIRef) -> list[VBDRef]:
        """``VDI.get_VBDs``"""
        return cast('list[VBDRef]', self._call('VDI.get_VBDs', self_))

    def get_crash_dumps(self, self_: VDIRef) -> list[str]:
        """``VDI.get_crash_dumps``"""
        return cast('list[str]', self._call('VDI.get_crash_dumps', self_))

    def get_virtual_size(self, self_: VDIRef) -> int:
        """``VDI.get_virtual_size``"""
        return cast('int', self._call('VDI.get_virtual_size', self_))

    def get_physical_utilisation(self, self_: VDIRef) -> int:
        """``VDI.get_physical_utilisation``"""
        return cast('int', self._call('VDI.get_physical_utilisation', self_))

    def get_type(self, self_: VDIRef) -> VdiType:
        """``VDI.get_type``"""
        return cast('VdiType', self._call('VDI.get_type', self_))

    def get_sharable(self, self_: VDIRef) -> bool:
        """``VDI.get_sharable``"""
        return cast('bool', self._call('VDI.get_sharable', self_))

    def get_read_only(self, self_: VDIRef) -> bool:
        """``VDI.get_read_only``"""
        return cast('bool', self._call('VDI.get_read_only', self_))

    def get_other_config(self, self_: VDIRef) -> dict[str, str]:
        """``VDI.get_other_config``"""
        return cast('dict[str, str]', self._call('VDI.get_other_config', self_))

    def set_other_config(self, self_: VDIRef, value: dict[str, str]) -> None:
        """``VDI.set_other_config``"""
        return cast('None', self._call('VDI.set_other_config', self_, value))

    def add_to_other_config(self, self_: VDIRef, key: str, value: str) -> None:
        """``VDI.add_to_other_config``"""
        return cast('None', self._call('VDI.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VDIRef, key: str) -> None:
        """``VDI.remove_from_other_config``"""
        return cast('None', self._call('VDI.remove_from_other_config', self_, key))

    def get_storage_lock(self, self_: VDIRef) -> bool:
        """``VDI.get_storage_lock``"""
        return cast('bool', self._call('VDI.get_storage_lock', self_))

    def get_location(self, self_: VDIRef) -> str:
        """``VDI.get_location``"""
        return cast('str', self._call('VDI.get_location', self_))

    def get_managed(self, self_: VDIRef) -> bool:
        """``VDI.get_managed``"""
        return cast('bool', self._call('VDI.get_managed', self_))

    def get_missing(self, self_: VDIRef) -> bool:
        """``VDI.get_missing``"""
        return cast('bool', self._call('VDI.get_missing', self_))

    def get_parent(self, self_: VDIRef) -> VDIRef:
        """``VDI.get_parent``"""
        return cast('VDIRef', self._call('VDI.get_parent', self_))

    def get_xenstore_data(self, self_: VDIRef) -> dict[str, str]:
        """``VDI.get_xenstore_data``"""
        return cast('dict[str, str]', self._call('VDI.get_xenstore_data', self_))

    def set_xenstore_data(self, self_: VDIRef, value: dict[str, str]) -> None:
        """``VDI.set_xenstore_data``"""
        return cast('None', self._call('VDI.set_xenstore_data', self_, value))

    def add_to_xenstore_data(self, self_: VDIRef, key: str, value: str) -> None:
        """``VDI.add_to_xenstore_data``"""
        return cast('None', self._call('VDI.add_to_xenstore_data', self_, key, value))

    def remove_from_xenstore_data(self, self_: VDIRef, key: str) -> None:
        """``VDI.remove_from_xenstore_data``"""
        return cast('None', self._call('VDI.remove_from_xenstore_data', self_, key))

    def get_sm_config(self, self_: VDIRef) -> dict[str, str]:
        """``VDI.get_sm_config``"""
        return cast('dict[str, str]', self._call('VDI.get_sm_config', self_))

    def set_sm_config(self, self_: VDIRef, value: dict[str, str]) -> None:
        """``VDI.set_sm_config``"""
        return cast('None', self._call('VDI.set_sm_config', self_, value))

    def add_to_sm_config(self, self_: VDIRef, key: str, value: str) -> None:
        """``VDI.add_to_sm_config``"""
        return cast('None', self._call('VDI.add_to_sm_config', self_, key, value))

    def remove_from_sm_config(self, self_: VDIRef, key: str) -> None:
        """``VDI.remove_from_sm_config``"""
        return cast('None', self._call('VDI.remove_from_sm_config', self_, key))

    def get_is_a_snapshot(self, self_: VDIRef) -> bool:
        """``VDI.get_is_a_snapshot``"""
        return cast('bool', self._call('VDI.get_is_a_snapshot', self_))

    def get_snapshot_of(self, self_: VDIRef) -> VDIRef:
        """``VDI.get_snapshot_of``"""
        return cast('VDIRef', self._call('VDI.get_snapshot_of', self_))

    def get_snapshots(self, self_: VDIRef) -> list[VDIRef]:
        """``VDI.get_snapshots``"""
        return cast('list[VDIRef]', self._call('VDI.get_snapshots', self_))

    def get_snapshot_time(self, self_: VDIRef) -> str:
        """``VDI.get_snapshot_time``"""
        return cast('str', self._call('VDI.get_snapshot_time', self_))

    def get_tags(self, self_: VDIRef) -> list[str]:
        """``VDI.get_tags``"""
        return cast('list[str]', self._call('VDI.get_tags', self_))

    def set_tags(self, self_: VDIRef, value: list[str]) -> None:
        """``VDI.set_tags``"""
        return cast('None', self._call('VDI.set_tags', self_, value))

    def add_tags(self, self_: VDIRef, value: str) -> None:
        """``VDI.add_tags``"""
        return cast('None', self._call('VDI.add_tags', self_, value))

    def remove_tags(self, self_: VDIRef, value: str) -> None:
        """``VDI.remove_tags``"""
        return cast('None', self._call('VDI.remove_tags', self_, value))

    def get_allow_caching(self, self_: VDIRef) -> bool:
        """``VDI.get_allow_caching``"""
        return cast('bool', self._call('VDI.get_allow_caching', self_))

    def get_on_boot(self, self_: VDIRef) -> OnBoot:
        """``VDI.get_on_boot``"""
        return cast('OnBoot', self._call('VDI.get_on_boot', self_))

    def get_metadata_of_pool(self, self_: VDIRef) -> PoolRef:
        """``VDI.get_metadata_of_pool``"""
        return cast('PoolRef', self._call('VDI.get_metadata_of_pool', self_))

    def get_metadata_latest(self, self_: VDIRef) -> bool:
        """``VDI.get_metadata_latest``"""
        return cast('bool', self._call('VDI.get_metadata_latest', self_))

    def get_is_tools_iso(self, self_: VDIRef) -> bool:
        """``VDI.get_is_tools_iso``"""
        return cast('bool', self._call('VDI.get_is_tools_iso', self_))

    def get_cbt_enabled(self, self_: VDIRef) -> bool:
        """``VDI.get_cbt_enabled``"""
        return cast('bool', self._call('VDI.get_cbt_enabled', self_))

    def resize(self, vdi: VDIRef, size: int) -> None:
        """Resize the VDI."""
        return cast('None', self._call('VDI.resize', vdi, size))

    def clone(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> VDIRef:
        """Take an exact copy of the VDI and return a reference to the new disk. If any driver_params are specified then these are passed through to the storage-specific substrate driver that implements the clone operation. NB the clone lives in the same Storage Repository as its parent."""
        return cast('VDIRef', self._call('VDI.clone', vdi, driver_params))

    def snapshot(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> VDIRef:
        """Take a read-only snapshot of the VDI, returning a reference to the snapshot. If any driver_params are specified then these are passed through to the storage-specific substrate driver that takes the snapshot. NB the snapshot lives in the same Storage Repository as its parent."""
        return cast('VDIRef', self._call('VDI.snapshot', vdi, driver_params))

    def set_name_label(self, self_: VDIRef, value: str) -> None:
        """Set the name label of the VDI. This can only happen when then its SR is currently attached."""
        return cast('None', self._call('VDI.set_name_label', self_, value))

    def set_name_description(self, self_: VDIRef, value: str) -> None:
        """Set the name description of the VDI. This can only happen when its SR is currently attached."""
        return cast('None', self._call('VDI.set_name_description', self_, value))

    def set_sharable(self, self_: VDIRef, value: bool) -> None:
        """Sets the VDI's sharable field"""
        return cast('None', self._call('VDI.set_sharable', self_, value))

    def set_read_only(self, self_: VDIRef, value: bool) -> None:
        """Sets the VDI's read_only field"""
        return cast('None', self._call('VDI.set_read_only', self_, value))

    def set_allow_caching(self, self_: VDIRef, value: bool) -> None:
        """Set the value of the allow_caching parameter. This value can only be changed when the VDI is not attached to a running VM. The caching behaviour is only affected by this flag for VHD-based VDIs that have one parent and no child VHDs. Moreover, caching only takes place when the host running the VM containing this VDI has a nominated SR for local caching."""
        return cast('None', self._call('VDI.set_allow_caching', self_, value))

    def forget(self, vdi: VDIRef) -> None:
        """Removes a VDI record from the database"""
        return cast('None', self._call('VDI.forget', vdi))

    def update(self, vdi: VDIRef) -> None:
        """Ask the storage backend to refresh the fields in the VDI object"""
        return cast('None', self._call('VDI.update', vdi))

    def copy(self, vdi: VDIRef, sr: SRRef, base_vdi: VDIRef, into_vdi: VDIRef) -> VDIRef:
        """Copy either a full VDI or the block differences between two VDIs into either a fresh VDI or an existing VDI."""
        return cast('VDIRef', self._call('VDI.copy', vdi, sr, base_vdi, into_vdi))

    def introduce(self, uuid: str, name_label: str, name_description: str, SR: SRRef, type: VdiType, sharable: bool, read_only: bool, other_config: dict[str, str], location: str, xenstore_data: dict[str, str], sm_config: dict[str, str], managed: bool, virtual_size: int, physical_utilisation: int, metadata_of_pool: PoolRef, is_a_snapshot: bool, snapshot_time: str, snapshot_of: VDIRef) -> VDIRef:
        """Create a new VDI record in the database only"""
        return cast('VDIRef', self._call('VDI.introduce', uuid, name_label, name_description, SR, type, sharable, read_only, other_config, location, xenstore_data, sm_config, managed, virtual_size, physical_utilisation, metadata_of_pool, is_a_snapshot, snapshot_time, snapshot_of))

    def enable_cbt(self, self_: VDIRef) -> None:
        """Enable changed block tracking for the VDI. This call is idempotent - enabling CBT for a VDI for which CBT is already enabled results in a no-op, and no error will be thrown."""
        return cast('None', self._call('VDI.enable_cbt', self_))

    def disable_cbt(self, self_: VDIRef) -> None:
        """Disable changed block tracking for the VDI. This call is only allowed on VDIs that support enabling CBT. It is an idempotent operation - disabling CBT for a VDI for which CBT is not enabled results in a no-op, and no error will be thrown."""
        return cast('None', self._call('VDI.disable_cbt', self_))

    def data_destroy(self, self_: VDIRef) -> None:
        """Delete the data of the snapshot VDI, but keep its changed block tracking metadata. When successful, this call changes the type of the VDI to cbt_metadata. This operation is idempotent: calling it on a VDI of type cbt_metadata results in a no-op, and no error will be thrown."""
        return cast('None', self._call('VDI.data_destroy', self_))

    def list_changed_blocks(self, vdi_from: VDIRef, vdi_to: VDIRef) -> str:
        """Compare two VDIs in 64k block increments and report which blocks differ. This operation is not allowed when vdi_to is attached to a VM."""
        return cast('str', self._call('VDI.list_changed_blocks', vdi_from, vdi_to))

    def set_on_boot(self, self_: VDIRef, value: OnBoot) -> None:
        """Set the value of the on_boot parameter. This value can only be changed when the VDI is not attached to a running VM."""
        return cast('None', self._call('VDI.set_on_boot', self_, value))

    def resize_online(self, vdi: VDIRef, size: int) -> None:
        """Resize the VDI which may or may not be attached to running guests."""
        return cast('None', self._call('VDI.resize_online', vdi, size))

class VIFApi:
    """The messages of ``VIF``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VIFRef) -> VIFRecord:
        """``VIF.get_record``"""
        return cast('VIFRecord', self._call('VIF.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VIFRef:
        """``VIF.get_by_uuid``"""
        return cast('VIFRef', self._call('VIF.get_by_uuid', uuid))

    def get_all(self) -> list[VIFRef]:
        """``VIF.get_all``"""
        return cast('list[VIFRef]', self._call('VIF.get_all'))

    def get_all_records(self) -> dict[VIFRef, VIFRecord]:
        """``VIF.get_all_records``"""
        return cast('dict[VIFRef, VIFRecord]', self._call('VIF.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VIFRef, VIFRecord]:
        """``VIF.get_all_records_where``"""
        return cast('dict[VIFRef, VIFRecord]', self._call('VIF.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VIFRef]:
        """``VIF.get_all_where``"""
        return cast('list[VIFRef]', self._call('VIF.get_all_where', expr))

    def create(self, args: VIFRecordInput) -> VIFRef:
        """``VIF.create``"""
        return cast('VIFRef', self._call('VIF.create', args))

    def destroy(self, self_: VIFRef) -> None:
        """``VIF.destroy``"""
        return cast('None', self._call('VIF.destroy', self_))

    def get_uuid(self, self_: VIFRef) -> str:
        """``VIF.get_uuid``"""
        return cast('str', self._call('VIF.get_uuid', self_))

    def get_allowed_operations(self, self_: VIFRef) -> list[VifOperations]:
        """``VIF.get_allowed_operations``"""
        return cast('list[VifOperations]', self._call('VIF.get_allowed_operations', self_))

    def get_current_operations(self, self_: VIFRef) -> dict[str, VifOperations]:
        """``VIF.get_current_operations``"""
        return cast('dict[str, VifOperations]', self._call('VIF.get_current_operations', self_))

    def get_device(self, self_: VIFRef) -> str:
        """``VIF.get_device``"""
        return cast('str', self._call('VIF.get_device', self_))

    def get_network(self, self_: VIFRef) -> NetworkRef:
        """``VIF.get_network``"""
        return cast('NetworkRef', self._call('VIF.get_network', self_))

    def get_VM(self, self_: VIFRef) -> VMRef:
        """``VIF.get_VM``"""
        return cast('VMRef', self._call('VIF.get_VM', self_))

    def get_MAC(self, self_: VIFRef) -> str:
        """``VIF.get_MAC``"""
        return cast('str', self._call('VIF.get_MAC', self_))

    def get_MTU(self, self_: VIFRef) -> int:
        """``VIF.get_MTU``"""
        return cast('int', self._call('VIF.get_MTU', self_))

    def get_other_config(self, self_: VIFRef) -> dict[str, str]:
        """``VIF.get_other_config``"""
        return cast('dict[str, str]', self._call('VIF.get_other_config', self_))

    def set_other_config(self, self_: VIFRef, value: dict[str, str]) -> None:
        """``VIF.set_other_config``"""
        return cast('None', self._call('VIF.set_other_config', self_, value))

    def add_to_other_config(self, self_: VIFRef, key: str, value: str) -> None:
        """``VIF.add_to_other_config``"""
        return cast('None', self._call('VIF.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VIFRef, key: str) -> None:
        """``VIF.remove_from_other_config``"""
        return cast('None', self._call('VIF.remove_from_other_config', self_, key))

    def get_currently_attached(self, self_: VIFRef) -> bool:
        """``VIF.get_currently_attached``"""
        return cast('bool', self._call('VIF.get_currently_attached', self_))

    def get_status_code(self, self_: VIFRef) -> int:
        """``VIF.get_status_code``"""
        return cast('int', self._call('VIF.get_status_code', self_))

    def get_status_detail(self, self_: VIFRef) -> str:
        """``VIF.get_status_detail``"""
        return cast('str', self._call('VIF.get_status_detail', self_))

    def get_runtime_properties(self, self_: VIFRef) -> dict[str, str]:
        """``VIF.get_runtime_properties``"""
        return cast('dict[str, str]', self._call('VIF.get_runtime_properties', self_))

    def get_qos_algorithm_type(self, self_: VIFRef) -> str:
        """``VIF.get_qos_algorithm_type``"""
        return cast('str', self._call('VIF.get_qos_algorithm_type', self_))

    def set_qos_algorithm_type(self, self_: VIFRef, value: str) -> None:
        """``VIF.set_qos_algorithm_type``"""
        return cast('None', self._call('VIF.set_qos_algorithm_type', self_, value))

    def get_qos_algorithm_params(self, self_: VIFRef) -> dict[str, str]:
        """``VIF.get_qos_algorithm_params``"""
        return cast('dict[str, str]', self._call('VIF.get_qos_algorithm_params', self_))

    def set_qos_algorithm_params(self, self_: VIFRef, value: dict[str, str]) -> None:
        """``VIF.set_qos_algorithm_params``"""
        return cast('None', self._call('VIF.set_qos_algorithm_params', self_, value))

    def add_to_qos_algorithm_params(self, self_: VIFRef, key: str, value: str) -> None:
        """``VIF.add_to_qos_algorithm_params``"""
        return cast('None', self._call('VIF.add_to_qos_algorithm_params', self_, key, value))

    def remove_from_qos_algorithm_params(self, self_: VIFRef, key: str) -> None:
        """``VIF.remove_from_qos_algorithm_params``"""
        return cast('None', self._call('VIF.remove_from_qos_algorithm_params', self_, key))

    def get_qos_supported_algorithms(self, self_: VIFRef) -> list[str]:
        """``VIF.get_qos_supported_algorithms``"""
        return cast('list[str]', self._call('VIF.get_qos_supported_algorithms', self_))

    def get_metrics(self, self_: VIFRef) -> str:
        """``VIF.get_metrics``"""
        return cast('str', self._call('VIF.get_metrics', self_))

    def get_MAC_autogenerated(self, self_: VIFRef) -> bool:
        """``VIF.get_MAC_autogenerated``"""
        return cast('bool', self._call('VIF.get_MAC_autogenerated', self_))

    def get_locking_mode(self, self_: VIFRef) -> VifLockingMode:
        """``VIF.get_locking_mode``"""
        return cast('VifLockingMode', self._call('VIF.get_locking_mode', self_))

    def get_ipv4_allowed(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv4_allowed``"""
        return cast('list[str]', self._call('VIF.get_ipv4_allowed', self_))

    def get_ipv6_allowed(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv6_allowed``"""
        return cast('list[str]', self._call('VIF.get_ipv6_allowed', self_))

    def get_ipv4_configuration_mode(self, self_: VIFRef) -> VifIpv4ConfigurationMode:
        """``VIF.get_ipv4_configuration_mode``"""
        return cast('VifIpv4ConfigurationMode', self._call('VIF.get_ipv4_configuration_mode', self_))

    def get_ipv4_addresses(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv4_addresses``"""
        return cast('list[str]', self._call('VIF.get_ipv4_addresses', self_))

    def get_ipv4_gateway(self, self_: VIFRef) -> str:
        """``VIF.get_ipv4_gateway``"""
        return cast('str', self._call('VIF.get_ipv4_gateway', self_))

    def get_ipv6_configuration_mode(self, self_: VIFRef) -> VifIpv6ConfigurationMode:
        """``VIF.get_ipv6_configuration_mode``"""
        return cast('VifIpv6ConfigurationMode', self._call('VIF.get_ipv6_configuration_mode', self_))

    def get_ipv6_addresses(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv6_addresses``"""
        return cast('list[str]', self._call('VIF.get_ipv6_addresses', self_))

    def get_ipv6_gateway(self, self_: VIFRef) -> str:
        """``VIF.get_ipv6_gateway``"""
        return cast('str', self._call('VIF.get_ipv6_gateway', self_))

    def plug(self, self_: VIFRef) -> None:
        """Hotplug the specified VIF, dynamically attaching it to the running VM"""
        return cast('None', self._call('VIF.plug', self_))

    def unplug(self, self_: VIFRef) -> None:
        """Hot-unplug the specified VIF, dynamically unattaching it from the running VM"""
        return cast('None', self._call('VIF.unplug', self_))

    def unplug_force(self, self_: VIFRef) -> None:
        """Forcibly unplug the specified VIF"""
        return cast('None', self._call('VIF.unplug_force', self_))

    def configure_ipv4(self, self_: VIFRef, mode: VifIpv4ConfigurationMode, address: str, gateway: str) -> None:
        """Configure IPv4 settings for this virtual interface"""
        return cast('None', self._call('VIF.configure_ipv4', self_, mode, address, gateway))

    def configure_ipv6(self, self_: VIFRef, mode: VifIpv6ConfigurationMode, address: str, gateway: str) -> None:
        """Configure IPv6 settings for this virtual interface"""
        return cast('None', self._call('VIF.configure_ipv6', self_, mode, address, gateway))

    def set_locking_mode(self, self_: VIFRef, value: VifLockingMode) -> None:
        """Set the locking mode for this VIF"""
        return cast('None', self._call('VIF.set_locking_mode', self_, value))

    def set_ipv4_allowed(self, self_: VIFRef, value: list[str]) -> None:
        """Set the IPv4 addresses to which traffic on this VIF can be restricted"""
        return cast('None', self._call('VIF.set_ipv4_allowed', self_, value))

    def add_ipv4_allowed(self, self_: VIFRef, value: str) -> None:
        """Associates an IPv4 address with this VIF"""
        return cast('None', self._call('VIF.add_ipv4_allowed', self_, value))

    def remove_ipv4_allowed(self, self_: VIFRef, value: str) -> None:
        """Removes an IPv4 address from this VIF"""
        return cast('None', self._call('VIF.remove_ipv4_allowed', self_, value))

    def set_ipv6_allowed(self, self_: VIFRef, value: list[str]) -> None:
        """Set the IPv6 addresses to which traffic on this VIF can be restricted"""
        return cast('None', self._call('VIF.set_ipv6_allowed', self_, value))

    def add_ipv6_allowed(self, self_: VIFRef, value: str) -> None:
        """Associates an IPv6 address with this VIF"""
        return cast('None', self._call('VIF.add_ipv6_allowed', self_, value))

    def remove_ipv6_allowed(self, self_: VIFRef, value: str) -> None:
        """Removes an IPv6 address from this VIF"""
        return cast('None', self._call('VIF.remove_ipv6_allowed', self_, value))

    def move(self, self_: VIFRef, network: NetworkRef) -> None:
        """Move the specified VIF to the specified network, even while the VM is running"""
        return cast('None', self._call('VIF.move', self_, network))

class VMApi:
    """The messages of ``VM``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VMRef) -> VMRecord:
        """``VM.get_record``"""
        return cast('VMRecord', self._call('VM.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VMRef:
        """``VM.get_by_uuid``"""
        return cast('VMRef', self._call('VM.get_by_uuid', uuid))

    def get_by_name_label(self, label: str) -> list[VMRef]:
        """``VM.get_by_name_label``"""
        return cast('list[VMRef]', self._call('VM.get_by_name_label', label))

    def get_all(self) -> list[VMRef]:
        """``VM.get_all``"""
        return cast('list[VMRef]', self._call('VM.get_all'))

    def get_all_records(self) -> dict[VMRef, VMRecord]:
        """``VM.get_all_records``"""
        return cast('dict[VMRef, VMRecord]', self._call('VM.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VMRef, VMRecord]:
        """``VM.get_all_records_where``"""
        return cast('dict[VMRef, VMRecord]', self._call('VM.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VMRef]:
        """``VM.get_all_where``"""
        return cast('list[VMRef]', self._call('VM.get_all_where', expr))

    def create(self, args: VMRecordInput) -> VMRef:
        """``VM.create``"""
        return cast('VMRef', self._call('VM.create', args))

    def destroy(self, self_: VMRef) -> None:
        """``VM.destroy``"""
        return cast('None', self._call('VM.destroy', self_))

    def get_uuid(self, self_: VMRef) -> str:
        """``VM.get_uuid``"""
        return cast('str', self._call('VM.get_uuid', self_))

    def get_allowed_operations(self, self_: VMRef) -> list[VmOperations]:
        """``VM.get_allowed_operations``"""
        return cast('list[VmOperations]', self._call('VM.get_allowed_operations', self_))

    def get_current_operations(self, self_: VMRef) -> dict[str, VmOperations]:
        """``VM.get_current_operations``"""
        return cast('dict[str, VmOperations]', self._call('VM.get_current_operations', self_))

    def get_name_label(self, self_: VMRef) -> str:
        """``VM.get_name_label``"""
        return cast('str', self._call('VM.get_name_label', self_))

    def set_name_label(self, self_: VMRef, value: str) -> None:
        """``VM.set_name_label``"""
        return cast('None', self._call('VM.set_name_label', self_, value))

    def get_name_description(self, self_: VMRef) -> str:
        """``VM.get_name_description``"""
        return cast('str', self._call('VM.get_name_description', self_))

    def set_name_description(self, self_: VMRef, value: str) -> None:
        """``VM.set_name_description``"""
        return cast('None', self._call('VM.set_name_description', self_, value))

    def get_power_state(self, self_: VMRef) -> VmPowerState:
        """``VM.get_power_state``"""
        return cast('VmPowerState', self._call('VM.get_power_state', self_))

    def get_user_version(self, self_: VMRef) -> int:
        """``VM.get_user_version``"""
        return cast('int', self._call('VM.get_user_version', self_))

    def set_user_version(self, self_: VMRef, value: int) -> None:
        """``VM.set_user_version``"""
        return cast('None', self._call('VM.set_user_version', self_, value))

    def get_is_a_template(self, self_: VMRef) -> bool:
        """``VM.get_is_a_template``"""
        return cast('bool', self._call('VM.get_is_a_template', self_))

    def set_is_a_template(self, self_: VMRef, value: bool) -> None:
        """``VM.set_is_a_template``"""
        return cast('None', self._call('VM.set_is_a_template', self_, value))

    def get_is_default_template(self, self_: VMRef) -> bool:
        """``VM.get_is_default_template``"""
        return cast('bool', self._call('VM.get_is_default_template', self_))

    def get_suspend_VDI(self, self_: VMRef) -> VDIRef:
        """``VM.get_suspend_VDI``"""
        return cast('VDIRef', self._call('VM.get_suspend_VDI', self_))

    def get_resident_on(self, self_: VMRef) -> HostRef:
        """``VM.get_resident_on``"""
        return cast('HostRef', self._call('VM.get_resident_on', self_))

    def get_scheduled_to_be_resident_on(self, self_: VMRef) -> HostRef:
        """``VM.get_scheduled_to_be_resident_on``"""
        return cast('HostRef', self._call('VM.get_scheduled_to_be_resident_on', self_))

    def get_affinity(self, self_: VMRef) -> HostRef:
        """``VM.get_affinity``"""
        return cast('HostRef', self._call('VM.get_affinity', self_))

    def set_affinity(self, self_: VMRef, value: HostRef) -> None:
        """``VM.set_affinity``"""
        return cast('None', self._call('VM.set_affinity', self_, value))

    def get_memory_overhead(self, self_: VMRef) -> int:
        """``VM.get_memory_overhead``"""
        return cast('int', self._call('VM.get_memory_overhead', self_))

    def get_memory_target(self, self_: VMRef) -> int:
        """``VM.get_memory_target``"""
        return cast('int', self._call('VM.get_memory_target', self_))

    def get_memory_static_max(self, self_: VMRef) -> int:
        """``VM.get_memory_static_max``"""
        return cast('int', self._call('VM.get_memory_static_max', self_))

    def get_memory_dynamic_max(self, self_: VMRef) -> int:
        """``VM.get_memory_dynamic_max``"""
        return cast('int', self._call('VM.get_memory_dynamic_max', self_))

    def get_memory_dynamic_min(self, self_: VMRef) -> int:
        """``VM.get_memory_dynamic_min``"""
        return cast('int', self._call('VM.get_memory_dynamic_min', self_))

    def get_memory_static_min(self, self_: VMRef) -> int:
        """``VM.get_memory_static_min``"""
        return cast('int', self._call('VM.get_memory_static_min', self_))

    def get_VCPUs_params(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_VCPUs_params``"""
        return cast('dict[str, str]', self._call('VM.get_VCPUs_params', self_))

    def set_VCPUs_params(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_VCPUs_params``"""
        return cast('None', self._call('VM.set_VCPUs_params', self_, value))

    def add_to_VCPUs_params(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_VCPUs_params``"""
        return cast('None', self._call('VM.add_to_VCPUs_params', self_, key, value))

    def remove_from_VCPUs_params(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_VCPUs_params``"""
        return cast('None', self._call('VM.remove_from_VCPUs_params', self_, key))

    def get_VCPUs_max(self, self_: VMRef) -> int:
        """``VM.get_VCPUs_max``"""
        return cast('int', self._call('VM.get_VCPUs_max', self_))

    def get_VCPUs_at_startup(self, self_: VMRef) -> int:
        """``VM.get_VCPUs_at_startup``"""
        return cast('int', self._call('VM.get_VCPUs_at_startup', self_))

    def get_actions_after_softreboot(self, self_: VMRef) -> OnSoftrebootBehavior:
        """``VM.get_actions_after_softreboot``"""
        return cast('OnSoftrebootBehavior', self._call('VM.get_actions_after_softreboot', self_))

    def set_actions_after_softreboot(self, self_: VMRef, value: OnSoftrebootBehavior) -> None:
        """``VM.set_actions_after_softreboot``"""
        return cast('None', self._call('VM.set_actions_after_softreboot', self_, value))

    def get_actions_after_shutdown(self, self_: VMRef) -> OnNormalExit:
        """``VM.get_actions_after_shutdown``"""
        return cast('OnNormalExit', self._call('VM.get_actions_after_shutdown', self_))

    def set_actions_after_shutdown(self, self_: VMRef, value: OnNormalExit) -> None:
        """``VM.set_actions_after_shutdown``"""
        return cast('None', self._call('VM.set_actions_after_shutdown', self_, value))

    def get_actions_after_reboot(self, self_: VMRef) -> OnNormalExit:
        """``VM.get_actions_after_reboot``"""
        return cast('OnNormalExit', self._call('VM.get_actions_after_reboot', self_))

    def set_actions_after_reboot(self, self_: VMRef, value: OnNormalExit) -> None:
        """``VM.set_actions_after_reboot``"""
        return cast('None', self._call('VM.set_actions_after_reboot', self_, value))

    def get_actions_after_crash(self, self_: VMRef) -> OnCrashBehaviour:
        """``VM.get_actions_after_crash``"""
        return cast('OnCrashBehaviour', self._call('VM.get_actions_after_crash', self_))

    def get_consoles(self, self_: VMRef) -> list[ConsoleRef]:
        """``VM.get_consoles``"""
        return cast('list[ConsoleRef]', self._call('VM.get_consoles', self_))

    def get_VIFs(self, self_: VMRef) -> list[VIFRef]:
        """``VM.get_VIFs``"""
        return cast('list[VIFRef]', self._call('VM.get_VIFs', self_))

    def get_VBDs(self, self_: VMRef) -> list[VBDRef]:
        """``VM.get_VBDs``"""
        return cast('list[VBDRef]', self._call('VM.get_VBDs', self_))

    def get_VUSBs(self, self_: VMRef) -> list[str]:
        """``VM.get_VUSBs``"""
        return cast('list[str]', self._call('VM.get_VUSBs', self_))

    def get_crash_dumps(self, self_: VMRef) -> list[str]:
        """``VM.get_crash_dumps``"""
        return cast('list[str]', self._call('VM.get_crash_dumps', self_))

    def get_VTPMs(self, self_: VMRef) -> list[str]:
        """``VM.get_VTPMs``"""
        return cast('list[str]', self._call('VM.get_VTPMs', self_))

    def get_PV_bootloader(self, self_: VMRef) -> str:
        """``VM.get_PV_bootloader``"""
        return cast('str', self._call('VM.get_PV_bootloader', self_))

    def set_PV_bootloader(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_bootloader``"""
        return cast('None', self._call('VM.set_PV_bootloader', self_, value))

    def get_PV_kernel(self, self_: VMRef) -> str:
        """``VM.get_PV_kernel``"""
        return cast('str', self._call('VM.get_PV_kernel', self_))

    def set_PV_kernel(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_kernel``"""
        return cast('None', self._call('VM.set_PV_kernel', self_, value))

    def get_PV_ramdisk(self, self_: VMRef) -> str:
        """``VM.get_PV_ramdisk``"""
        return cast('str', self._call('VM.get_PV_ramdisk', self_))

    def set_PV_ramdisk(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_ramdisk``"""
        return cast('None', self._call('VM.set_PV_ramdisk', self_, value))

    def get_PV_args(self, self_: VMRef) -> str:
        """``VM.get_PV_args``"""
        return cast('str', self._call('VM.get_PV_args', self_))

    def set_PV_args(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_args``"""
        return cast('None', self._call('VM.set_PV_args', self_, value))

    def get_PV_bootloader_args(self, self_: VMRef) -> str:
        """``VM.get_PV_bootloader_args``"""
        return cast('str', self._call('VM.get_PV_bootloader_args', self_))

    def set_PV_bootloader_args(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_bootloader_args``"""
        return cast('None', self._call('VM.set_PV_bootloader_args', self_, value))

    def get_PV_legacy_args(self, self_: VMRef) -> str:
        """``VM.get_PV_legacy_args``"""
        return cast('str', self._call('VM.get_PV_legacy_args', self_))

    def set_PV_legacy_args(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_legacy_args``"""
        return cast('None', self._call('VM.set_PV_legacy_args', self_, value))

    def get_HVM_boot_policy(self, self_: VMRef) -> str:
        """``VM.get_HVM_boot_policy``"""
        return cast('str', self._call('VM.get_HVM_boot_policy', self_))

    def get_HVM_boot_params(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_HVM_boot_params``"""
        return cast('dict[str, str]', self._call('VM.get_HVM_boot_params', self_))

    def set_HVM_boot_params(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_HVM_boot_params``"""
        return cast('None', self._call('VM.set_HVM_boot_params', self_, value))

    def add_to_HVM_boot_params(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_HVM_boot_params``"""
        return cast('None', self._call('VM.add_to_HVM_boot_params', self_, key, value))

    def remove_from_HVM_boot_params(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_HVM_boot_params``"""
        return cast('None', self._call('VM.remove_from_HVM_boot_params', self_, key))

    def get_HVM_shadow_multiplier(self, self_: VMRef) -> float:
        """``VM.get_HVM_shadow_multiplier``"""
        return cast('float', self._call('VM.get_HVM_shadow_multiplier', self_))

    def get_platform(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_platform``"""
        return cast('dict[str, str]', self._call('VM.get_platform', self_))

    def set_platform(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_platform``"""
        return cast('None', self._call('VM.set_platform', self_, value))

    def add_to_platform(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_platform``"""
        return cast('None', self._call('VM.add_to_platform', self_, key, value))

    def remove_from_platform(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_platform``"""
        return cast('None', self._call('VM.remove_from_platform', self_, key))

    def get_PCI_bus(self, self_: VMRef) -> str:
        """``VM.get_PCI_bus``"""
        return cast('str', self._call('VM.get_PCI_bus', self_))

    def set_PCI_bus(self, self_: VMRef, value: str) -> None:
        """``VM.set_PCI_bus``"""
        return cast('None', self._call('VM.set_PCI_bus', self_, value))

    def get_other_config(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_other_config``"""
        return cast('dict[str, str]', self._call('VM.get_other_config', self_))

    def set_other_config(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_other_config``"""
        return cast('None', self._call('VM.set_other_config', self_, value))

    def add_to_other_config(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_other_config``"""
        return cast('None', self._call('VM.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_other_config``"""
        return cast('None', self._call('VM.remove_from_other_config', self_, key))

    def get_domid(self, self_: VMRef) -> int:
        """``VM.get_domid``"""
        return cast('int', self._call('VM.get_domid', self_))

    def get_domarch(self, self_: VMRef) -> str:
        """``VM.get_domarch``"""
        return cast('str', self._call('VM.get_domarch', self_))

    def get_last_boot_CPU_flags(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_last_boot_CPU_flags``"""
        return cast('dict[str, str]', self._call('VM.get_last_boot_CPU_flags', self_))

    def get_is_control_domain(self, self_: VMRef) -> bool:
        """``VM.get_is_control_domain``"""
        return cast('bool', self._call('VM.get_is_control_domain', self_))

    def get_metrics(self, self_: VMRef) -> VMMetricsRef:
        """``VM.get_metrics``"""
        return cast('VMMetricsRef', self._call('VM.get_metrics', self_))

    def get_guest_metrics(self, self_: VMRef) -> VMGuestMetricsRef:
        """``VM.get_guest_metrics``"""
        return cast('VMGuestMetricsRef', self._call('VM.get_guest_metrics', self_))

    def get_last_booted_record(self, self_: VMRef) -> str:
        """``VM.get_last_booted_record``"""
        return cast('str', self._call('VM.get_last_booted_record', self_))

    def get_recommendations(self, self_: VMRef) -> str:
        """``VM.get_recommendations``"""
        return cast('str', self._call('VM.get_recommendations', self_))

    def set_recommendations(self, self_: VMRef, value: str) -> None:
        """``VM.set_recommendations``"""
        return cast('None', self._call('VM.set_recommendations', self_, value))

    def get_xenstore_data(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_xenstore_data``"""
        return cast('dict[str, str]', self._call('VM.get_xenstore_data', self_))

    def set_xenstore_data(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_xenstore_data``"""
        return cast('None', self._call('VM.set_xenstore_data', self_, value))

    def add_to_xenstore_data(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_xenstore_data``"""
        return cast('None', self._call('VM.add_to_xenstore_data', self_, key, value))

    def remove_from_xenstore_data(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_xenstore_data``"""
        return cast('None', self._call('VM.remove_from_xenstore_data', self_, key))

    def get_ha_always_run(self, self_: VMRef) -> bool:
        """``VM.get_ha_always_run``"""
        return cast('bool', self._call('VM.get_ha_always_run', self_))

    def get_ha_restart_priority(self, self_: VMRef) -> str:
        """``VM.get_ha_restart_priority``"""
        return cast('str', self._call('VM.get_ha_restart_priority', self_))

    def get_is_a_snapshot(self, self_: VMRef) -> bool:
        """``VM.get_is_a_snapshot``"""
        return cast('bool', self._call('VM.get_is_a_snapshot', self_))

    def get_snapshot_of(self, self_: VMRef) -> VMRef:
        """``VM.get_snapshot_of``"""
        return cast('VMRef', self._call('VM.get_snapshot_of', self_))

    def get_snapshots(self, self_: VMRef) -> list[VMRef]:
        """``VM.get_snapshots``"""
        return cast('list[VMRef]', self._call('VM.get_snapshots', self_))

    def get_snapshot_time(self, self_: VMRef) -> str:
        """``VM.get_snapshot_time``"""
        return cast('str', self._call('VM.get_snapshot_time', self_))

    def get_transportable_snapshot_id(self, self_: VMRef) -> str:
        """``VM.get_transportable_snapshot_id``"""
        return cast('str', self._call('VM.get_transportable_snapshot_id', self_))

    def get_blobs(self, self_: VMRef) -> dict[str, BlobRef]:
        """``VM.get_blobs``"""
        return cast('dict[str, BlobRef]', self._call('VM.get_blobs', self_))

    def get_tags(self, self_: VMRef) -> list[str]:
        """``VM.get_tags``"""
        return cast('list[str]', self._call('VM.get_tags', self_))

    def set_tags(self, self_: VMRef, value: list[str]) -> None:
        """``VM.set_tags``"""
        return cast('None', self._call('VM.set_tags', self_, value))

    def add_tags(self, self_: VMRef, value: str) -> None:
        """``VM.add_tags``"""
        return cast('None', self._call('VM.add_tags', self_, value))

    def remove_tags(self, self_: VMRef, value: str) -> None:
        """``VM.remove_tags``"""
        return cast('None', self._call('VM.remove_tags', self_, value))

    def get_blocked_operations(self, self_: VMRef) -> dict[VmOperations, str]:
        """``VM.get_blocked_operations``"""
        return cast('dict[VmOperations, str]', self._call('VM.get_blocked_operations', self_))

    def set_blocked_operations(self, self_: VMRef, value: dict[VmOperations, str]) -> None:
        """``VM.set_blocked_operations``"""
        return cast('None', self._call('VM.set_blocked_operations', self_, value))

    def add_to_blocked_operations(self, self_: VMRef, key: VmOperations, value: str) -> None:
        """``VM.add_to_blocked_operations``"""
        return cast('None', self._call('VM.add_to_blocked_operations', self_, key, value))

    def remove_from_blocked_operations(self, self_: VMRef, key: VmOperations) -> None:
        """``VM.remove_from_blocked_operations``"""
        return cast('None', self._call('VM.remove_from_blocked_operations', self_, key))

    def get_snapshot_info(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_snapshot_info``"""
        return cast('dict[str, str]', self._call('VM.get_snapshot_info', self_))

    def get_snapshot_metadata(self, self_: VMRef) -> str:
        """``VM.get_snapshot_metadata``"""
        return cast('str', self._call('VM.get_snapshot_metadata', self_))

    def get_parent(self, self_: VMRef) -> VMRef:
        """``VM.get_parent``"""
        return cast('VMRef', self._call('VM.get_parent', self_))

    def get_children(self, self_: VMRef) -> list[VMRef]:
        """``VM.get_children``"""
        return cast('list[VMRef]', self._call('VM.get_children', self_))

    def get_bios_strings(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_bios_strings``"""
        return cast('dict[str, str]', self._call('VM.get_bios_strings', self_))

    def get_protection_policy(self, self_: VMRef) -> str:
        """``VM.get_protection_policy``"""
        return cast('str', self._call('VM.get_protection_policy', self_))

    def get_is_snapshot_from_vmpp(self, self_: VMRef) -> bool:
        """``VM.get_is_snapshot_from_vmpp``"""
        return cast('bool', self._call('VM.get_is_snapshot_from_vmpp', self_))

    def get_snapshot_schedule(self, self_: VMRef) -> str:
        """``VM.get_snapshot_schedule``"""
        return cast('str', self._call('VM.get_snapshot_schedule', self_))

    def get_is_vmss_snapshot(self, self_: VMRef) -> bool:
        """``VM.get_is_vmss_snapshot``"""
        return cast('bool', self._call('VM.get_is_vmss_snapshot', self_))

    def get_appliance(self, self_: VMRef) -> str:
        """``VM.get_appliance``"""
        return cast('str', self._call('VM.get_appliance', self_))

    def get_start_delay(self, self_: VMRef) -> int:
        """``VM.get_start_delay``"""
        return cast('int', self._call('VM.get_start_delay', self_))

    def get_shutdown_delay(self, self_: VMRef) -> int:
        """``VM.get_shutdown_delay``"""
        return cast('int', self._call('VM.get_shutdown_delay', self_))

    def get_order(self, self_: VMRef) -> int:
        """``VM.get_order``"""
        return cast('int', self._call('VM.get_order', self_))

    def get_VGPUs(self, self_: VMRef) -> list[str]:
        """``VM.get_VGPUs``"""
        return cast('list[str]', self._call('VM.get_VGPUs', self_))

    def get_attached_PCIs(self, self_: VMRef) -> list[str]:
        """``VM.get_attached_PCIs``"""
        return cast('list[str]', self._call('VM.get_attached_PCIs', self_))

    def get_suspend_SR(self, self_: VMRef) -> SRRef:
        """``VM.get_suspend_SR``"""
        return cast('SRRef', self._call('VM.get_suspend_SR', self_))

    def set_suspend_SR(self, self_: VMRef, value: SRRef) -> None:
        """``VM.set_suspend_SR``"""
        return cast('None', self._call('VM.set_suspend_SR', self_, value))

    def get_version(self, self_: VMRef) -> int:
        """``VM.get_version``"""
        return cast('int', self._call('VM.get_version', self_))

    def get_generation_id(self, self_: VMRef) -> str:
        """``VM.get_generation_id``"""
        return cast('str', self._call('VM.get_generation_id', self_))

    def get_hardware_platform_version(self, self_: VMRef) -> int:
        """``VM.get_hardware_platform_version``"""
        return cast('int', self._call('VM.get_hardware_platform_version', self_))

    def set_hardware_platform_version(self, self_: VMRef, value: int) -> None:
        """``VM.set_hardware_platform_version``"""
        return cast('None', self._call('VM.set_hardware_platform_version', self_, value))

    def get_has_vendor_device(self, self_: VMRef) -> bool:
        """``VM.get_has_vendor_device``"""
        return cast('bool', self._call('VM.get_has_vendor_device', self_))

    def get_requires_reboot(self, self_: VMRef) -> bool:
        """``VM.get_requires_reboot``"""
        return cast('bool', self._call('VM.get_requires_reboot', self_))

    def get_reference_label(self, self_: VMRef) -> str:
        """``VM.get_reference_label``"""
        return cast('str', self._call('VM.get_reference_label', self_))

    def get_domain_type(self, self_: VMRef) -> DomainType:
        """``VM.get_domain_type``"""
        return cast('DomainType', self._call('VM.get_domain_type', self_))

    def get_NVRAM(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_NVRAM``"""
        return cast('dict[str, str]', self._call('VM.get_NVRAM', self_))

    def get_pending_guidances(self, self_: VMRef) -> list[UpdateGuidances]:
        """``VM.get_pending_guidances``"""
        return cast('list[UpdateGuidances]', self._call('VM.get_pending_guidances', self_))

    def get_pending_guidances_recommended(self, self_: VMRef) -> list[UpdateGuidances]:
        """``VM.get_pending_guidances_recommended``"""
        return cast('list[UpdateGuidances]', self._call('VM.get_pending_guidances_recommended', self_))

    def get_pending_guidances_full(self, self_: VMRef) -> list[UpdateGuidances]:
        """``VM.get_pending_guidances_full``"""
        return cast('list[UpdateGuidances]', self._call('VM.get_pending_guidances_full', self_))

    def create_new_blob(self, vm: VMRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this VM"""
        return cast('BlobRef', self._call('VM.create_new_blob', vm, name, mime_type, public))

    def set_memory_limits(self, self_: VMRef, static_min: int, static_max: int, dynamic_min: int, dynamic_max: int) -> None:
        """Set the memory limits of this VM."""
        return cast('None', self._call('VM.set_memory_limits', self_, static_min, static_max, dynamic_min, dynamic_max))

    def set_memory(self, self_: VMRef, value: int) -> None:
        """Set the memory allocation of this VM. Sets all of memory_static_max, memory_dynamic_min, and memory_dynamic_max to the given value, and leaves memory_static_min untouched."""
        return cast('None', self._call('VM.set_memory', self_, value))

    def set_memory_static_range(self, self_: VMRef, min: int, max: int) -> None:
        """Set the static (ie boot-time) range of virtual memory that the VM is allowed to use."""
        return cast('None', self._call('VM.set_memory_static_range', self_, min, max))

    def set_memory_dynamic_range(self, self_: VMRef, min: int, max: int) -> None:
        """Set the minimum and maximum amounts of physical memory the VM is allowed to use."""
        return cast('None', self._call('VM.set_memory_dynamic_range', self_, min, max))

    def set_memory_static_max(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_static_max field"""
        return cast('None', self._call('VM.set_memory_static_max', self_, value))

    def set_memory_static_min(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_static_min field"""
        return cast('None', self._call('VM.set_memory_static_min', self_, value))

    def set_memory_dynamic_max(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_dynamic_max field"""
        return cast('None', self._call('VM.set_memory_dynamic_max', self_, value))

    def set_memory_dynamic_min(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_dynamic_min field"""
        return cast('None', self._call('VM.set_memory_dynamic_min', self_, value))

    def set_VCPUs_max(self, self_: VMRef, value: int) -> None:
        """Set the maximum number of VCPUs for a halted VM"""
        return cast('None', self._call('VM.set_VCPUs_max', self_, value))

    def set_VCPUs_at_startup(self, self_: VMRef, value: int) -> None:
        """Set the number of startup VCPUs for a halted VM"""
        return cast('None', self._call('VM.set_VCPUs_at_startup', self_, value))

    def set_actions_after_crash(self, self_: VMRef, value: OnCrashBehaviour) -> None:
        """Sets the actions_after_crash parameter"""
        return cast('None', self._call('VM.set_actions_after_crash', self_, value))

    def start(self, vm: VMRef, start_paused: bool, force: bool) -> None:
        """Start the specified VM. This function can only be called with the VM is in the Halted State."""
        return cast('None', self._call('VM.start', vm, start_paused, force))

    def start_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> None:
        """Start the specified VM on a particular host. This function can only be called with the VM is in the Halted State."""
        return cast('None', self._call('VM.start_on', vm, host, start_paused, force))

    def pause(self, vm: VMRef) -> None:
        """Pause the specified VM. This can only be called when the specified VM is in the Running state."""
        return cast('None', self._call('VM.pause', vm))

    def unpause(self, vm: VMRef) -> None:
        """Resume the specified VM. This can only be called when the specified VM is in the Paused state."""
        return cast('None', self._call('VM.unpause', vm))

    def clean_shutdown(self, vm: VMRef) -> None:
        """Attempt to cleanly shutdown the specified VM. (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return cast('None', self._call('VM.clean_shutdown', vm))

    def hard_shutdown(self, vm: VMRef) -> None:
        """Stop executing the specified VM without attempting a clean shutdown."""
        return cast('None', self._call('VM.hard_shutdown', vm))

    def shutdown(self, vm: VMRef) -> None:
        """Attempts to first clean shutdown a VM and if it should fail then perform a hard shutdown on it."""
        return cast('None', self._call('VM.shutdown', vm))

    def clean_reboot(self, vm: VMRef) -> None:
        """Attempt to cleanly shutdown the specified VM (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return cast('None', self._call('VM.clean_reboot', vm))

    def hard_reboot(self, vm: VMRef) -> None:
        """Stop executing the specified VM without attempting a clean shutdown and immediately restart the VM."""
        return cast('None', self._call('VM.hard_reboot', vm))

    def suspend(self, vm: VMRef) -> None:
        """Suspend the specified VM to disk. This can only be called when the specified VM is in the Running state."""
        return cast('None', self._call('VM.suspend', vm))

    def resume(self, vm: VMRef, start_paused: bool, force: bool) -> None:
        """Awaken the specified VM and resume it. This can only be called when the specified VM is in the Suspended state."""
        return cast('None', self._call('VM.resume', vm, start_paused, force))

    def resume_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> None:
        """Awaken the specified VM and resume it on a particular Host. This can only be called when the specified VM is in the Suspended state."""
        return cast('None', self._call('VM.resume_on', vm, host, start_paused, force))

    def provision(self, vm: VMRef) -> None:
        """Inspects the disk configuration contained within the VM's other_config, creates VDIs and VBDs and then executes any applicable post-install script."""
        return cast('None', self._call('VM.provision', vm))

    def copy(self, vm: VMRef, new_name: str, sr: SRRef) -> VMRef:
        """Copied the specified VM, making a new VM. Unlike clone, copy does not exploits the capabilities of the underlying storage repository in which the VM's disk images are stored. Instead, copy guarantees that the disk images of the newly created VM will be 'full disks' - i.e. not part of a CoW chain. This function can only be called when the VM is in the Halted State."""
        return cast('VMRef', self._call('VM.copy', vm, new_name, sr))

    def snapshot(self, vm: VMRef, new_name: str, ignore_vdis: list[VDIRef] = []) -> VMRef:
        """Snapshots the specified VM, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return cast('VMRef', self._call('VM.snapshot', vm, new_name, ignore_vdis))

    def revert(self, snapshot: VMRef) -> None:
        """Reverts the specified VM to a previous state."""
        return cast('None', self._call('VM.revert', snapshot))

    def power_state_reset(self, vm: VMRef) -> None:
        """Reset the power-state of the VM to halted in the database only. (Used to recover from slave failures in pooling scenarios by resetting the power-states of VMs running on dead slaves to halted.) This is a potentially dangerous operation; use with care."""
        return cast('None', self._call('VM.power_state_reset', vm))

    def clone(self, vm: VMRef, new_name: str) -> VMRef:
        """Clones the specified VM, making a new VM. Clone automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write). This function can only be called when the VM is in the Halted State."""
        return cast('VMRef', self._call('VM.clone', vm, new_name))

    def get_allowed_VBD_devices(self, vm: VMRef) -> list[str]:
        """Returns a list of the allowed values that a VBD device field can take"""
        return cast('list[str]', self._call('VM.get_allowed_VBD_devices', vm))

    def get_allowed_VIF_devices(self, vm: VMRef) -> list[str]:
        """Returns a list of the allowed values that a VIF device field can take"""
        return cast('list[str]', self._call('VM.get_allowed_VIF_devices', vm))

    def get_boot_record(self, self_: VMRef) -> VMRecord:
        """Returns a record describing the VM's dynamic state, initialised when the VM boots and updated to reflect runtime configuration changes e.g. CPU hotplug"""
        return cast('VMRecord', self._call('VM.get_boot_record', self_))

    def assert_operation_valid(self, self_: VMRef, op: VmOperations) -> None:
        """Check to see whether this operation is acceptable in the current state of the system, raising an error if the operation is invalid for some reason"""
        return cast('None', self._call('VM.assert_operation_valid', self_, op))

    def update_allowed_operations(self, self_: VMRef) -> None:
        """Recomputes the list of acceptable operations"""
        return cast('None', self._call('VM.update_allowed_operations', self_))

    def assert_can_boot_here(self, self_: VMRef, host: HostRef) -> None:
        """Returns an error if the VM could not boot on this host for some reason"""
        return cast('None', self._call('VM.assert_can_boot_here', self_, host))

    def get_possible_hosts(self, vm: VMRef) -> list[HostRef]:
        """Return the list of hosts on which this VM may run."""
        return cast('list[HostRef]', self._call('VM.get_possible_hosts', vm))

    def get_cooperative(self, self_: VMRef) -> bool:
        """Return true if the VM is currently 'co-operative' i.e. is expected to reach a balloon target and actually has done"""
        return cast('bool', self._call('VM.get_cooperative', self_))

    def set_HVM_boot_policy(self, self_: VMRef, value: str) -> None:
        """Set the VM.HVM_boot_policy field of the given VM, which will take effect when it is next started"""
        return cast('None', self._call('VM.set_HVM_boot_policy', self_, value))

    def set_domain_type(self, self_: VMRef, value: DomainType) -> None:
        """Set the VM.domain_type field of the given VM, which will take effect when it is next started"""
        return cast('None', self._call('VM.set_domain_type', self_, value))

    def set_start_delay(self, self_: VMRef, value: int) -> None:
        """Set this VM's start delay in seconds"""
        return cast('None', self._call('VM.set_start_delay', self_, value))

    def set_shutdown_delay(self, self_: VMRef, value: int) -> None:
        """Set this VM's shutdown delay in seconds"""
        return cast('None', self._call('VM.set_shutdown_delay', self_, value))

    def set_ha_restart_priority(self, self_: VMRef, value: str) -> None:
        """Set the value of the ha_restart_priority field"""
        return cast('None', self._call('VM.set_ha_restart_priority', self_, value))

    def set_order(self, self_: VMRef, value: int) -> None:
        """Set this VM's boot order"""
        return cast('None', self._call('VM.set_order', self_, value))

    def set_NVRAM(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_NVRAM``"""
        return cast('None', self._call('VM.set_NVRAM', self_, value))

    def add_to_NVRAM(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_NVRAM``"""
        return cast('None', self._call('VM.add_to_NVRAM', self_, key, value))

    def remove_from_NVRAM(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_NVRAM``"""
        return cast('None', self._call('VM.remove_from_NVRAM', self_, key))

    def set_bios_strings(self, self_: VMRef, value: dict[str, str]) -> None:
        """Set custom BIOS strings to this VM. VM will be given a default set of BIOS strings, only some of which can be overridden by the supplied values. Allowed keys are: 'bios-vendor', 'bios-version', 'system-manufacturer', 'system-product-name', 'system-version', 'system-serial-number', 'enclosure-asset-tag', 'baseboard-manufacturer', 'baseboard-product-name', 'baseboard-version', 'baseboard-serial-number', 'baseboard-asset-tag', 'baseboard-location-in-chassis', 'enclosure-asset-tag'"""
        return cast('None', self._call('VM.set_bios_strings', self_, value))

    def copy_bios_strings(self, vm: VMRef, host: HostRef) -> None:
        """Copy the BIOS strings from the given host to this VM"""
        return cast('None', self._call('VM.copy_bios_strings', vm, host))

    def set_has_vendor_device(self, self_: VMRef, value: bool) -> None:
        """Controls whether, when the VM starts in HVM mode, its virtual hardware will include the emulated PCI device for which drivers may be available through Windows Update. Usually this should never be changed on a VM on which Windows has been installed: changing it on such a VM is likely to lead to a crash on next start."""
        return cast('None', self._call('VM.set_has_vendor_device', self_, value))

    def set_HVM_shadow_multiplier(self, self_: VMRef, value: float) -> None:
        """Set the shadow memory multiplier on a halted VM"""
        return cast('None', self._call('VM.set_HVM_shadow_multiplier', self_, value))

    def set_suspend_VDI(self, self_: VMRef, value: VDIRef) -> None:
        """Set this VM's suspend VDI, which must be indentical to its current one"""
        return cast('None', self._call('VM.set_suspend_VDI', self_, value))

    def set_memory_target_live(self, self_: VMRef, target: int) -> None:
        """Set the memory target for a running VM"""
        return cast('None', self._call('VM.set_memory_target_live', self_, target))

    def set_protection_policy(self, self_: VMRef, value: str) -> None:
        """Set the value of the protection_policy field"""
        return cast('None', self._call('VM.set_protection_policy', self_, value))

    def send_sysrq(self, vm: VMRef, key: str) -> None:
        """Send the given key as a sysrq to this VM. The key is specified as a single character (a String of length 1). This can only be called when the specified VM is in the Running state."""
        return cast('None', self._call('VM.send_sysrq', vm, key))

    def send_trigger(self, vm: VMRef, trigger: str) -> None:
        """Send the named trigger to this VM. This can only be called when the specified VM is in the Running state."""
        return cast('None', self._call('VM.send_trigger', vm, trigger))

    def add_to_VCPUs_params_live(self, self_: VMRef, key: str, value: str) -> None:
        """Add the given key-value pair to VM.VCPUs_params, and apply that value on the running VM"""
        return cast('None', self._call('VM.add_to_VCPUs_params_live', self_, key, value))

    def query_services(self, self_: VMRef) -> dict[str, str]:
        """Query the system services advertised by this VM and register them. This can only be applied to a system domain."""
        return cast('dict[str, str]', self._call('VM.query_services', self_))

    def set_VCPUs_number_live(self, self_: VMRef, nvcpu: int) -> None:
        """Set the number of VCPUs for a running VM"""
        return cast('None', self._call('VM.set_VCPUs_number_live', self_, nvcpu))

    def assert_agile(self, self_: VMRef) -> None:
        """Returns an error if the VM is not considered agile e.g. because it is tied to a resource local to a host"""
        return cast('None', self._call('VM.assert_agile', self_))

    def compute_memory_overhead(self, vm: VMRef) -> int:
        """Computes the virtualization memory overhead of a VM."""
        return cast('int', self._call('VM.compute_memory_overhead', vm))

    def maximise_memory(self, self_: VMRef, total: int, approximate: bool) -> int:
        """Returns the maximum amount of guest memory which will fit, together with overheads, in the supplied amount of physical memory. If 'exact' is true then an exact calculation is performed using the VM's current settings. If 'exact' is false then a more conservative approximation is used"""
        return cast('int', self._call('VM.maximise_memory', self_, total, approximate))

    def checkpoint(self, vm: VMRef, new_name: str) -> VMRef:
        """Checkpoints the specified VM, making a new VM. Checkpoint automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write) and saves the memory image as well."""
        return cast('VMRef', self._call('VM.checkpoint', vm, new_name))

    def wait_memory_target_live(self, self_: VMRef) -> None:
        """Wait for a running VM to reach its current memory target"""
        return cast('None', self._call('VM.wait_memory_target_live', self_))

    def snapshot_with_quiesce(self, vm: VMRef, new_name: str) -> VMRef:
        """Snapshots the specified VM with quiesce, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return cast('VMRef', self._call('VM.snapshot_with_quiesce', vm, new_name))

    def get_data_sources(self, self_: VMRef) -> list[DataSourceRecord]:
        """``VM.get_data_sources``"""
        return cast('list[DataSourceRecord]', self._call('VM.get_data_sources', self_))

    def record_data_source(self, self_: VMRef, data_source: str) -> None:
        """Start recording the specified data source"""
        return cast('None', self._call('VM.record_data_source', self_, data_source))

    def query_data_source(self, self_: VMRef, data_source: str) -> float:
        """Query the latest value of the specified data source"""
        return cast('float', self._call('VM.query_data_source', self_, data_source))

    def pool_migrate(self, vm: VMRef, host: HostRef, options: dict[str, str]) -> None:
        """Migrate a VM to another Host."""
        return cast('None', self._call('VM.pool_migrate', vm, host, options))

    def migrate_send(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> VMRef:
        """Migrate the VM to another host.  This can only be called when the specified VM is in the Running state."""
        return cast('VMRef', self._call('VM.migrate_send', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

    def assert_can_migrate(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> None:
        """Assert whether a VM can be migrated to the specified destination."""
        return cast('None', self._call('VM.assert_can_migrate', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

    def forget_data_source_archives(self, self_: VMRef, data_source: str) -> None:
        """Forget the recorded statistics related to the specified data source"""
        return cast('None', self._call('VM.forget_data_source_archives', self_, data_source))

class VMGuestMetricsApi:
    """The messages of ``VM_guest_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VMGuestMetricsRef) -> VMGuestMetricsRecord:
        """``VM_guest_metrics.get_record``"""
        return cast('VMGuestMetricsRecord', self._call('VM_guest_metrics.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VMGuestMetricsRef:
        """``VM_guest_metrics.get_by_uuid``"""
        return cast('VMGuestMetricsRef', self._call('VM_guest_metrics.get_by_uuid', uuid))

    def get_all(self) -> list[VMGuestMetricsRef]:
        """``VM_guest_metrics.get_all``"""
        return cast('list[VMGuestMetricsRef]', self._call('VM_guest_metrics.get_all'))

    def get_all_records(self) -> dict[VMGuestMetricsRef, VMGuestMetricsRecord]:
        """``VM_guest_metrics.get_all_records``"""
        return cast('dict[VMGuestMetricsRef, VMGuestMetricsRecord]', self._call('VM_guest_metrics.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VMGuestMetricsRef, VMGuestMetricsRecord]:
        """``VM_guest_metrics.get_all_records_where``"""
        return cast('dict[VMGuestMetricsRef, VMGuestMetricsRecord]', self._call('VM_guest_metrics.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VMGuestMetricsRef]:
        """``VM_guest_metrics.get_all_where``"""
        return cast('list[VMGuestMetricsRef]', self._call('VM_guest_metrics.get_all_where', expr))

    def get_uuid(self, self_: VMGuestMetricsRef) -> str:
        """``VM_guest_metrics.get_uuid``"""
        return cast('str', self._call('VM_guest_metrics.get_uuid', self_))

    def get_os_version(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_os_version``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_os_version', self_))

    def get_PV_drivers_version(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_PV_drivers_version``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_PV_drivers_version', self_))

    def get_PV_drivers_up_to_date(self, self_: VMGuestMetricsRef) -> bool:
        """``VM_guest_metrics.get_PV_drivers_up_to_date``"""
        return cast('bool', self._call('VM_guest_metrics.get_PV_drivers_up_to_date', self_))

    def get_memory(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_memory``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_memory', self_))

    def get_disks(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_disks``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_disks', self_))

    def get_networks(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_networks``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_networks', self_))

    def get_other(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_other``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_other', self_))

    def get_last_updated(self, self_: VMGuestMetricsRef) -> str:
        """``VM_guest_metrics.get_last_updated``"""
        return cast('str', self._call('VM_guest_metrics.get_last_updated', self_))

    def get_other_config(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_other_config``"""
        return cast('dict[str, str]', self._call('VM_guest_metrics.get_other_config', self_))

    def set_other_config(self, self_: VMGuestMetricsRef, value: dict[str, str]) -> None:
        """``VM_guest_metrics.set_other_config``"""
        return cast('None', self._call('VM_guest_metrics.set_other_config', self_, value))

    def add_to_other_config(self, self_: VMGuestMetricsRef, key: str, value: str) -> None:
        """``VM_guest_metrics.add_to_other_config``"""
        return cast('None', self._call('VM_guest_metrics.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VMGuestMetricsRef, key: str) -> None:
        """``VM_guest_metrics.remove_from_other_config``"""
        return cast('None', self._call('VM_guest_metrics.remove_from_other_config', self_, key))

    def get_live(self, self_: VMGuestMetricsRef) -> bool:
        """``VM_guest_metrics.get_live``"""
        return cast('bool', self._call('VM_guest_metrics.get_live', self_))

    def get_can_use_hotplug_vbd(self, self_: VMGuestMetricsRef) -> TristateType:
        """``VM_guest_metrics.get_can_use_hotplug_vbd``"""
        return cast('TristateType', self._call('VM_guest_metrics.get_can_use_hotplug_vbd', self_))

    def get_can_use_hotplug_vif(self, self_: VMGuestMetricsRef) -> TristateType:
        """``VM_guest_metrics.get_can_use_hotplug_vif``"""
        return cast('TristateType', self._call('VM_guest_metrics.get_can_use_hotplug_vif', self_))

    def get_PV_drivers_detected(self, self_: VMGuestMetricsRef) -> bool:
        """``VM_guest_metrics.get_PV_drivers_detected``"""
        return cast('bool', self._call('VM_guest_metrics.get_PV_drivers_detected', self_))

class VMMetricsApi:
    """The messages of ``VM_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: Caller) -> None:
        self._call = call

    def get_record(self, self_: VMMetricsRef) -> VMMetricsRecord:
        """``VM_metrics.get_record``"""
        return cast('VMMetricsRecord', self._call('VM_metrics.get_record', self_))

    def get_by_uuid(self, uuid: str) -> VMMetricsRef:
        """``VM_metrics.get_by_uuid``"""
        return cast('VMMetricsRef', self._call('VM_metrics.get_by_uuid', uuid))

    def get_all(self) -> list[VMMetricsRef]:
        """``VM_metrics.get_all``"""
        return cast('list[VMMetricsRef]', self._call('VM_metrics.get_all'))

    def get_all_records(self) -> dict[VMMetricsRef, VMMetricsRecord]:
        """``VM_metrics.get_all_records``"""
        return cast('dict[VMMetricsRef, VMMetricsRecord]', self._call('VM_metrics.get_all_records'))

    def get_all_records_where(self, expr: str) -> dict[VMMetricsRef, VMMetricsRecord]:
        """``VM_metrics.get_all_records_where``"""
        return cast('dict[VMMetricsRef, VMMetricsRecord]', self._call('VM_metrics.get_all_records_where', expr))

    def get_all_where(self, expr: str) -> list[VMMetricsRef]:
        """``VM_metrics.get_all_where``"""
        return cast('list[VMMetricsRef]', self._call('VM_metrics.get_all_where', expr))

    def get_uuid(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_uuid``"""
        return cast('str', self._call('VM_metrics.get_uuid', self_))

    def get_memory_actual(self, self_: VMMetricsRef) -> int:
        """``VM_metrics.get_memory_actual``"""
        return cast('int', self._call('VM_metrics.get_memory_actual', self_))

    def get_VCPUs_number(self, self_: VMMetricsRef) -> int:
        """``VM_metrics.get_VCPUs_number``"""
        return cast('int', self._call('VM_metrics.get_VCPUs_number', self_))

    def get_VCPUs_utilisation(self, self_: VMMetricsRef) -> dict[int, float]:
        """``VM_metrics.get_VCPUs_utilisation``"""
        return cast('dict[int, float]', self._call('VM_metrics.get_VCPUs_utilisation', self_))

    def get_VCPUs_CPU(self, self_: VMMetricsRef) -> dict[int, int]:
        """``VM_metrics.get_VCPUs_CPU``"""
        return cast('dict[int, int]', self._call('VM_metrics.get_VCPUs_CPU', self_))

    def get_VCPUs_params(self, self_: VMMetricsRef) -> dict[str, str]:
        """``VM_metrics.get_VCPUs_params``"""
        return cast('dict[str, str]', self._call('VM_metrics.get_VCPUs_params', self_))

    def get_VCPUs_flags(self, self_: VMMetricsRef) -> dict[int, list[str]]:
        """``VM_metrics.get_VCPUs_flags``"""
        return cast('dict[int, list[str]]', self._call('VM_metrics.get_VCPUs_flags', self_))

    def get_state(self, self_: VMMetricsRef) -> list[str]:
        """``VM_metrics.get_state``"""
        return cast('list[str]', self._call('VM_metrics.get_state', self_))

    def get_start_time(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_start_time``"""
        return cast('str', self._call('VM_metrics.get_start_time', self_))

    def get_install_time(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_install_time``"""
        return cast('str', self._call('VM_metrics.get_install_time', self_))

    def get_last_updated(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_last_updated``"""
        return cast('str', self._call('VM_metrics.get_last_updated', self_))

    def get_other_config(self, self_: VMMetricsRef) -> dict[str, str]:
        """``VM_metrics.get_other_config``"""
        return cast('dict[str, str]', self._call('VM_metrics.get_other_config', self_))

    def set_other_config(self, self_: VMMetricsRef, value: dict[str, str]) -> None:
        """``VM_metrics.set_other_config``"""
        return cast('None', self._call('VM_metrics.set_other_config', self_, value))

    def add_to_other_config(self, self_: VMMetricsRef, key: str, value: str) -> None:
        """``VM_metrics.add_to_other_config``"""
        return cast('None', self._call('VM_metrics.add_to_other_config', self_, key, value))

    def remove_from_other_config(self, self_: VMMetricsRef, key: str) -> None:
        """``VM_metrics.remove_from_other_config``"""
        return cast('None', self._call('VM_metrics.remove_from_other_config', self_, key))

    def get_hvm(self, self_: VMMetricsRef) -> bool:
        """``VM_metrics.get_hvm``"""
        return cast('bool', self._call('VM_metrics.get_hvm', self_))

    def get_nested_virt(self, self_: VMMetricsRef) -> bool:
        """``VM_metrics.get_nested_virt``"""
        return cast('bool', self._call('VM_metrics.get_nested_virt', self_))

    def get_nomigrate(self, self_: VMMetricsRef) -> bool:
        """``VM_metrics.get_nomigrate``"""
        return cast('bool', self._call('VM_metrics.get_nomigrate', self_))

    def get_current_domain_type(self, self_: VMMetricsRef) -> DomainType:
        """``VM_metrics.get_current_domain_type``"""
        return cast('DomainType', self._call('VM_metrics.get_current_domain_type', self_))

class BlobAsyncApi:
    """The messages of ``blob``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: BlobRef) -> BlobRecord:
        """``blob.get_record``"""
        return cast('BlobRecord', await self._call('blob.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> BlobRef:
        """``blob.get_by_uuid``"""
        return cast('BlobRef', await self._call('blob.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[BlobRef]:
        """``blob.get_by_name_label``"""
        return cast('list[BlobRef]', await self._call('blob.get_by_name_label', label))

    async def get_all(self) -> list[BlobRef]:
        """``blob.get_all``"""
        return cast('list[BlobRef]', await self._call('blob.get_all'))

    async def get_all_records(self) -> dict[BlobRef, BlobRecord]:
        """``blob.get_all_records``"""
        return cast('dict[BlobRef, BlobRecord]', await self._call('blob.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[BlobRef, BlobRecord]:
        """``blob.get_all_records_where``"""
        return cast('dict[BlobRef, BlobRecord]', await self._call('blob.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[BlobRef]:
        """``blob.get_all_where``"""
        return cast('list[BlobRef]', await self._call('blob.get_all_where', expr))

    async def get_uuid(self, self_: BlobRef) -> str:
        """``blob.get_uuid``"""
        return cast('str', await self._call('blob.get_uuid', self_))

    async def get_name_label(self, self_: BlobRef) -> str:
        """``blob.get_name_label``"""
        return cast('str', await self._call('blob.get_name_label', self_))

    async def set_name_label(self, self_: BlobRef, value: str) -> None:
        """``blob.set_name_label``"""
        return cast('None', await self._call('blob.set_name_label', self_, value))

    async def get_name_description(self, self_: BlobRef) -> str:
        """``blob.get_name_description``"""
        return cast('str', await self._call('blob.get_name_description', self_))

    async def set_name_description(self, self_: BlobRef, value: str) -> None:
        """``blob.set_name_description``"""
        return cast('None', await self._call('blob.set_name_description', self_, value))

    async def get_size(self, self_: BlobRef) -> int:
        """``blob.get_size``"""
        return cast('int', await self._call('blob.get_size', self_))

    async def get_public(self, self_: BlobRef) -> bool:
        """``blob.get_public``"""
        return cast('bool', await self._call('blob.get_public', self_))

    async def set_public(self, self_: BlobRef, value: bool) -> None:
        """``blob.set_public``"""
        return cast('None', await self._call('blob.set_public', self_, value))

    async def get_last_updated(self, self_: BlobRef) -> str:
        """``blob.get_last_updated``"""
        return cast('str', await self._call('blob.get_last_updated', self_))

    async def get_mime_type(self, self_: BlobRef) -> str:
        """``blob.get_mime_type``"""
        return cast('str', await self._call('blob.get_mime_type', self_))

    async def create(self, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a binary blob"""
        return cast('BlobRef', await self._call('blob.create', mime_type, public))

    async def destroy(self, self_: BlobRef) -> None:
        """``blob.destroy``"""
        return cast('None', await self._call('blob.destroy', self_))

class ConsoleAsyncApi:
    """The messages of ``console``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: ConsoleRef) -> ConsoleRecord:
        """``console.get_record``"""
        return cast('ConsoleRecord', await self._call('console.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> ConsoleRef:
        """``console.get_by_uuid``"""
        return cast('ConsoleRef', await self._call('console.get_by_uuid', uuid))

    async def get_all(self) -> list[ConsoleRef]:
        """``console.get_all``"""
        return cast('list[ConsoleRef]', await self._call('console.get_all'))

    async def get_all_records(self) -> dict[ConsoleRef, ConsoleRecord]:
        """``console.get_all_records``"""
        return cast('dict[ConsoleRef, ConsoleRecord]', await self._call('console.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[ConsoleRef, ConsoleRecord]:
        """``console.get_all_records_where``"""
        return cast('dict[ConsoleRef, ConsoleRecord]', await self._call('console.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[ConsoleRef]:
        """``console.get_all_where``"""
        return cast('list[ConsoleRef]', await self._call('console.get_all_where', expr))

    async def create(self, args: ConsoleRecordInput) -> ConsoleRef:
        """``console.create``"""
        return cast('ConsoleRef', await self._call('console.create', args))

    async def destroy(self, self_: ConsoleRef) -> None:
        """``console.destroy``"""
        return cast('None', await self._call('console.destroy', self_))

    async def get_uuid(self, self_: ConsoleRef) -> str:
        """``console.get_uuid``"""
        return cast('str', await self._call('console.get_uuid', self_))

    async def get_protocol(self, self_: ConsoleRef) -> ConsoleProtocol:
        """``console.get_protocol``"""
        return cast('ConsoleProtocol', await self._call('console.get_protocol', self_))

    async def get_location(self, self_: ConsoleRef) -> str:
        """``console.get_location``"""
        return cast('str', await self._call('console.get_location', self_))

    async def get_VM(self, self_: ConsoleRef) -> VMRef:
        """``console.get_VM``"""
        return cast('VMRef', await self._call('console.get_VM', self_))

    async def get_other_config(self, self_: ConsoleRef) -> dict[str, str]:
        """``console.get_other_config``"""
        return cast('dict[str, str]', await self._call('console.get_other_config', self_))

    async def set_other_config(self, self_: ConsoleRef, value: dict[str, str]) -> None:
        """``console.set_other_config``"""
        return cast('None', await self._call('console.set_other_config', self_, value))

    async def add_to_other_config(self, self_: ConsoleRef, key: str, value: str) -> None:
        """``console.add_to_other_config``"""
        return cast('None', await self._call('console.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: ConsoleRef, key: str) -> None:
        """``console.remove_from_other_config``"""
        return cast('None', await self._call('console.remove_from_other_config', self_, key))

class DataSourceAsyncApi:
    """The messages of ``data_source``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

class EventAsyncApi:
    """The messages of ``event``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def inject(self, class_: str, ref: str) -> str:
        """Injects an artificial event on the given object and returns the corresponding ID in the form of a token, which can be used as a point of reference for database events. For example, to check whether an object has reached the right state before attempting an operation, one can inject an artificial event on the object and wait until the token returned by consecutive event.from calls is lexicographically greater than the one returned by event.inject."""
        return cast('str', await self._call('event.inject', class_, ref))

    async def get_current_id(self) -> int:
        """Return the ID of the next event to be generated by the system"""
        return cast('int', await self._call('event.get_current_id'))

    async def from_(self, classes: list[str], token: str, timeout: float) -> EventBatch:
        """Blocking call which returns a new token and a (possibly empty) batch of events. The returned token can be used in subsequent calls to this function."""
        return cast('EventBatch', await self._call('event.from', classes, token, timeout))

    async def next(self) -> list[EventRecord]:
        """Blocking call which returns a (possibly empty) batch of events. This method is only recommended for legacy use. New development should use event.from which supercedes this method."""
        return cast('list[EventRecord]', await self._call('event.next'))

    async def unregister(self, classes: list[str]) -> None:
        """Removes this session's registration with the event system for a set of given classes. This method is only recommended for legacy use in conjunction with event.next."""
        return cast('None', await self._call('event.unregister', classes))

    async def register(self, classes: list[str]) -> None:
        """Registers this session with the event system for a set of given classes. This method is only recommended for legacy use in conjunction with event.next."""
        return cast('None', await self._call('event.register', classes))

class HostAsyncApi:
    """The messages of ``host``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: HostRef) -> HostRecord:
        """``host.get_record``"""
        return cast('HostRecord', await self._call('host.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> HostRef:
        """``host.get_by_uuid``"""
        return cast('HostRef', await self._call('host.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[HostRef]:
        """``host.get_by_name_label``"""
        return cast('list[HostRef]', await self._call('host.get_by_name_label', label))

    async def get_all(self) -> list[HostRef]:
        """``host.get_all``"""
        return cast('list[HostRef]', await self._call('host.get_all'))

    async def get_all_records(self) -> dict[HostRef, HostRecord]:
        """``host.get_all_records``"""
        return cast('dict[HostRef, HostRecord]', await self._call('host.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[HostRef, HostRecord]:
        """``host.get_all_records_where``"""
        return cast('dict[HostRef, HostRecord]', await self._call('host.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[HostRef]:
        """``host.get_all_where``"""
        return cast('list[HostRef]', await self._call('host.get_all_where', expr))

    async def get_uuid(self, self_: HostRef) -> str:
        """``host.get_uuid``"""
        return cast('str', await self._call('host.get_uuid', self_))

    async def get_name_label(self, self_: HostRef) -> str:
        """``host.get_name_label``"""
        return cast('str', await self._call('host.get_name_label', self_))

    async def set_name_label(self, self_: HostRef, value: str) -> None:
        """``host.set_name_label``"""
        return cast('None', await self._call('host.set_name_label', self_, value))

    async def get_name_description(self, self_: HostRef) -> str:
        """``host.get_name_description``"""
        return cast('str', await self._call('host.get_name_description', self_))

    async def set_name_description(self, self_: HostRef, value: str) -> None:
        """``host.set_name_description``"""
        return cast('None', await self._call('host.set_name_description', self_, value))

    async def get_memory_overhead(self, self_: HostRef) -> int:
        """``host.get_memory_overhead``"""
        return cast('int', await self._call('host.get_memory_overhead', self_))

    async def get_allowed_operations(self, self_: HostRef) -> list[HostAllowedOperations]:
        """``host.get_allowed_operations``"""
        return cast('list[HostAllowedOperations]', await self._call('host.get_allowed_operations', self_))

    async def get_current_operations(self, self_: HostRef) -> dict[str, HostAllowedOperations]:
        """``host.get_current_operations``"""
        return cast('dict[str, HostAllowedOperations]', await self._call('host.get_current_operations', self_))

    async def get_API_version_major(self, self_: HostRef) -> int:
        """``host.get_API_version_major``"""
        return cast('int', await self._call('host.get_API_version_major', self_))

    async def get_API_version_minor(self, self_: HostRef) -> int:
        """``host.get_API_version_minor``"""
        return cast('int', await self._call('host.get_API_version_minor', self_))

    async def get_API_version_vendor(self, self_: HostRef) -> str:
        """``host.get_API_version_vendor``"""
        return cast('str', await self._call('host.get_API_version_vendor', self_))

    async def get_API_version_vendor_implementation(self, self_: HostRef) -> dict[str, str]:
        """``host.get_API_version_vendor_implementation``"""
        return cast('dict[str, str]', await self._call('host.get_API_version_vendor_implementation', self_))

    async def get_enabled(self, self_: HostRef) -> bool:
        """``host.get_enabled``"""
        return cast('bool', await self._call('host.get_enabled', self_))

    async def get_software_version(self, self_: HostRef) -> dict[str, str]:
        """``host.get_software_version``"""
        return cast('dict[str, str]', await self._call('host.get_software_version', self_))

    async def get_other_config(self, self_: HostRef) -> dict[str, str]:
        """``host.get_other_config``"""
        return cast('dict[str, str]', await self._call('host.get_other_config', self_))

    async def set_other_config(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_other_config``"""
        return cast('None', await self._call('host.set_other_config', self_, value))

    async def add_to_other_config(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_other_config``"""
        return cast('None', await self._call('host.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_other_config``"""
        return cast('None', await self._call('host.remove_from_other_config', self_, key))

    async def get_capabilities(self, self_: HostRef) -> list[str]:
        """``host.get_capabilities``"""
        return cast('list[str]', await self._call('host.get_capabilities', self_))

    async def get_cpu_configuration(self, self_: HostRef) -> dict[str, str]:
        """``host.get_cpu_configuration``"""
        return cast('dict[str, str]', await self._call('host.get_cpu_configuration', self_))

    async def get_sched_policy(self, self_: HostRef) -> str:
        """``host.get_sched_policy``"""
        return cast('str', await self._call('host.get_sched_policy', self_))

    async def get_supported_bootloaders(self, self_: HostRef) -> list[str]:
        """``host.get_supported_bootloaders``"""
        return cast('list[str]', await self._call('host.get_supported_bootloaders', self_))

    async def get_resident_VMs(self, self_: HostRef) -> list[VMRef]:
        """``host.get_resident_VMs``"""
        return cast('list[VMRef]', await self._call('host.get_resident_VMs', self_))

    async def get_logging(self, self_: HostRef) -> dict[str, str]:
        """``host.get_logging``"""
        return cast('dict[str, str]', await self._call('host.get_logging', self_))

    async def set_logging(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_logging``"""
        return cast('None', await self._call('host.set_logging', self_, value))

    async def add_to_logging(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_logging``"""
        return cast('None', await self._call('host.add_to_logging', self_, key, value))

    async def remove_from_logging(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_logging``"""
        return cast('None', await self._call('host.remove_from_logging', self_, key))

    async def get_PIFs(self, self_: HostRef) -> list[PIFRef]:
        """``host.get_PIFs``"""
        return cast('list[PIFRef]', await self._call('host.get_PIFs', self_))

    async def get_suspend_image_sr(self, self_: HostRef) -> SRRef:
        """``host.get_suspend_image_sr``"""
        return cast('SRRef', await self._call('host.get_suspend_image_sr', self_))

    async def set_suspend_image_sr(self, self_: HostRef, value: SRRef) -> None:
        """``host.set_suspend_image_sr``"""
        return cast('None', await self._call('host.set_suspend_image_sr', self_, value))

    async def get_crash_dump_sr(self, self_: HostRef) -> SRRef:
        """``host.get_crash_dump_sr``"""
        return cast('SRRef', await self._call('host.get_crash_dump_sr', self_))

    async def set_crash_dump_sr(self, self_: HostRef, value: SRRef) -> None:
        """``host.set_crash_dump_sr``"""
        return cast('None', await self._call('host.set_crash_dump_sr', self_, value))

    async def get_crashdumps(self, self_: HostRef) -> list[str]:
        """``host.get_crashdumps``"""
        return cast('list[str]', await self._call('host.get_crashdumps', self_))

    async def get_patches(self, self_: HostRef) -> list[str]:
        """``host.get_patches``"""
        return cast('list[str]', await self._call('host.get_patches', self_))

    async def get_updates(self, self_: HostRef) -> list[str]:
        """``host.get_updates``"""
        return cast('list[str]', await self._call('host.get_updates', self_))

    async def get_PBDs(self, self_: HostRef) -> list[PBDRef]:
        """``host.get_PBDs``"""
        return cast('list[PBDRef]', await self._call('host.get_PBDs', self_))

    async def get_host_CPUs(self, self_: HostRef) -> list[HostCpuRef]:
        """``host.get_host_CPUs``"""
        return cast('list[HostCpuRef]', await self._call('host.get_host_CPUs', self_))

    async def get_cpu_info(self, self_: HostRef) -> dict[str, str]:
        """``host.get_cpu_info``"""
        return cast('dict[str, str]', await self._call('host.get_cpu_info', self_))

    async def get_hostname(self, self_: HostRef) -> str:
        """``host.get_hostname``"""
        return cast('str', await self._call('host.get_hostname', self_))

    async def set_hostname(self, self_: HostRef, value: str) -> None:
        """``host.set_hostname``"""
        return cast('None', await self._call('host.set_hostname', self_, value))

    async def get_address(self, self_: HostRef) -> str:
        """``host.get_address``"""
        return cast('str', await self._call('host.get_address', self_))

    async def set_address(self, self_: HostRef, value: str) -> None:
        """``host.set_address``"""
        return cast('None', await self._call('host.set_address', self_, value))

    async def get_metrics(self, self_: HostRef) -> HostMetricsRef:
        """``host.get_metrics``"""
        return cast('HostMetricsRef', await self._call('host.get_metrics', self_))

    async def get_license_params(self, self_: HostRef) -> dict[str, str]:
        """``host.get_license_params``"""
        return cast('dict[str, str]', await self._call('host.get_license_params', self_))

    async def get_ha_statefiles(self, self_: HostRef) -> list[str]:
        """``host.get_ha_statefiles``"""
        return cast('list[str]', await self._call('host.get_ha_statefiles', self_))

    async def get_ha_network_peers(self, self_: HostRef) -> list[str]:
        """``host.get_ha_network_peers``"""
        return cast('list[str]', await self._call('host.get_ha_network_peers', self_))

    async def get_blobs(self, self_: HostRef) -> dict[str, BlobRef]:
        """``host.get_blobs``"""
        return cast('dict[str, BlobRef]', await self._call('host.get_blobs', self_))

    async def get_tags(self, self_: HostRef) -> list[str]:
        """``host.get_tags``"""
        return cast('list[str]', await self._call('host.get_tags', self_))

    async def set_tags(self, self_: HostRef, value: list[str]) -> None:
        """``host.set_tags``"""
        return cast('None', await self._call('host.set_tags', self_, value))

    async def add_tags(self, self_: HostRef, value: str) -> None:
        """``host.add_tags``"""
        return cast('None', await self._call('host.add_tags', self_, value))

    async def remove_tags(self, self_: HostRef, value: str) -> None:
        """``host.remove_tags``"""
        return cast('None', await self._call('host.remove_tags', self_, value))

    async def get_external_auth_type(self, self_: HostRef) -> str:
        """``host.get_external_auth_type``"""
        return cast('str', await self._call('host.get_external_auth_type', self_))

    async def get_external_auth_service_name(self, self_: HostRef) -> str:
        """``host.get_external_auth_service_name``"""
        return cast('str', await self._call('host.get_external_auth_service_name', self_))

    async def get_external_auth_configuration(self, self_: HostRef) -> dict[str, str]:
        """``host.get_external_auth_configuration``"""
        return cast('dict[str, str]', await self._call('host.get_external_auth_configuration', self_))

    async def get_edition(self, self_: HostRef) -> str:
        """``host.get_edition``"""
        return cast('str', await self._call('host.get_edition', self_))

    async def get_license_server(self, self_: HostRef) -> dict[str, str]:
        """``host.get_license_server``"""
        return cast('dict[str, str]', await self._call('host.get_license_server', self_))

    async def set_license_server(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_license_server``"""
        return cast('None', await self._call('host.set_license_server', self_, value))

    async def add_to_license_server(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_license_server``"""
        return cast('None', await self._call('host.add_to_license_server', self_, key, value))

    async def remove_from_license_server(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_license_server``"""
        return cast('None', await self._call('host.remove_from_license_server', self_, key))

    async def get_bios_strings(self, self_: HostRef) -> dict[str, str]:
        """``host.get_bios_strings``"""
        return cast('dict[str, str]', await self._call('host.get_bios_strings', self_))

    async def get_power_on_mode(self, self_: HostRef) -> str:
        """``host.get_power_on_mode``"""
        return cast('str', await self._call('host.get_power_on_mode', self_))

    async def get_power_on_config(self, self_: HostRef) -> dict[str, str]:
        """``host.get_power_on_config``"""
        return cast('dict[str, str]', await self._call('host.get_power_on_config', self_))

    async def get_local_cache_sr(self, self_: HostRef) -> SRRef:
        """``host.get_local_cache_sr``"""
        return cast('SRRef', await self._call('host.get_local_cache_sr', self_))

    async def get_chipset_info(self, self_: HostRef) -> dict[str, str]:
        """``host.get_chipset_info``"""
        return cast('dict[str, str]', await self._call('host.get_chipset_info', self_))

    async def get_PCIs(self, self_: HostRef) -> list[str]:
        """``host.get_PCIs``"""
        return cast('list[str]', await self._call('host.get_PCIs', self_))

    async def get_PGPUs(self, self_: HostRef) -> list[str]:
        """``host.get_PGPUs``"""
        return cast('list[str]', await self._call('host.get_PGPUs', self_))

    async def get_PUSBs(self, self_: HostRef) -> list[str]:
        """``host.get_PUSBs``"""
        return cast('list[str]', await self._call('host.get_PUSBs', self_))

    async def get_ssl_legacy(self, self_: HostRef) -> bool:
        """``host.get_ssl_legacy``"""
        return cast('bool', await self._call('host.get_ssl_legacy', self_))

    async def get_guest_VCPUs_params(self, self_: HostRef) -> dict[str, str]:
        """``host.get_guest_VCPUs_params``"""
        return cast('dict[str, str]', await self._call('host.get_guest_VCPUs_params', self_))

    async def set_guest_VCPUs_params(self, self_: HostRef, value: dict[str, str]) -> None:
        """``host.set_guest_VCPUs_params``"""
        return cast('None', await self._call('host.set_guest_VCPUs_params', self_, value))

    async def add_to_guest_VCPUs_params(self, self_: HostRef, key: str, value: str) -> None:
        """``host.add_to_guest_VCPUs_params``"""
        return cast('None', await self._call('host.add_to_guest_VCPUs_params', self_, key, value))

    async def remove_from_guest_VCPUs_params(self, self_: HostRef, key: str) -> None:
        """``host.remove_from_guest_VCPUs_params``"""
        return cast('None', await self._call('host.remove_from_guest_VCPUs_params', self_, key))

    async def get_display(self, self_: HostRef) -> HostDisplay:
        """``host.get_display``"""
        return cast('HostDisplay', await self._call('host.get_display', self_))

    async def set_display(self, self_: HostRef, value: HostDisplay) -> None:
        """``host.set_display``"""
        return cast('None', await self._call('host.set_display', self_, value))

    async def get_virtual_hardware_platform_versions(self, self_: HostRef) -> list[int]:
        """``host.get_virtual_hardware_platform_versions``"""
        return cast('list[int]', await self._call('host.get_virtual_hardware_platform_versions', self_))

    async def get_control_domain(self, self_: HostRef) -> VMRef:
        """``host.get_control_domain``"""
        return cast('VMRef', await self._call('host.get_control_domain', self_))

    async def get_updates_requiring_reboot(self, self_: HostRef) -> list[str]:
        """``host.get_updates_requiring_reboot``"""
        return cast('list[str]', await self._call('host.get_updates_requiring_reboot', self_))

    async def get_features(self, self_: HostRef) -> list[str]:
        """``host.get_features``"""
        return cast('list[str]', await self._call('host.get_features', self_))

    async def get_iscsi_iqn(self, self_: HostRef) -> str:
        """``host.get_iscsi_iqn``"""
        return cast('str', await self._call('host.get_iscsi_iqn', self_))

    async def get_multipathing(self, self_: HostRef) -> bool:
        """``host.get_multipathing``"""
        return cast('bool', await self._call('host.get_multipathing', self_))

    async def get_uefi_certificates(self, self_: HostRef) -> str:
        """``host.get_uefi_certificates``"""
        return cast('str', await self._call('host.get_uefi_certificates', self_))

    async def get_certificates(self, self_: HostRef) -> list[str]:
        """``host.get_certificates``"""
        return cast('list[str]', await self._call('host.get_certificates', self_))

    async def get_editions(self, self_: HostRef) -> list[str]:
        """``host.get_editions``"""
        return cast('list[str]', await self._call('host.get_editions', self_))

    async def get_pending_guidances(self, self_: HostRef) -> list[UpdateGuidances]:
        """``host.get_pending_guidances``"""
        return cast('list[UpdateGuidances]', await self._call('host.get_pending_guidances', self_))

    async def get_tls_verification_enabled(self, self_: HostRef) -> bool:
        """``host.get_tls_verification_enabled``"""
        return cast('bool', await self._call('host.get_tls_verification_enabled', self_))

    async def get_last_software_update(self, self_: HostRef) -> str:
        """``host.get_last_software_update``"""
        return cast('str', await self._call('host.get_last_software_update', self_))

    async def get_https_only(self, self_: HostRef) -> bool:
        """``host.get_https_only``"""
        return cast('bool', await self._call('host.get_https_only', self_))

    async def get_latest_synced_updates_applied(self, self_: HostRef) -> LatestSyncedUpdatesAppliedState:
        """``host.get_latest_synced_updates_applied``"""
        return cast('LatestSyncedUpdatesAppliedState', await self._call('host.get_latest_synced_updates_applied', self_))

    async def get_numa_affinity_policy(self, self_: HostRef) -> HostNumaAffinityPolicy:
        """``host.get_numa_affinity_policy``"""
        return cast('HostNumaAffinityPolicy', await self._call('host.get_numa_affinity_policy', self_))

    async def get_pending_guidances_recommended(self, self_: HostRef) -> list[UpdateGuidances]:
        """``host.get_pending_guidances_recommended``"""
        return cast('list[UpdateGuidances]', await self._call('host.get_pending_guidances_recommended', self_))

    async def get_pending_guidances_full(self, self_: HostRef) -> list[UpdateGuidances]:
        """``host.get_pending_guidances_full``"""
        return cast('list[UpdateGuidances]', await self._call('host.get_pending_guidances_full', self_))

    async def get_last_update_hash(self, self_: HostRef) -> str:
        """``host.get_last_update_hash``"""
        return cast('str', await self._call('host.get_last_update_hash', self_))

    async def create_new_blob(self, host: HostRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this host"""
        return cast('BlobRef', await self._call('host.create_new_blob', host, name, mime_type, public))

    async def migrate_receive(self, host: HostRef, network: NetworkRef, options: dict[str, str]) -> dict[str, str]:
        """Prepare to receive a VM, returning a token which can be passed to VM.migrate."""
        return cast('dict[str, str]', await self._call('host.migrate_receive', host, network, options))

    async def get_servertime(self, host: HostRef) -> str:
        """This call queries the host's clock for the current time"""
        return cast('str', await self._call('host.get_servertime', host))

    async def get_server_localtime(self, host: HostRef) -> str:
        """This call queries the host's clock for the current time in the host's local timezone"""
        return cast('str', await self._call('host.get_server_localtime', host))

    async def get_vms_which_prevent_evacuation(self, self_: HostRef) -> dict[VMRef, list[str]]:
        """Return a set of VMs which prevent the host being evacuated, with per-VM error codes"""
        return cast('dict[VMRef, list[str]]', await self._call('host.get_vms_which_prevent_evacuation', self_))

    async def assert_can_evacuate(self, host: HostRef) -> None:
        """Check this host can be evacuated."""
        return cast('None', await self._call('host.assert_can_evacuate', host))

    async def evacuate(self, host: HostRef, network: NetworkRef, evacuate_batch_size: int) -> None:
        """Migrate all VMs off of this host, where possible."""
        return cast('None', await self._call('host.evacuate', host, network, evacuate_batch_size))

    async def disable(self, host: HostRef) -> None:
        """Puts the host into a state in which no new VMs can be started. Currently active VMs on the host continue to execute."""
        return cast('None', await self._call('host.disable', host))

    async def enable(self, host: HostRef) -> None:
        """Puts the host into a state in which new VMs can be started."""
        return cast('None', await self._call('host.enable', host))

    async def get_management_interface(self, host: HostRef) -> PIFRef:
        """Returns the management interface for the specified host"""
        return cast('PIFRef', await self._call('host.get_management_interface', host))

    async def get_uncooperative_resident_VMs(self, self_: HostRef) -> list[VMRef]:
        """Return a set of VMs which are not co-operating with the host's memory control system"""
        return cast('list[VMRef]', await self._call('host.get_uncooperative_resident_VMs', self_))

    async def compute_free_memory(self, host: HostRef) -> int:
        """Computes the amount of free memory on the host."""
        return cast('int', await self._call('host.compute_free_memory', host))

    async def compute_memory_overhead(self, host: HostRef) -> int:
        """Computes the virtualization memory overhead of a host."""
        return cast('int', await self._call('host.compute_memory_overhead', host))

    async def has_extension(self, host: HostRef, name: str) -> bool:
        """Return true if the extension is available on the host"""
        return cast('bool', await self._call('host.has_extension', host, name))

    async def get_server_certificate(self, host: HostRef) -> str:
        """Get the installed server public TLS certificate."""
        return cast('str', await self._call('host.get_server_certificate', host))

    async def install_server_certificate(self, host: HostRef, certificate: str, private_key: str, certificate_chain: str) -> None:
        """Install the TLS server certificate."""
        return cast('None', await self._call('host.install_server_certificate', host, certificate, private_key, certificate_chain))

    async def reset_server_certificate(self, host: HostRef) -> None:
        """Delete the current TLS server certificate and replace by a new, self-signed one. This should only be used with extreme care."""
        return cast('None', await self._call('host.reset_server_certificate', host))

    async def set_power_on_mode(self, self_: HostRef, power_on_mode: str, power_on_config: dict[str, str]) -> None:
        """Set the power-on-mode, host, user and password"""
        return cast('None', await self._call('host.set_power_on_mode', self_, power_on_mode, power_on_config))

    async def apply_edition(self, host: HostRef, edition: str, force: bool) -> None:
        """Change to another edition, or reactivate the current edition after a license has expired. This may be subject to the successful checkout of an appropriate license."""
        return cast('None', await self._call('host.apply_edition', host, edition, force))

    async def call_plugin(self, host: HostRef, plugin: str, fn: str, args: dict[str, str]) -> str:
        """Call an API plugin on this host"""
        return cast('str', await self._call('host.call_plugin', host, plugin, fn, args))

    async def set_https_only(self, self_: HostRef, value: bool) -> None:
        """updates the host firewall to open or close port 80 depending on the value"""
        return cast('None', await self._call('host.set_https_only', self_, value))

    async def set_ssl_legacy(self, self_: HostRef, value: bool) -> None:
        """Enable/disable SSLv3 for interoperability with older server versions. When this is set to a different value, the host immediately restarts its SSL/TLS listening service; typically this takes less than a second but existing connections to it will be broken. API login sessions will remain valid."""
        return cast('None', await self._call('host.set_ssl_legacy', self_, value))

    async def set_sched_gran(self, self_: HostRef, value: HostSchedGran) -> None:
        """Sets xen's sched-gran on a host. See: https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#sched-gran-x86"""
        return cast('None', await self._call('host.set_sched_gran', self_, value))

    async def set_multipathing(self, host: HostRef, value: bool) -> None:
        """Specifies whether multipathing is enabled"""
        return cast('None', await self._call('host.set_multipathing', host, value))

    async def get_log(self, host: HostRef) -> str:
        """Get the host's log file"""
        return cast('str', await self._call('host.get_log', host))

    async def dmesg_clear(self, host: HostRef) -> str:
        """Get the host xen dmesg, and clear the buffer."""
        return cast('str', await self._call('host.dmesg_clear', host))

    async def list_methods(self) -> list[str]:
        """List all supported methods"""
        return cast('list[str]', await self._call('host.list_methods'))

    async def shutdown_agent(self) -> None:
        """Shuts the agent down after a 10 second pause. WARNING: this is a dangerous operation. Any operations in progress will be aborted, and unrecoverable data loss may occur. The caller is responsible for ensuring that there are no operations in progress when this method is called."""
        return cast('None', await self._call('host.shutdown_agent'))

    async def get_data_sources(self, host: HostRef) -> list[DataSourceRecord]:
        """``host.get_data_sources``"""
        return cast('list[DataSourceRecord]', await self._call('host.get_data_sources', host))

    async def record_data_source(self, host: HostRef, data_source: str) -> None:
        """Start recording the specified data source"""
        return cast('None', await self._call('host.record_data_source', host, data_source))

    async def query_data_source(self, host: HostRef, data_source: str) -> float:
        """Query the latest value of the specified data source"""
        return cast('float', await self._call('host.query_data_source', host, data_source))

    async def forget_data_source_archives(self, host: HostRef, data_source: str) -> None:
        """Forget the recorded statistics related to the specified data source"""
        return cast('None', await self._call('host.forget_data_source_archives', host, data_source))

    async def license_add(self, host: HostRef, contents: str) -> None:
        """Apply a new license to a host"""
        return cast('None', await self._call('host.license_add', host, contents))

    async def license_apply(self, host: HostRef, contents: str) -> None:
        """Apply a new license to a host"""
        return cast('None', await self._call('host.license_apply', host, contents))

    async def license_remove(self, host: HostRef) -> None:
        """Remove any license file from the specified host, and switch that host to the unlicensed edition"""
        return cast('None', await self._call('host.license_remove', host))

    async def sync_data(self, host: HostRef) -> None:
        """This causes the synchronisation of the non-database data (messages, RRDs and so on) stored on the master to be synchronised with the host"""
        return cast('None', await self._call('host.sync_data', host))

    async def backup_rrds(self, host: HostRef, delay: float) -> None:
        """This causes the RRDs to be backed up to the master"""
        return cast('None', await self._call('host.backup_rrds', host, delay))

    async def set_numa_affinity_policy(self, self_: HostRef, value: HostNumaAffinityPolicy) -> None:
        """Set VM placement NUMA affinity policy"""
        return cast('None', await self._call('host.set_numa_affinity_policy', self_, value))

    async def call_extension(self, host: HostRef, call: str) -> str:
        """Call an API extension on this host"""
        return cast('str', await self._call('host.call_extension', host, call))

class HostCpuAsyncApi:
    """The messages of ``host_cpu``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: HostCpuRef) -> HostCpuRecord:
        """``host_cpu.get_record``"""
        return cast('HostCpuRecord', await self._call('host_cpu.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> HostCpuRef:
        """``host_cpu.get_by_uuid``"""
        return cast('HostCpuRef', await self._call('host_cpu.get_by_uuid', uuid))

    async def get_all(self) -> list[HostCpuRef]:
        """``host_cpu.get_all``"""
        return cast('list[HostCpuRef]', await self._call('host_cpu.get_all'))

    async def get_all_records(self) -> dict[HostCpuRef, HostCpuRecord]:
        """``host_cpu.get_all_records``"""
        return cast('dict[HostCpuRef, HostCpuRecord]', await self._call('host_cpu.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[HostCpuRef, HostCpuRecord]:
        """``host_cpu.get_all_records_where``"""
        return cast('dict[HostCpuRef, HostCpuRecord]', await self._call('host_cpu.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[HostCpuRef]:
        """``host_cpu.get_all_where``"""
        return cast('list[HostCpuRef]', await self._call('host_cpu.get_all_where', expr))

    async def get_uuid(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_uuid``"""
        return cast('str', await self._call('host_cpu.get_uuid', self_))

    async def get_host(self, self_: HostCpuRef) -> HostRef:
        """``host_cpu.get_host``"""
        return cast('HostRef', await self._call('host_cpu.get_host', self_))

    async def get_number(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_number``"""
        return cast('int', await self._call('host_cpu.get_number', self_))

    async def get_vendor(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_vendor``"""
        return cast('str', await self._call('host_cpu.get_vendor', self_))

    async def get_speed(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_speed``"""
        return cast('int', await self._call('host_cpu.get_speed', self_))

    async def get_modelname(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_modelname``"""
        return cast('str', await self._call('host_cpu.get_modelname', self_))

    async def get_family(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_family``"""
        return cast('int', await self._call('host_cpu.get_family', self_))

    async def get_model(self, self_: HostCpuRef) -> int:
        """``host_cpu.get_model``"""
        return cast('int', await self._call('host_cpu.get_model', self_))

    async def get_stepping(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_stepping``"""
        return cast('str', await self._call('host_cpu.get_stepping', self_))

    async def get_flags(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_flags``"""
        return cast('str', await self._call('host_cpu.get_flags', self_))

    async def get_features(self, self_: HostCpuRef) -> str:
        """``host_cpu.get_features``"""
        return cast('str', await self._call('host_cpu.get_features', self_))

    async def get_utilisation(self, self_: HostCpuRef) -> float:
        """``host_cpu.get_utilisation``"""
        return cast('float', await self._call('host_cpu.get_utilisation', self_))

    async def get_other_config(self, self_: HostCpuRef) -> dict[str, str]:
        """``host_cpu.get_other_config``"""
        return cast('dict[str, str]', await self._call('host_cpu.get_other_config', self_))

    async def set_other_config(self, self_: HostCpuRef, value: dict[str, str]) -> None:
        """``host_cpu.set_other_config``"""
        return cast('None', await self._call('host_cpu.set_other_config', self_, value))

    async def add_to_other_config(self, self_: HostCpuRef, key: str, value: str) -> None:
        """``host_cpu.add_to_other_config``"""
        return cast('None', await self._call('host_cpu.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: HostCpuRef, key: str) -> None:
        """``host_cpu.remove_from_other_config``"""
        return cast('None', await self._call('host_cpu.remove_from_other_config', self_, key))

class HostMetricsAsyncApi:
    """The messages of ``host_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: HostMetricsRef) -> HostMetricsRecord:
        """``host_metrics.get_record``"""
        return cast('HostMetricsRecord', await self._call('host_metrics.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> HostMetricsRef:
        """``host_metrics.get_by_uuid``"""
        return cast('HostMetricsRef', await self._call('host_metrics.get_by_uuid', uuid))

    async def get_all(self) -> list[HostMetricsRef]:
        """``host_metrics.get_all``"""
        return cast('list[HostMetricsRef]', await self._call('host_metrics.get_all'))

    async def get_all_records(self) -> dict[HostMetricsRef, HostMetricsRecord]:
        """``host_metrics.get_all_records``"""
        return cast('dict[HostMetricsRef, HostMetricsRecord]', await self._call('host_metrics.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[HostMetricsRef, HostMetricsRecord]:
        """``host_metrics.get_all_records_where``"""
        return cast('dict[HostMetricsRef, HostMetricsRecord]', await self._call('host_metrics.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[HostMetricsRef]:
        """``host_metrics.get_all_where``"""
        return cast('list[HostMetricsRef]', await self._call('host_metrics.get_all_where', expr))

    async def get_uuid(self, self_: HostMetricsRef) -> str:
        """``host_metrics.get_uuid``"""
        return cast('str', await self._call('host_metrics.get_uuid', self_))

    async def get_memory_total(self, self_: HostMetricsRef) -> int:
        """``host_metrics.get_memory_total``"""
        return cast('int', await self._call('host_metrics.get_memory_total', self_))

    async def get_memory_free(self, self_: HostMetricsRef) -> int:
        """``host_metrics.get_memory_free``"""
        return cast('int', await self._call('host_metrics.get_memory_free', self_))

    async def get_live(self, self_: HostMetricsRef) -> bool:
        """``host_metrics.get_live``"""
        return cast('bool', await self._call('host_metrics.get_live', self_))

    async def get_last_updated(self, self_: HostMetricsRef) -> str:
        """``host_metrics.get_last_updated``"""
        return cast('str', await self._call('host_metrics.get_last_updated', self_))

    async def get_other_config(self, self_: HostMetricsRef) -> dict[str, str]:
        """``host_metrics.get_other_config``"""
        return cast('dict[str, str]', await self._call('host_metrics.get_other_config', self_))

    async def set_other_config(self, self_: HostMetricsRef, value: dict[str, str]) -> None:
        """``host_metrics.set_other_config``"""
        return cast('None', await self._call('host_metrics.set_other_config', self_, value))

    async def add_to_other_config(self, self_: HostMetricsRef, key: str, value: str) -> None:
        """``host_metrics.add_to_other_config``"""
        return cast('None', await self._call('host_metrics.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: HostMetricsRef, key: str) -> None:
        """``host_metrics.remove_from_other_config``"""
        return cast('None', await self._call('host_metrics.remove_from_other_config', self_, key))

class MessageAsyncApi:
    """The messages of ``message``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_all(self) -> list[MessageRef]:
        """``message.get_all``"""
        return cast('list[MessageRef]', await self._call('message.get_all'))

    async def get_all_records(self) -> dict[MessageRef, MessageRecord]:
        """``message.get_all_records``"""
        return cast('dict[MessageRef, MessageRecord]', await self._call('message.get_all_records'))

    async def get_record(self, self_: MessageRef) -> MessageRecord:
        """``message.get_record``"""
        return cast('MessageRecord', await self._call('message.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> MessageRef:
        """``message.get_by_uuid``"""
        return cast('MessageRef', await self._call('message.get_by_uuid', uuid))

    async def destroy(self, self_: MessageRef) -> None:
        """``message.destroy``"""
        return cast('None', await self._call('message.destroy', self_))

    async def get_all_records_where(self, expr: str) -> dict[MessageRef, MessageRecord]:
        """``message.get_all_records_where``"""
        return cast('dict[MessageRef, MessageRecord]', await self._call('message.get_all_records_where', expr))

    async def get_since(self, since: str) -> dict[MessageRef, MessageRecord]:
        """``message.get_since``"""
        return cast('dict[MessageRef, MessageRecord]', await self._call('message.get_since', since))

    async def create(self, name: str, priority: int, cls_: Cls, obj_uuid: str, body: str) -> MessageRef:
        """``message.create``"""
        return cast('MessageRef', await self._call('message.create', name, priority, cls_, obj_uuid, body))

    async def get(self, cls_: Cls, obj_uuid: str, since: str) -> dict[MessageRef, MessageRecord]:
        """``message.get``"""
        return cast('dict[MessageRef, MessageRecord]', await self._call('message.get', cls_, obj_uuid, since))

    async def destroy_many(self, messages: list[MessageRef]) -> None:
        """``message.destroy_many``"""
        return cast('None', await self._call('message.destroy_many', messages))

class NetworkAsyncApi:
    """The messages of ``network``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: NetworkRef) -> NetworkRecord:
        """``network.get_record``"""
        return cast('NetworkRecord', await self._call('network.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> NetworkRef:
        """``network.get_by_uuid``"""
        return cast('NetworkRef', await self._call('network.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[NetworkRef]:
        """``network.get_by_name_label``"""
        return cast('list[NetworkRef]', await self._call('network.get_by_name_label', label))

    async def get_all(self) -> list[NetworkRef]:
        """``network.get_all``"""
        return cast('list[NetworkRef]', await self._call('network.get_all'))

    async def get_all_records(self) -> dict[NetworkRef, NetworkRecord]:
        """``network.get_all_records``"""
        return cast('dict[NetworkRef, NetworkRecord]', await self._call('network.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[NetworkRef, NetworkRecord]:
        """``network.get_all_records_where``"""
        return cast('dict[NetworkRef, NetworkRecord]', await self._call('network.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[NetworkRef]:
        """``network.get_all_where``"""
        return cast('list[NetworkRef]', await self._call('network.get_all_where', expr))

    async def create(self, args: NetworkRecordInput) -> NetworkRef:
        """``network.create``"""
        return cast('NetworkRef', await self._call('network.create', args))

    async def destroy(self, self_: NetworkRef) -> None:
        """``network.destroy``"""
        return cast('None', await self._call('network.destroy', self_))

    async def get_uuid(self, self_: NetworkRef) -> str:
        """``network.get_uuid``"""
        return cast('str', await self._call('network.get_uuid', self_))

    async def get_name_label(self, self_: NetworkRef) -> str:
        """``network.get_name_label``"""
        return cast('str', await self._call('network.get_name_label', self_))

    async def set_name_label(self, self_: NetworkRef, value: str) -> None:
        """``network.set_name_label``"""
        return cast('None', await self._call('network.set_name_label', self_, value))

    async def get_name_description(self, self_: NetworkRef) -> str:
        """``network.get_name_description``"""
        return cast('str', await self._call('network.get_name_description', self_))

    async def set_name_description(self, self_: NetworkRef, value: str) -> None:
        """``network.set_name_description``"""
        return cast('None', await self._call('network.set_name_description', self_, value))

    async def get_allowed_operations(self, self_: NetworkRef) -> list[NetworkOperations]:
        """``network.get_allowed_operations``"""
        return cast('list[NetworkOperations]', await self._call('network.get_allowed_operations', self_))

    async def get_current_operations(self, self_: NetworkRef) -> dict[str, NetworkOperations]:
        """``network.get_current_operations``"""
        return cast('dict[str, NetworkOperations]', await self._call('network.get_current_operations', self_))

    async def get_VIFs(self, self_: NetworkRef) -> list[VIFRef]:
        """``network.get_VIFs``"""
        return cast('list[VIFRef]', await self._call('network.get_VIFs', self_))

    async def get_PIFs(self, self_: NetworkRef) -> list[PIFRef]:
        """``network.get_PIFs``"""
        return cast('list[PIFRef]', await self._call('network.get_PIFs', self_))

    async def get_MTU(self, self_: NetworkRef) -> int:
        """``network.get_MTU``"""
        return cast('int', await self._call('network.get_MTU', self_))

    async def set_MTU(self, self_: NetworkRef, value: int) -> None:
        """``network.set_MTU``"""
        return cast('None', await self._call('network.set_MTU', self_, value))

    async def get_other_config(self, self_: NetworkRef) -> dict[str, str]:
        """``network.get_other_config``"""
        return cast('dict[str, str]', await self._call('network.get_other_config', self_))

    async def set_other_config(self, self_: NetworkRef, value: dict[str, str]) -> None:
        """``network.set_other_config``"""
        return cast('None', await self._call('network.set_other_config', self_, value))

    async def add_to_other_config(self, self_: NetworkRef, key: str, value: str) -> None:
        """``network.add_to_other_config``"""
        return cast('None', await self._call('network.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: NetworkRef, key: str) -> None:
        """``network.remove_from_other_config``"""
        return cast('None', await self._call('network.remove_from_other_config', self_, key))

    async def get_bridge(self, self_: NetworkRef) -> str:
        """``network.get_bridge``"""
        return cast('str', await self._call('network.get_bridge', self_))

    async def get_managed(self, self_: NetworkRef) -> bool:
        """``network.get_managed``"""
        return cast('bool', await self._call('network.get_managed', self_))

    async def get_blobs(self, self_: NetworkRef) -> dict[str, BlobRef]:
        """``network.get_blobs``"""
        return cast('dict[str, BlobRef]', await self._call('network.get_blobs', self_))

    async def get_tags(self, self_: NetworkRef) -> list[str]:
        """``network.get_tags``"""
        return cast('list[str]', await self._call('network.get_tags', self_))

    async def set_tags(self, self_: NetworkRef, value: list[str]) -> None:
        """``network.set_tags``"""
        return cast('None', await self._call('network.set_tags', self_, value))

    async def add_tags(self, self_: NetworkRef, value: str) -> None:
        """``network.add_tags``"""
        return cast('None', await self._call('network.add_tags', self_, value))

    async def remove_tags(self, self_: NetworkRef, value: str) -> None:
        """``network.remove_tags``"""
        return cast('None', await self._call('network.remove_tags', self_, value))

    async def get_default_locking_mode(self, self_: NetworkRef) -> NetworkDefaultLockingMode:
        """``network.get_default_locking_mode``"""
        return cast('NetworkDefaultLockingMode', await self._call('network.get_default_locking_mode', self_))

    async def get_assigned_ips(self, self_: NetworkRef) -> dict[VIFRef, str]:
        """``network.get_assigned_ips``"""
        return cast('dict[VIFRef, str]', await self._call('network.get_assigned_ips', self_))

    async def get_purpose(self, self_: NetworkRef) -> list[NetworkPurpose]:
        """``network.get_purpose``"""
        return cast('list[NetworkPurpose]', await self._call('network.get_purpose', self_))

    async def create_new_blob(self, network: NetworkRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this pool"""
        return cast('BlobRef', await self._call('network.create_new_blob', network, name, mime_type, public))

    async def set_default_locking_mode(self, network: NetworkRef, value: NetworkDefaultLockingMode) -> None:
        """Set the default locking mode for VIFs attached to this network"""
        return cast('None', await self._call('network.set_default_locking_mode', network, value))

    async def add_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> None:
        """Give a network a new purpose (if not present already)"""
        return cast('None', await self._call('network.add_purpose', self_, value))

    async def remove_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> None:
        """Remove a purpose from a network (if present)"""
        return cast('None', await self._call('network.remove_purpose', self_, value))

class PBDAsyncApi:
    """The messages of ``PBD``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: PBDRef) -> PBDRecord:
        """``PBD.get_record``"""
        return cast('PBDRecord', await self._call('PBD.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> PBDRef:
        """``PBD.get_by_uuid``"""
        return cast('PBDRef', await self._call('PBD.get_by_uuid', uuid))

    async def get_all(self) -> list[PBDRef]:
        """``PBD.get_all``"""
        return cast('list[PBDRef]', await self._call('PBD.get_all'))

    async def get_all_records(self) -> dict[PBDRef, PBDRecord]:
        """``PBD.get_all_records``"""
        return cast('dict[PBDRef, PBDRecord]', await self._call('PBD.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[PBDRef, PBDRecord]:
        """``PBD.get_all_records_where``"""
        return cast('dict[PBDRef, PBDRecord]', await self._call('PBD.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[PBDRef]:
        """``PBD.get_all_where``"""
        return cast('list[PBDRef]', await self._call('PBD.get_all_where', expr))

    async def create(self, args: PBDRecordInput) -> PBDRef:
        """``PBD.create``"""
        return cast('PBDRef', await self._call('PBD.create', args))

    async def destroy(self, self_: PBDRef) -> None:
        """``PBD.destroy``"""
        return cast('None', await self._call('PBD.destroy', self_))

    async def get_uuid(self, self_: PBDRef) -> str:
        """``PBD.get_uuid``"""
        return cast('str', await self._call('PBD.get_uuid', self_))

    async def get_host(self, self_: PBDRef) -> HostRef:
        """``PBD.get_host``"""
        return cast('HostRef', await self._call('PBD.get_host', self_))

    async def get_SR(self, self_: PBDRef) -> SRRef:
        """``PBD.get_SR``"""
        return cast('SRRef', await self._call('PBD.get_SR', self_))

    async def get_device_config(self, self_: PBDRef) -> dict[str, str]:
        """``PBD.get_device_config``"""
        return cast('dict[str, str]', await self._call('PBD.get_device_config', self_))

    async def get_currently_attached(self, self_: PBDRef) -> bool:
        """``PBD.get_currently_attached``"""
        return cast('bool', await self._call('PBD.get_currently_attached', self_))

    async def get_other_config(self, self_: PBDRef) -> dict[str, str]:
        """``PBD.get_other_config``"""
        return cast('dict[str, str]', await self._call('PBD.get_other_config', self_))

    async def set_other_config(self, self_: PBDRef, value: dict[str, str]) -> None:
        """``PBD.set_other_config``"""
        return cast('None', await self._call('PBD.set_other_config', self_, value))

    async def add_to_other_config(self, self_: PBDRef, key: str, value: str) -> None:
        """``PBD.add_to_other_config``"""
        return cast('None', await self._call('PBD.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: PBDRef, key: str) -> None:
        """``PBD.remove_from_other_config``"""
        return cast('None', await self._call('PBD.remove_from_other_config', self_, key))

    async def plug(self, self_: PBDRef) -> None:
        """Activate the specified PBD, causing the referenced SR to be attached and scanned"""
        return cast('None', await self._call('PBD.plug', self_))

    async def unplug(self, self_: PBDRef) -> None:
        """Deactivate the specified PBD, causing the referenced SR to be detached and nolonger scanned"""
        return cast('None', await self._call('PBD.unplug', self_))

    async def set_device_config(self, self_: PBDRef, value: dict[str, str]) -> None:
        """Sets the PBD's device_config field"""
        return cast('None', await self._call('PBD.set_device_config', self_, value))

class PIFAsyncApi:
    """The messages of ``PIF``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: PIFRef) -> PIFRecord:
        """``PIF.get_record``"""
        return cast('PIFRecord', await self._call('PIF.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> PIFRef:
        """``PIF.get_by_uuid``"""
        return cast('PIFRef', await self._call('PIF.get_by_uuid', uuid))

    async def get_all(self) -> list[PIFRef]:
        """``PIF.get_all``"""
        return cast('list[PIFRef]', await self._call('PIF.get_all'))

    async def get_all_records(self) -> dict[PIFRef, PIFRecord]:
        """``PIF.get_all_records``"""
        return cast('dict[PIFRef, PIFRecord]', await self._call('PIF.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[PIFRef, PIFRecord]:
        """``PIF.get_all_records_where``"""
        return cast('dict[PIFRef, PIFRecord]', await self._call('PIF.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[PIFRef]:
        """``PIF.get_all_where``"""
        return cast('list[PIFRef]', await self._call('PIF.get_all_where', expr))

    async def get_uuid(self, self_: PIFRef) -> str:
        """``PIF.get_uuid``"""
        return cast('str', await self._call('PIF.get_uuid', self_))

    async def get_device(self, self_: PIFRef) -> str:
        """``PIF.get_device``"""
        return cast('str', await self._call('PIF.get_device', self_))

    async def get_network(self, self_: PIFRef) -> NetworkRef:
        """``PIF.get_network``"""
        return cast('NetworkRef', await self._call('PIF.get_network', self_))

    async def get_host(self, self_: PIFRef) -> HostRef:
        """``PIF.get_host``"""
        return cast('HostRef', await self._call('PIF.get_host', self_))

    async def get_MAC(self, self_: PIFRef) -> str:
        """``PIF.get_MAC``"""
        return cast('str', await self._call('PIF.get_MAC', self_))

    async def get_MTU(self, self_: PIFRef) -> int:
        """``PIF.get_MTU``"""
        return cast('int', await self._call('PIF.get_MTU', self_))

    async def get_VLAN(self, self_: PIFRef) -> int:
        """``PIF.get_VLAN``"""
        return cast('int', await self._call('PIF.get_VLAN', self_))

    async def get_metrics(self, self_: PIFRef) -> str:
        """``PIF.get_metrics``"""
        return cast('str', await self._call('PIF.get_metrics', self_))

    async def get_physical(self, self_: PIFRef) -> bool:
        """``PIF.get_physical``"""
        return cast('bool', await self._call('PIF.get_physical', self_))

    async def get_currently_attached(self, self_: PIFRef) -> bool:
        """``PIF.get_currently_attached``"""
        return cast('bool', await self._call('PIF.get_currently_attached', self_))

    async def get_ip_configuration_mode(self, self_: PIFRef) -> IpConfigurationMode:
        """``PIF.get_ip_configuration_mode``"""
        return cast('IpConfigurationMode', await self._call('PIF.get_ip_configuration_mode', self_))

    async def get_IP(self, self_: PIFRef) -> str:
        """``PIF.get_IP``"""
        return cast('str', await self._call('PIF.get_IP', self_))

    async def get_netmask(self, self_: PIFRef) -> str:
        """``PIF.get_netmask``"""
        return cast('str', await self._call('PIF.get_netmask', self_))

    async def get_gateway(self, self_: PIFRef) -> str:
        """``PIF.get_gateway``"""
        return cast('str', await self._call('PIF.get_gateway', self_))

    async def get_DNS(self, self_: PIFRef) -> str:
        """``PIF.get_DNS``"""
        return cast('str', await self._call('PIF.get_DNS', self_))

    async def get_bond_slave_of(self, self_: PIFRef) -> str:
        """``PIF.get_bond_slave_of``"""
        return cast('str', await self._call('PIF.get_bond_slave_of', self_))

    async def get_bond_master_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_bond_master_of``"""
        return cast('list[str]', await self._call('PIF.get_bond_master_of', self_))

    async def get_VLAN_master_of(self, self_: PIFRef) -> str:
        """``PIF.get_VLAN_master_of``"""
        return cast('str', await self._call('PIF.get_VLAN_master_of', self_))

    async def get_VLAN_slave_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_VLAN_slave_of``"""
        return cast('list[str]', await self._call('PIF.get_VLAN_slave_of', self_))

    async def get_management(self, self_: PIFRef) -> bool:
        """``PIF.get_management``"""
        return cast('bool', await self._call('PIF.get_management', self_))

    async def get_other_config(self, self_: PIFRef) -> dict[str, str]:
        """``PIF.get_other_config``"""
        return cast('dict[str, str]', await self._call('PIF.get_other_config', self_))

    async def set_other_config(self, self_: PIFRef, value: dict[str, str]) -> None:
        """``PIF.set_other_config``"""
        return cast('None', await self._call('PIF.set_other_config', self_, value))

    async def add_to_other_config(self, self_: PIFRef, key: str, value: str) -> None:
        """``PIF.add_to_other_config``"""
        return cast('None', await self._call('PIF.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: PIFRef, key: str) -> None:
        """``PIF.remove_from_other_config``"""
        return cast('None', await self._call('PIF.remove_from_other_config', self_, key))

    async def get_disallow_unplug(self, self_: PIFRef) -> bool:
        """``PIF.get_disallow_unplug``"""
        return cast('bool', await self._call('PIF.get_disallow_unplug', self_))

    async def get_tunnel_access_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_tunnel_access_PIF_of``"""
        return cast('list[str]', await self._call('PIF.get_tunnel_access_PIF_of', self_))

    async def get_tunnel_transport_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_tunnel_transport_PIF_of``"""
        return cast('list[str]', await self._call('PIF.get_tunnel_transport_PIF_of', self_))

    async def get_ipv6_configuration_mode(self, self_: PIFRef) -> Ipv6ConfigurationMode:
        """``PIF.get_ipv6_configuration_mode``"""
        return cast('Ipv6ConfigurationMode', await self._call('PIF.get_ipv6_configuration_mode', self_))

    async def get_IPv6(self, self_: PIFRef) -> list[str]:
        """``PIF.get_IPv6``"""
        return cast('list[str]', await self._call('PIF.get_IPv6', self_))

    async def get_ipv6_gateway(self, self_: PIFRef) -> str:
        """``PIF.get_ipv6_gateway``"""
        return cast('str', await self._call('PIF.get_ipv6_gateway', self_))

    async def get_primary_address_type(self, self_: PIFRef) -> PrimaryAddressType:
        """``PIF.get_primary_address_type``"""
        return cast('PrimaryAddressType', await self._call('PIF.get_primary_address_type', self_))

    async def get_managed(self, self_: PIFRef) -> bool:
        """``PIF.get_managed``"""
        return cast('bool', await self._call('PIF.get_managed', self_))

    async def get_properties(self, self_: PIFRef) -> dict[str, str]:
        """``PIF.get_properties``"""
        return cast('dict[str, str]', await self._call('PIF.get_properties', self_))

    async def get_capabilities(self, self_: PIFRef) -> list[str]:
        """``PIF.get_capabilities``"""
        return cast('list[str]', await self._call('PIF.get_capabilities', self_))

    async def get_igmp_snooping_status(self, self_: PIFRef) -> PifIgmpStatus:
        """``PIF.get_igmp_snooping_status``"""
        return cast('PifIgmpStatus', await self._call('PIF.get_igmp_snooping_status', self_))

    async def get_sriov_physical_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_sriov_physical_PIF_of``"""
        return cast('list[str]', await self._call('PIF.get_sriov_physical_PIF_of', self_))

    async def get_sriov_logical_PIF_of(self, self_: PIFRef) -> list[str]:
        """``PIF.get_sriov_logical_PIF_of``"""
        return cast('list[str]', await self._call('PIF.get_sriov_logical_PIF_of', self_))

    async def get_PCI(self, self_: PIFRef) -> str:
        """``PIF.get_PCI``"""
        return cast('str', await self._call('PIF.get_PCI', self_))

    async def destroy(self, self_: PIFRef) -> None:
        """Destroy the PIF object (provided it is a VLAN interface). This call is deprecated: use VLAN.destroy or Bond.destroy instead"""
        return cast('None', await self._call('PIF.destroy', self_))

    async def forget(self, self_: PIFRef) -> None:
        """Destroy the PIF object matching a particular network interface"""
        return cast('None', await self._call('PIF.forget', self_))

    async def db_forget(self, self_: PIFRef) -> None:
        """Destroy a PIF database record."""
        return cast('None', await self._call('PIF.db_forget', self_))

    async def set_disallow_unplug(self, self_: PIFRef, value: bool) -> None:
        """Set whether unplugging the PIF is allowed"""
        return cast('None', await self._call('PIF.set_disallow_unplug', self_, value))

    async def set_primary_address_type(self, self_: PIFRef, primary_address_type: PrimaryAddressType) -> None:
        """Change the primary address type used by this PIF"""
        return cast('None', await self._call('PIF.set_primary_address_type', self_, primary_address_type))

class PoolAsyncApi:
    """The messages of ``pool``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: PoolRef) -> PoolRecord:
        """``pool.get_record``"""
        return cast('PoolRecord', await self._call('pool.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> PoolRef:
        """``pool.get_by_uuid``"""
        return cast('PoolRef', await self._call('pool.get_by_uuid', uuid))

    async def get_all(self) -> list[PoolRef]:
        """``pool.get_all``"""
        return cast('list[PoolRef]', await self._call('pool.get_all'))

    async def get_all_records(self) -> dict[PoolRef, PoolRecord]:
        """``pool.get_all_records``"""
        return cast('dict[PoolRef, PoolRecord]', await self._call('pool.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[PoolRef, PoolRecord]:
        """``pool.get_all_records_where``"""
        return cast('dict[PoolRef, PoolRecord]', await self._call('pool.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[PoolRef]:
        """``pool.get_all_where``"""
        return cast('list[PoolRef]', await self._call('pool.get_all_where', expr))

    async def get_uuid(self, self_: PoolRef) -> str:
        """``pool.get_uuid``"""
        return cast('str', await self._call('pool.get_uuid', self_))

    async def get_name_label(self, self_: PoolRef) -> str:
        """``pool.get_name_label``"""
        return cast('str', await self._call('pool.get_name_label', self_))

    async def set_name_label(self, self_: PoolRef, value: str) -> None:
        """``pool.set_name_label``"""
        return cast('None', await self._call('pool.set_name_label', self_, value))

    async def get_name_description(self, self_: PoolRef) -> str:
        """``pool.get_name_description``"""
        return cast('str', await self._call('pool.get_name_description', self_))

    async def set_name_description(self, self_: PoolRef, value: str) -> None:
        """``pool.set_name_description``"""
        return cast('None', await self._call('pool.set_name_description', self_, value))

    async def get_master(self, self_: PoolRef) -> HostRef:
        """``pool.get_master``"""
        return cast('HostRef', await self._call('pool.get_master', self_))

    async def get_default_SR(self, self_: PoolRef) -> SRRef:
        """``pool.get_default_SR``"""
        return cast('SRRef', await self._call('pool.get_default_SR', self_))

    async def set_default_SR(self, self_: PoolRef, value: SRRef) -> None:
        """``pool.set_default_SR``"""
        return cast('None', await self._call('pool.set_default_SR', self_, value))

    async def get_suspend_image_SR(self, self_: PoolRef) -> SRRef:
        """``pool.get_suspend_image_SR``"""
        return cast('SRRef', await self._call('pool.get_suspend_image_SR', self_))

    async def set_suspend_image_SR(self, self_: PoolRef, value: SRRef) -> None:
        """``pool.set_suspend_image_SR``"""
        return cast('None', await self._call('pool.set_suspend_image_SR', self_, value))

    async def get_crash_dump_SR(self, self_: PoolRef) -> SRRef:
        """``pool.get_crash_dump_SR``"""
        return cast('SRRef', await self._call('pool.get_crash_dump_SR', self_))

    async def set_crash_dump_SR(self, self_: PoolRef, value: SRRef) -> None:
        """``pool.set_crash_dump_SR``"""
        return cast('None', await self._call('pool.set_crash_dump_SR', self_, value))

    async def get_other_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_other_config``"""
        return cast('dict[str, str]', await self._call('pool.get_other_config', self_))

    async def set_other_config(self, self_: PoolRef, value: dict[str, str]) -> None:
        """``pool.set_other_config``"""
        return cast('None', await self._call('pool.set_other_config', self_, value))

    async def add_to_other_config(self, self_: PoolRef, key: str, value: str) -> None:
        """``pool.add_to_other_config``"""
        return cast('None', await self._call('pool.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: PoolRef, key: str) -> None:
        """``pool.remove_from_other_config``"""
        return cast('None', await self._call('pool.remove_from_other_config', self_, key))

    async def get_ha_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_ha_enabled``"""
        return cast('bool', await self._call('pool.get_ha_enabled', self_))

    async def get_ha_configuration(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_ha_configuration``"""
        return cast('dict[str, str]', await self._call('pool.get_ha_configuration', self_))

    async def get_ha_statefiles(self, self_: PoolRef) -> list[str]:
        """``pool.get_ha_statefiles``"""
        return cast('list[str]', await self._call('pool.get_ha_statefiles', self_))

    async def get_ha_host_failures_to_tolerate(self, self_: PoolRef) -> int:
        """``pool.get_ha_host_failures_to_tolerate``"""
        return cast('int', await self._call('pool.get_ha_host_failures_to_tolerate', self_))

    async def get_ha_plan_exists_for(self, self_: PoolRef) -> int:
        """``pool.get_ha_plan_exists_for``"""
        return cast('int', await self._call('pool.get_ha_plan_exists_for', self_))

    async def get_ha_allow_overcommit(self, self_: PoolRef) -> bool:
        """``pool.get_ha_allow_overcommit``"""
        return cast('bool', await self._call('pool.get_ha_allow_overcommit', self_))

    async def set_ha_allow_overcommit(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_ha_allow_overcommit``"""
        return cast('None', await self._call('pool.set_ha_allow_overcommit', self_, value))

    async def get_ha_overcommitted(self, self_: PoolRef) -> bool:
        """``pool.get_ha_overcommitted``"""
        return cast('bool', await self._call('pool.get_ha_overcommitted', self_))

    async def get_blobs(self, self_: PoolRef) -> dict[str, BlobRef]:
        """``pool.get_blobs``"""
        return cast('dict[str, BlobRef]', await self._call('pool.get_blobs', self_))

    async def get_tags(self, self_: PoolRef) -> list[str]:
        """``pool.get_tags``"""
        return cast('list[str]', await self._call('pool.get_tags', self_))

    async def set_tags(self, self_: PoolRef, value: list[str]) -> None:
        """``pool.set_tags``"""
        return cast('None', await self._call('pool.set_tags', self_, value))

    async def add_tags(self, self_: PoolRef, value: str) -> None:
        """``pool.add_tags``"""
        return cast('None', await self._call('pool.add_tags', self_, value))

    async def remove_tags(self, self_: PoolRef, value: str) -> None:
        """``pool.remove_tags``"""
        return cast('None', await self._call('pool.remove_tags', self_, value))

    async def get_gui_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_gui_config``"""
        return cast('dict[str, str]', await self._call('pool.get_gui_config', self_))

    async def set_gui_config(self, self_: PoolRef, value: dict[str, str]) -> None:
        """``pool.set_gui_config``"""
        return cast('None', await self._call('pool.set_gui_config', self_, value))

    async def add_to_gui_config(self, self_: PoolRef, key: str, value: str) -> None:
        """``pool.add_to_gui_config``"""
        return cast('None', await self._call('pool.add_to_gui_config', self_, key, value))

    async def remove_from_gui_config(self, self_: PoolRef, key: str) -> None:
        """``pool.remove_from_gui_config``"""
        return cast('None', await self._call('pool.remove_from_gui_config', self_, key))

    async def get_health_check_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_health_check_config``"""
        return cast('dict[str, str]', await self._call('pool.get_health_check_config', self_))

    async def set_health_check_config(self, self_: PoolRef, value: dict[str, str]) -> None:
        """``pool.set_health_check_config``"""
        return cast('None', await self._call('pool.set_health_check_config', self_, value))

    async def add_to_health_check_config(self, self_: PoolRef, key: str, value: str) -> None:
        """``pool.add_to_health_check_config``"""
        return cast('None', await self._call('pool.add_to_health_check_config', self_, key, value))

    async def remove_from_health_check_config(self, self_: PoolRef, key: str) -> None:
        """``pool.remove_from_health_check_config``"""
        return cast('None', await self._call('pool.remove_from_health_check_config', self_, key))

    async def get_wlb_url(self, self_: PoolRef) -> str:
        """``pool.get_wlb_url``"""
        return cast('str', await self._call('pool.get_wlb_url', self_))

    async def get_wlb_username(self, self_: PoolRef) -> str:
        """``pool.get_wlb_username``"""
        return cast('str', await self._call('pool.get_wlb_username', self_))

    async def get_wlb_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_wlb_enabled``"""
        return cast('bool', await self._call('pool.get_wlb_enabled', self_))

    async def set_wlb_enabled(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_wlb_enabled``"""
        return cast('None', await self._call('pool.set_wlb_enabled', self_, value))

    async def get_wlb_verify_cert(self, self_: PoolRef) -> bool:
        """``pool.get_wlb_verify_cert``"""
        return cast('bool', await self._call('pool.get_wlb_verify_cert', self_))

    async def set_wlb_verify_cert(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_wlb_verify_cert``"""
        return cast('None', await self._call('pool.set_wlb_verify_cert', self_, value))

    async def get_redo_log_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_redo_log_enabled``"""
        return cast('bool', await self._call('pool.get_redo_log_enabled', self_))

    async def get_redo_log_vdi(self, self_: PoolRef) -> VDIRef:
        """``pool.get_redo_log_vdi``"""
        return cast('VDIRef', await self._call('pool.get_redo_log_vdi', self_))

    async def get_vswitch_controller(self, self_: PoolRef) -> str:
        """``pool.get_vswitch_controller``"""
        return cast('str', await self._call('pool.get_vswitch_controller', self_))

    async def get_restrictions(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_restrictions``"""
        return cast('dict[str, str]', await self._call('pool.get_restrictions', self_))

    async def get_metadata_VDIs(self, self_: PoolRef) -> list[VDIRef]:
        """``pool.get_metadata_VDIs``"""
        return cast('list[VDIRef]', await self._call('pool.get_metadata_VDIs', self_))

    async def get_ha_cluster_stack(self, self_: PoolRef) -> str:
        """``pool.get_ha_cluster_stack``"""
        return cast('str', await self._call('pool.get_ha_cluster_stack', self_))

    async def get_allowed_operations(self, self_: PoolRef) -> list[PoolAllowedOperations]:
        """``pool.get_allowed_operations``"""
        return cast('list[PoolAllowedOperations]', await self._call('pool.get_allowed_operations', self_))

    async def get_current_operations(self, self_: PoolRef) -> dict[str, PoolAllowedOperations]:
        """``pool.get_current_operations``"""
        return cast('dict[str, PoolAllowedOperations]', await self._call('pool.get_current_operations', self_))

    async def get_guest_agent_config(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_guest_agent_config``"""
        return cast('dict[str, str]', await self._call('pool.get_guest_agent_config', self_))

    async def get_cpu_info(self, self_: PoolRef) -> dict[str, str]:
        """``pool.get_cpu_info``"""
        return cast('dict[str, str]', await self._call('pool.get_cpu_info', self_))

    async def get_policy_no_vendor_device(self, self_: PoolRef) -> bool:
        """``pool.get_policy_no_vendor_device``"""
        return cast('bool', await self._call('pool.get_policy_no_vendor_device', self_))

    async def set_policy_no_vendor_device(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_policy_no_vendor_device``"""
        return cast('None', await self._call('pool.set_policy_no_vendor_device', self_, value))

    async def get_live_patching_disabled(self, self_: PoolRef) -> bool:
        """``pool.get_live_patching_disabled``"""
        return cast('bool', await self._call('pool.get_live_patching_disabled', self_))

    async def set_live_patching_disabled(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_live_patching_disabled``"""
        return cast('None', await self._call('pool.set_live_patching_disabled', self_, value))

    async def get_igmp_snooping_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_igmp_snooping_enabled``"""
        return cast('bool', await self._call('pool.get_igmp_snooping_enabled', self_))

    async def get_uefi_certificates(self, self_: PoolRef) -> str:
        """``pool.get_uefi_certificates``"""
        return cast('str', await self._call('pool.get_uefi_certificates', self_))

    async def get_custom_uefi_certificates(self, self_: PoolRef) -> str:
        """``pool.get_custom_uefi_certificates``"""
        return cast('str', await self._call('pool.get_custom_uefi_certificates', self_))

    async def get_is_psr_pending(self, self_: PoolRef) -> bool:
        """``pool.get_is_psr_pending``"""
        return cast('bool', await self._call('pool.get_is_psr_pending', self_))

    async def set_is_psr_pending(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_is_psr_pending``"""
        return cast('None', await self._call('pool.set_is_psr_pending', self_, value))

    async def get_tls_verification_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_tls_verification_enabled``"""
        return cast('bool', await self._call('pool.get_tls_verification_enabled', self_))

    async def get_repositories(self, self_: PoolRef) -> list[str]:
        """``pool.get_repositories``"""
        return cast('list[str]', await self._call('pool.get_repositories', self_))

    async def get_client_certificate_auth_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_client_certificate_auth_enabled``"""
        return cast('bool', await self._call('pool.get_client_certificate_auth_enabled', self_))

    async def get_client_certificate_auth_name(self, self_: PoolRef) -> str:
        """``pool.get_client_certificate_auth_name``"""
        return cast('str', await self._call('pool.get_client_certificate_auth_name', self_))

    async def get_repository_proxy_url(self, self_: PoolRef) -> str:
        """``pool.get_repository_proxy_url``"""
        return cast('str', await self._call('pool.get_repository_proxy_url', self_))

    async def get_repository_proxy_username(self, self_: PoolRef) -> str:
        """``pool.get_repository_proxy_username``"""
        return cast('str', await self._call('pool.get_repository_proxy_username', self_))

    async def get_repository_proxy_password(self, self_: PoolRef) -> str:
        """``pool.get_repository_proxy_password``"""
        return cast('str', await self._call('pool.get_repository_proxy_password', self_))

    async def get_migration_compression(self, self_: PoolRef) -> bool:
        """``pool.get_migration_compression``"""
        return cast('bool', await self._call('pool.get_migration_compression', self_))

    async def set_migration_compression(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_migration_compression``"""
        return cast('None', await self._call('pool.set_migration_compression', self_, value))

    async def get_coordinator_bias(self, self_: PoolRef) -> bool:
        """``pool.get_coordinator_bias``"""
        return cast('bool', await self._call('pool.get_coordinator_bias', self_))

    async def set_coordinator_bias(self, self_: PoolRef, value: bool) -> None:
        """``pool.set_coordinator_bias``"""
        return cast('None', await self._call('pool.set_coordinator_bias', self_, value))

    async def get_local_auth_max_threads(self, self_: PoolRef) -> int:
        """``pool.get_local_auth_max_threads``"""
        return cast('int', await self._call('pool.get_local_auth_max_threads', self_))

    async def get_ext_auth_max_threads(self, self_: PoolRef) -> int:
        """``pool.get_ext_auth_max_threads``"""
        return cast('int', await self._call('pool.get_ext_auth_max_threads', self_))

    async def get_telemetry_uuid(self, self_: PoolRef) -> str:
        """``pool.get_telemetry_uuid``"""
        return cast('str', await self._call('pool.get_telemetry_uuid', self_))

    async def get_telemetry_frequency(self, self_: PoolRef) -> TelemetryFrequency:
        """``pool.get_telemetry_frequency``"""
        return cast('TelemetryFrequency', await self._call('pool.get_telemetry_frequency', self_))

    async def get_telemetry_next_collection(self, self_: PoolRef) -> str:
        """``pool.get_telemetry_next_collection``"""
        return cast('str', await self._call('pool.get_telemetry_next_collection', self_))

    async def get_last_update_sync(self, self_: PoolRef) -> str:
        """``pool.get_last_update_sync``"""
        return cast('str', await self._call('pool.get_last_update_sync', self_))

    async def get_update_sync_frequency(self, self_: PoolRef) -> UpdateSyncFrequency:
        """``pool.get_update_sync_frequency``"""
        return cast('UpdateSyncFrequency', await self._call('pool.get_update_sync_frequency', self_))

    async def get_update_sync_day(self, self_: PoolRef) -> int:
        """``pool.get_update_sync_day``"""
        return cast('int', await self._call('pool.get_update_sync_day', self_))

    async def get_update_sync_enabled(self, self_: PoolRef) -> bool:
        """``pool.get_update_sync_enabled``"""
        return cast('bool', await self._call('pool.get_update_sync_enabled', self_))

    async def set_local_auth_max_threads(self, self_: PoolRef, value: int) -> None:
        """``pool.set_local_auth_max_threads``"""
        return cast('None', await self._call('pool.set_local_auth_max_threads', self_, value))

    async def create_new_blob(self, pool: PoolRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this pool"""
        return cast('BlobRef', await self._call('pool.create_new_blob', pool, name, mime_type, public))

    async def set_https_only(self, self_: PoolRef, value: bool) -> None:
        """updates all the host firewalls in the pool to open or close port 80 depending on the value"""
        return cast('None', await self._call('pool.set_https_only', self_, value))

    async def apply_edition(self, self_: PoolRef, edition: str) -> None:
        """Apply an edition to all hosts in the pool"""
        return cast('None', await self._call('pool.apply_edition', self_, edition))

    async def get_license_state(self, self_: PoolRef) -> dict[str, str]:
        """This call returns the license state for the pool"""
        return cast('dict[str, str]', await self._call('pool.get_license_state', self_))

    async def sync_database(self) -> None:
        """Forcibly synchronise the database now"""
        return cast('None', await self._call('pool.sync_database'))

    async def designate_new_master(self, host: HostRef) -> None:
        """Perform an orderly handover of the role of master to the referenced host."""
        return cast('None', await self._call('pool.designate_new_master', host))

    async def recover_slaves(self) -> list[HostRef]:
        """Instruct a pool master, M, to try and contact its slaves and, if slaves are in emergency mode, reset their master address to M."""
        return cast('list[HostRef]', await self._call('pool.recover_slaves'))

    async def has_extension(self, self_: PoolRef, name: str) -> bool:
        """Return true if the extension is available on the pool"""
        return cast('bool', await self._call('pool.has_extension', self_, name))

    async def set_igmp_snooping_enabled(self, self_: PoolRef, value: bool) -> None:
        """Enable or disable IGMP Snooping on the pool."""
        return cast('None', await self._call('pool.set_igmp_snooping_enabled', self_, value))

    async def set_vswitch_controller(self, address: str) -> None:
        """Set the IP address of the vswitch controller."""
        return cast('None', await self._call('pool.set_vswitch_controller', address))

    async def add_to_guest_agent_config(self, self_: PoolRef, key: str, value: str) -> None:
        """Add a key-value pair to the pool-wide guest agent configuration"""
        return cast('None', await self._call('pool.add_to_guest_agent_config', self_, key, value))

    async def join(self, master_address: str, master_username: str, master_password: str) -> None:
        """Instruct host to join a new pool"""
        return cast('None', await self._call('pool.join', master_address, master_username, master_password))

    async def join_force(self, master_address: str, master_username: str, master_password: str) -> None:
        """Instruct host to join a new pool"""
        return cast('None', await self._call('pool.join_force', master_address, master_username, master_password))

    async def eject(self, host: HostRef) -> None:
        """Instruct a pool master to eject a host from the pool"""
        return cast('None', await self._call('pool.eject', host))

    async def enable_ha(self, heartbeat_srs: list[SRRef], configuration: dict[str, str]) -> None:
        """Turn on High Availability mode"""
        return cast('None', await self._call('pool.enable_ha', heartbeat_srs, configuration))

    async def disable_ha(self) -> None:
        """Turn off High Availability mode"""
        return cast('None', await self._call('pool.disable_ha'))

    async def ha_compute_max_host_failures_to_tolerate(self) -> int:
        """Returns the maximum number of host failures we could tolerate before we would be unable to restart configured VMs"""
        return cast('int', await self._call('pool.ha_compute_max_host_failures_to_tolerate'))

    async def set_ha_host_failures_to_tolerate(self, self_: PoolRef, value: int) -> None:
        """Set the maximum number of host failures to consider in the HA VM restart planner"""
        return cast('None', await self._call('pool.set_ha_host_failures_to_tolerate', self_, value))

    async def remove_from_guest_agent_config(self, self_: PoolRef, key: str) -> None:
        """Remove a key-value pair from the pool-wide guest agent configuration"""
        return cast('None', await self._call('pool.remove_from_guest_agent_config', self_, key))

    async def set_telemetry_next_collection(self, self_: PoolRef, value: str) -> None:
        """Set the timestamp for the next telemetry data collection."""
        return cast('None', await self._call('pool.set_telemetry_next_collection', self_, value))

    async def detect_nonhomogeneous_external_auth(self, pool: PoolRef) -> None:
        """This call asynchronously detects if the external authentication configuration in any slave is different from that in the master and raises appropriate alerts"""
        return cast('None', await self._call('pool.detect_nonhomogeneous_external_auth', pool))

    async def certificate_install(self, name: str, cert: str) -> None:
        """Install a TLS CA certificate, pool-wide."""
        return cast('None', await self._call('pool.certificate_install', name, cert))

    async def install_ca_certificate(self, name: str, cert: str) -> None:
        """Install a TLS CA certificate, pool-wide."""
        return cast('None', await self._call('pool.install_ca_certificate', name, cert))

    async def uninstall_ca_certificate(self, name: str) -> None:
        """Remove a pool-wide TLS CA certificate."""
        return cast('None', await self._call('pool.uninstall_ca_certificate', name))

    async def certificate_uninstall(self, name: str) -> None:
        """Remove a pool-wide TLS CA certificate."""
        return cast('None', await self._call('pool.certificate_uninstall', name))

    async def certificate_list(self) -> list[str]:
        """List the names of all installed TLS CA certificates."""
        return cast('list[str]', await self._call('pool.certificate_list'))

    async def crl_install(self, name: str, cert: str) -> None:
        """Install a TLS CA-issued Certificate Revocation List, pool-wide."""
        return cast('None', await self._call('pool.crl_install', name, cert))

    async def crl_uninstall(self, name: str) -> None:
        """Remove a pool-wide TLS CA-issued Certificate Revocation List."""
        return cast('None', await self._call('pool.crl_uninstall', name))

    async def crl_list(self) -> list[str]:
        """List the names of all installed TLS CA-issued Certificate Revocation Lists."""
        return cast('list[str]', await self._call('pool.crl_list'))

    async def certificate_sync(self) -> None:
        """Copy the TLS CA certificates and CRLs of the master to all slaves."""
        return cast('None', await self._call('pool.certificate_sync'))

    async def send_test_post(self, host: str, port: int, body: str) -> str:
        """Send the given body to the given host and port, using HTTPS, and print the response. This is used for debugging the SSL layer."""
        return cast('str', await self._call('pool.send_test_post', host, port, body))

class RoleAsyncApi:
    """The messages of ``role``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: RoleRef) -> RoleRecord:
        """``role.get_record``"""
        return cast('RoleRecord', await self._call('role.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> RoleRef:
        """``role.get_by_uuid``"""
        return cast('RoleRef', await self._call('role.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[RoleRef]:
        """``role.get_by_name_label``"""
        return cast('list[RoleRef]', await self._call('role.get_by_name_label', label))

    async def get_all(self) -> list[RoleRef]:
        """``role.get_all``"""
        return cast('list[RoleRef]', await self._call('role.get_all'))

    async def get_all_records(self) -> dict[RoleRef, RoleRecord]:
        """``role.get_all_records``"""
        return cast('dict[RoleRef, RoleRecord]', await self._call('role.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[RoleRef, RoleRecord]:
        """``role.get_all_records_where``"""
        return cast('dict[RoleRef, RoleRecord]', await self._call('role.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[RoleRef]:
        """``role.get_all_where``"""
        return cast('list[RoleRef]', await self._call('role.get_all_where', expr))

    async def get_uuid(self, self_: RoleRef) -> str:
        """``role.get_uuid``"""
        return cast('str', await self._call('role.get_uuid', self_))

    async def get_name_label(self, self_: RoleRef) -> str:
        """``role.get_name_label``"""
        return cast('str', await self._call('role.get_name_label', self_))

    async def get_name_description(self, self_: RoleRef) -> str:
        """``role.get_name_description``"""
        return cast('str', await self._call('role.get_name_description', self_))

    async def get_subroles(self, self_: RoleRef) -> list[RoleRef]:
        """``role.get_subroles``"""
        return cast('list[RoleRef]', await self._call('role.get_subroles', self_))

    async def get_is_internal(self, self_: RoleRef) -> bool:
        """``role.get_is_internal``"""
        return cast('bool', await self._call('role.get_is_internal', self_))

    async def get_permissions_name_label(self, self_: RoleRef) -> list[str]:
        """This call returns a list of permission names given a role"""
        return cast('list[str]', await self._call('role.get_permissions_name_label', self_))

    async def get_by_permission_name_label(self, label: str) -> list[RoleRef]:
        """This call returns a list of roles given a permission name"""
        return cast('list[RoleRef]', await self._call('role.get_by_permission_name_label', label))

class SessionAsyncApi:
    """The messages of ``session``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: SessionRef) -> SessionRecord:
        """``session.get_record``"""
        return cast('SessionRecord', await self._call('session.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> SessionRef:
        """``session.get_by_uuid``"""
        return cast('SessionRef', await self._call('session.get_by_uuid', uuid))

    async def get_uuid(self, self_: SessionRef) -> str:
        """``session.get_uuid``"""
        return cast('str', await self._call('session.get_uuid', self_))

    async def get_this_host(self, self_: SessionRef) -> HostRef:
        """``session.get_this_host``"""
        return cast('HostRef', await self._call('session.get_this_host', self_))

    async def get_this_user(self, self_: SessionRef) -> UserRef:
        """``session.get_this_user``"""
        return cast('UserRef', await self._call('session.get_this_user', self_))

    async def get_last_active(self, self_: SessionRef) -> str:
        """``session.get_last_active``"""
        return cast('str', await self._call('session.get_last_active', self_))

    async def get_pool(self, self_: SessionRef) -> bool:
        """``session.get_pool``"""
        return cast('bool', await self._call('session.get_pool', self_))

    async def get_other_config(self, self_: SessionRef) -> dict[str, str]:
        """``session.get_other_config``"""
        return cast('dict[str, str]', await self._call('session.get_other_config', self_))

    async def set_other_config(self, self_: SessionRef, value: dict[str, str]) -> None:
        """``session.set_other_config``"""
        return cast('None', await self._call('session.set_other_config', self_, value))

    async def add_to_other_config(self, self_: SessionRef, key: str, value: str) -> None:
        """``session.add_to_other_config``"""
        return cast('None', await self._call('session.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: SessionRef, key: str) -> None:
        """``session.remove_from_other_config``"""
        return cast('None', await self._call('session.remove_from_other_config', self_, key))

    async def get_is_local_superuser(self, self_: SessionRef) -> bool:
        """``session.get_is_local_superuser``"""
        return cast('bool', await self._call('session.get_is_local_superuser', self_))

    async def get_subject(self, self_: SessionRef) -> str:
        """``session.get_subject``"""
        return cast('str', await self._call('session.get_subject', self_))

    async def get_validation_time(self, self_: SessionRef) -> str:
        """``session.get_validation_time``"""
        return cast('str', await self._call('session.get_validation_time', self_))

    async def get_auth_user_sid(self, self_: SessionRef) -> str:
        """``session.get_auth_user_sid``"""
        return cast('str', await self._call('session.get_auth_user_sid', self_))

    async def get_auth_user_name(self, self_: SessionRef) -> str:
        """``session.get_auth_user_name``"""
        return cast('str', await self._call('session.get_auth_user_name', self_))

    async def get_rbac_permissions(self, self_: SessionRef) -> list[str]:
        """``session.get_rbac_permissions``"""
        return cast('list[str]', await self._call('session.get_rbac_permissions', self_))

    async def get_tasks(self, self_: SessionRef) -> list[TaskRef]:
        """``session.get_tasks``"""
        return cast('list[TaskRef]', await self._call('session.get_tasks', self_))

    async def get_parent(self, self_: SessionRef) -> SessionRef:
        """``session.get_parent``"""
        return cast('SessionRef', await self._call('session.get_parent', self_))

    async def get_originator(self, self_: SessionRef) -> str:
        """``session.get_originator``"""
        return cast('str', await self._call('session.get_originator', self_))

    async def get_client_certificate(self, self_: SessionRef) -> bool:
        """``session.get_client_certificate``"""
        return cast('bool', await self._call('session.get_client_certificate', self_))

    async def logout(self) -> None:
        """Log out of a session"""
        return cast('None', await self._call('session.logout'))

    async def change_password(self, old_pwd: str, new_pwd: str) -> None:
        """Change the account password; if your session is authenticated with root privileges then the old_pwd is validated and the new_pwd is set regardless"""
        return cast('None', await self._call('session.change_password', old_pwd, new_pwd))

    async def local_logout(self) -> None:
        """Log out of local session."""
        return cast('None', await self._call('session.local_logout'))

    async def get_all_subject_identifiers(self) -> list[str]:
        """Return a list of all the user subject-identifiers of all existing sessions"""
        return cast('list[str]', await self._call('session.get_all_subject_identifiers'))

    async def logout_subject_identifier(self, subject_identifier: str) -> None:
        """Log out all sessions associated to a user subject-identifier, except the session associated with the context calling this function"""
        return cast('None', await self._call('session.logout_subject_identifier', subject_identifier))

class SMAsyncApi:
    """The messages of ``SM``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: SMRef) -> SMRecord:
        """``SM.get_record``"""
        return cast('SMRecord', await self._call('SM.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> SMRef:
        """``SM.get_by_uuid``"""
        return cast('SMRef', await self._call('SM.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[SMRef]:
        """``SM.get_by_name_label``"""
        return cast('list[SMRef]', await self._call('SM.get_by_name_label', label))

    async def get_all(self) -> list[SMRef]:
        """``SM.get_all``"""
        return cast('list[SMRef]', await self._call('SM.get_all'))

    async def get_all_records(self) -> dict[SMRef, SMRecord]:
        """``SM.get_all_records``"""
        return cast('dict[SMRef, SMRecord]', await self._call('SM.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[SMRef, SMRecord]:
        """``SM.get_all_records_where``"""
        return cast('dict[SMRef, SMRecord]', await self._call('SM.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[SMRef]:
        """``SM.get_all_where``"""
        return cast('list[SMRef]', await self._call('SM.get_all_where', expr))

    async def get_uuid(self, self_: SMRef) -> str:
        """``SM.get_uuid``"""
        return cast('str', await self._call('SM.get_uuid', self_))

    async def get_name_label(self, self_: SMRef) -> str:
        """``SM.get_name_label``"""
        return cast('str', await self._call('SM.get_name_label', self_))

    async def get_name_description(self, self_: SMRef) -> str:
        """``SM.get_name_description``"""
        return cast('str', await self._call('SM.get_name_description', self_))

    async def get_type(self, self_: SMRef) -> str:
        """``SM.get_type``"""
        return cast('str', await self._call('SM.get_type', self_))

    async def get_vendor(self, self_: SMRef) -> str:
        """``SM.get_vendor``"""
        return cast('str', await self._call('SM.get_vendor', self_))

    async def get_copyright(self, self_: SMRef) -> str:
        """``SM.get_copyright``"""
        return cast('str', await self._call('SM.get_copyright', self_))

    async def get_version(self, self_: SMRef) -> str:
        """``SM.get_version``"""
        return cast('str', await self._call('SM.get_version', self_))

    async def get_required_api_version(self, self_: SMRef) -> str:
        """``SM.get_required_api_version``"""
        return cast('str', await self._call('SM.get_required_api_version', self_))

    async def get_configuration(self, self_: SMRef) -> dict[str, str]:
        """``SM.get_configuration``"""
        return cast('dict[str, str]', await self._call('SM.get_configuration', self_))

    async def get_capabilities(self, self_: SMRef) -> list[str]:
        """``SM.get_capabilities``"""
        return cast('list[str]', await self._call('SM.get_capabilities', self_))

    async def get_features(self, self_: SMRef) -> dict[str, int]:
        """``SM.get_features``"""
        return cast('dict[str, int]', await self._call('SM.get_features', self_))

    async def get_other_config(self, self_: SMRef) -> dict[str, str]:
        """``SM.get_other_config``"""
        return cast('dict[str, str]', await self._call('SM.get_other_config', self_))

    async def set_other_config(self, self_: SMRef, value: dict[str, str]) -> None:
        """``SM.set_other_config``"""
        return cast('None', await self._call('SM.set_other_config', self_, value))

    async def add_to_other_config(self, self_: SMRef, key: str, value: str) -> None:
        """``SM.add_to_other_config``"""
        return cast('None', await self._call('SM.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: SMRef, key: str) -> None:
        """``SM.remove_from_other_config``"""
        return cast('None', await self._call('SM.remove_from_other_config', self_, key))

    async def get_driver_filename(self, self_: SMRef) -> str:
        """``SM.get_driver_filename``"""
        return cast('str', await self._call('SM.get_driver_filename', self_))

    async def get_required_cluster_stack(self, self_: SMRef) -> list[str]:
        """``SM.get_required_cluster_stack``"""
        return cast('list[str]', await self._call('SM.get_required_cluster_stack', self_))

class SRAsyncApi:
    """The messages of ``SR``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: SRRef) -> SRRecord:
        """``SR.get_record``"""
        return cast('SRRecord', await self._call('SR.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> SRRef:
        """``SR.get_by_uuid``"""
        return cast('SRRef', await self._call('SR.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[SRRef]:
        """``SR.get_by_name_label``"""
        return cast('list[SRRef]', await self._call('SR.get_by_name_label', label))

    async def get_all(self) -> list[SRRef]:
        """``SR.get_all``"""
        return cast('list[SRRef]', await self._call('SR.get_all'))

    async def get_all_records(self) -> dict[SRRef, SRRecord]:
        """``SR.get_all_records``"""
        return cast('dict[SRRef, SRRecord]', await self._call('SR.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[SRRef, SRRecord]:
        """``SR.get_all_records_where``"""
        return cast('dict[SRRef, SRRecord]', await self._call('SR.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[SRRef]:
        """``SR.get_all_where``"""
        return cast('list[SRRef]', await self._call('SR.get_all_where', expr))

    async def get_uuid(self, self_: SRRef) -> str:
        """``SR.get_uuid``"""
        return cast('str', await self._call('SR.get_uuid', self_))

    async def get_name_label(self, self_: SRRef) -> str:
        """``SR.get_name_label``"""
        return cast('str', await self._call('SR.get_name_label', self_))

    async def get_name_description(self, self_: SRRef) -> str:
        """``SR.get_name_description``"""
        return cast('str', await self._call('SR.get_name_description', self_))

    async def get_allowed_operations(self, self_: SRRef) -> list[StorageOperations]:
        """``SR.get_allowed_operations``"""
        return cast('list[StorageOperations]', await self._call('SR.get_allowed_operations', self_))

    async def get_current_operations(self, self_: SRRef) -> dict[str, StorageOperations]:
        """``SR.get_current_operations``"""
        return cast('dict[str, StorageOperations]', await self._call('SR.get_current_operations', self_))

    async def get_VDIs(self, self_: SRRef) -> list[VDIRef]:
        """``SR.get_VDIs``"""
        return cast('list[VDIRef]', await self._call('SR.get_VDIs', self_))

    async def get_PBDs(self, self_: SRRef) -> list[PBDRef]:
        """``SR.get_PBDs``"""
        return cast('list[PBDRef]', await self._call('SR.get_PBDs', self_))

    async def get_virtual_allocation(self, self_: SRRef) -> int:
        """``SR.get_virtual_allocation``"""
        return cast('int', await self._call('SR.get_virtual_allocation', self_))

    async def get_physical_utilisation(self, self_: SRRef) -> int:
        """``SR.get_physical_utilisation``"""
        return cast('int', await self._call('SR.get_physical_utilisation', self_))

    async def get_physical_size(self, self_: SRRef) -> int:
        """``SR.get_physical_size``"""
        return cast('int', await self._call('SR.get_physical_size', self_))

    async def get_type(self, self_: SRRef) -> str:
        """``SR.get_type``"""
        return cast('str', await self._call('SR.get_type', self_))

    async def get_content_type(self, self_: SRRef) -> str:
        """``SR.get_content_type``"""
        return cast('str', await self._call('SR.get_content_type', self_))

    async def get_shared(self, self_: SRRef) -> bool:
        """``SR.get_shared``"""
        return cast('bool', await self._call('SR.get_shared', self_))

    async def get_other_config(self, self_: SRRef) -> dict[str, str]:
        """``SR.get_other_config``"""
        return cast('dict[str, str]', await self._call('SR.get_other_config', self_))

    async def set_other_config(self, self_: SRRef, value: dict[str, str]) -> None:
        """``SR.set_other_config``"""
        return cast('None', await self._call('SR.set_other_config', self_, value))

    async def add_to_other_config(self, self_: SRRef, key: str, value: str) -> None:
        """``SR.add_to_other_config``"""
        return cast('None', await self._call('SR.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: SRRef, key: str) -> None:
        """``SR.remove_from_other_config``"""
        return cast('None', await self._call('SR.remove_from_other_config', self_, key))

    async def get_tags(self, self_: SRRef) -> list[str]:
        """``SR.get_tags``"""
        return cast('list[str]', await self._call('SR.get_tags', self_))

    async def set_tags(self, self_: SRRef, value: list[str]) -> None:
        """``SR.set_tags``"""
        return cast('None', await self._call('SR.set_tags', self_, value))

    async def add_tags(self, self_: SRRef, value: str) -> None:
        """``SR.add_tags``"""
        return cast('None', await self._call('SR.add_tags', self_, value))

    async def remove_tags(self, self_: SRRef, value: str) -> None:
        """``SR.remove_tags``"""
        return cast('None', await self._call('SR.remove_tags', self_, value))

    async def get_sm_config(self, self_: SRRef) -> dict[str, str]:
        """``SR.get_sm_config``"""
        return cast('dict[str, str]', await self._call('SR.get_sm_config', self_))

    async def set_sm_config(self, self_: SRRef, value: dict[str, str]) -> None:
        """``SR.set_sm_config``"""
        return cast('None', await self._call('SR.set_sm_config', self_, value))

    async def add_to_sm_config(self, self_: SRRef, key: str, value: str) -> None:
        """``SR.add_to_sm_config``"""
        return cast('None', await self._call('SR.add_to_sm_config', self_, key, value))

    async def remove_from_sm_config(self, self_: SRRef, key: str) -> None:
        """``SR.remove_from_sm_config``"""
        return cast('None', await self._call('SR.remove_from_sm_config', self_, key))

    async def get_blobs(self, self_: SRRef) -> dict[str, BlobRef]:
        """``SR.get_blobs``"""
        return cast('dict[str, BlobRef]', await self._call('SR.get_blobs', self_))

    async def get_local_cache_enabled(self, self_: SRRef) -> bool:
        """``SR.get_local_cache_enabled``"""
        return cast('bool', await self._call('SR.get_local_cache_enabled', self_))

    async def get_introduced_by(self, self_: SRRef) -> str:
        """``SR.get_introduced_by``"""
        return cast('str', await self._call('SR.get_introduced_by', self_))

    async def get_clustered(self, self_: SRRef) -> bool:
        """``SR.get_clustered``"""
        return cast('bool', await self._call('SR.get_clustered', self_))

    async def get_is_tools_sr(self, self_: SRRef) -> bool:
        """``SR.get_is_tools_sr``"""
        return cast('bool', await self._call('SR.get_is_tools_sr', self_))

    async def create_new_blob(self, sr: SRRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this SR"""
        return cast('BlobRef', await self._call('SR.create_new_blob', sr, name, mime_type, public))

    async def scan(self, sr: SRRef) -> None:
        """Refreshes the list of VDIs associated with an SR"""
        return cast('None', await self._call('SR.scan', sr))

    async def set_name_label(self, sr: SRRef, value: str) -> None:
        """Set the name label of the SR"""
        return cast('None', await self._call('SR.set_name_label', sr, value))

    async def set_name_description(self, sr: SRRef, value: str) -> None:
        """Set the name description of the SR"""
        return cast('None', await self._call('SR.set_name_description', sr, value))

    async def set_physical_size(self, self_: SRRef, value: int) -> None:
        """Sets the SR's physical_size field"""
        return cast('None', await self._call('SR.set_physical_size', self_, value))

    async def set_shared(self, sr: SRRef, value: bool) -> None:
        """Sets the shared flag on the SR"""
        return cast('None', await self._call('SR.set_shared', sr, value))

    async def get_supported_types(self) -> list[str]:
        """Return a set of all the SR types supported by the system"""
        return cast('list[str]', await self._call('SR.get_supported_types'))

    async def create(self, host: HostRef, device_config: dict[str, str], physical_size: int, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> SRRef:
        """Create a new Storage Repository and introduce it into the managed system, creating both SR record and PBD record to attach it to current host (with specified device_config parameters)"""
        return cast('SRRef', await self._call('SR.create', host, device_config, physical_size, name_label, name_description, type, content_type, shared, sm_config))

    async def introduce(self, uuid: str, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> SRRef:
        """Introduce a new Storage Repository into the managed system"""
        return cast('SRRef', await self._call('SR.introduce', uuid, name_label, name_description, type, content_type, shared, sm_config))

    async def forget(self, sr: SRRef) -> None:
        """Removing specified SR-record from database, without attempting to remove SR from disk"""
        return cast('None', await self._call('SR.forget', sr))

    async def destroy(self, sr: SRRef) -> None:
        """Destroy specified SR, removing SR-record from database and remove SR from disk. (In order to affect this operation the appropriate device_config is read from the specified SR's PBD on current host)"""
        return cast('None', await self._call('SR.destroy', sr))

    async def update(self, sr: SRRef) -> None:
        """Refresh the fields on the SR object"""
        return cast('None', await self._call('SR.update', sr))

    async def get_data_sources(self, sr: SRRef) -> list[DataSourceRecord]:
        """``SR.get_data_sources``"""
        return cast('list[DataSourceRecord]', await self._call('SR.get_data_sources', sr))

    async def record_data_source(self, sr: SRRef, data_source: str) -> None:
        """Start recording the specified data source"""
        return cast('None', await self._call('SR.record_data_source', sr, data_source))

    async def query_data_source(self, sr: SRRef, data_source: str) -> float:
        """Query the latest value of the specified data source"""
        return cast('float', await self._call('SR.query_data_source', sr, data_source))

    async def forget_data_source_archives(self, sr: SRRef, data_source: str) -> None:
        """Forget the recorded statistics related to the specified data source"""
        return cast('None', await self._call('SR.forget_data_source_archives', sr, data_source))

class TaskAsyncApi:
    """The messages of ``task``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: TaskRef) -> TaskRecord:
        """``task.get_record``"""
        return cast('TaskRecord', await self._call('task.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> TaskRef:
        """``task.get_by_uuid``"""
        return cast('TaskRef', await self._call('task.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[TaskRef]:
        """``task.get_by_name_label``"""
        return cast('list[TaskRef]', await self._call('task.get_by_name_label', label))

    async def get_all(self) -> list[TaskRef]:
        """``task.get_all``"""
        return cast('list[TaskRef]', await self._call('task.get_all'))

    async def get_all_records(self) -> dict[TaskRef, TaskRecord]:
        """``task.get_all_records``"""
        return cast('dict[TaskRef, TaskRecord]', await self._call('task.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[TaskRef, TaskRecord]:
        """``task.get_all_records_where``"""
        return cast('dict[TaskRef, TaskRecord]', await self._call('task.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[TaskRef]:
        """``task.get_all_where``"""
        return cast('list[TaskRef]', await self._call('task.get_all_where', expr))

    async def get_uuid(self, self_: TaskRef) -> str:
        """``task.get_uuid``"""
        return cast('str', await self._call('task.get_uuid', self_))

    async def get_name_label(self, self_: TaskRef) -> str:
        """``task.get_name_label``"""
        return cast('str', await self._call('task.get_name_label', self_))

    async def get_name_description(self, self_: TaskRef) -> str:
        """``task.get_name_description``"""
        return cast('str', await self._call('task.get_name_description', self_))

    async def get_allowed_operations(self, self_: TaskRef) -> list[TaskAllowedOperations]:
        """``task.get_allowed_operations``"""
        return cast('list[TaskAllowedOperations]', await self._call('task.get_allowed_operations', self_))

    async def get_current_operations(self, self_: TaskRef) -> dict[str, TaskAllowedOperations]:
        """``task.get_current_operations``"""
        return cast('dict[str, TaskAllowedOperations]', await self._call('task.get_current_operations', self_))

    async def get_created(self, self_: TaskRef) -> str:
        """``task.get_created``"""
        return cast('str', await self._call('task.get_created', self_))

    async def get_finished(self, self_: TaskRef) -> str:
        """``task.get_finished``"""
        return cast('str', await self._call('task.get_finished', self_))

    async def get_status(self, self_: TaskRef) -> TaskStatusType:
        """``task.get_status``"""
        return cast('TaskStatusType', await self._call('task.get_status', self_))

    async def get_resident_on(self, self_: TaskRef) -> HostRef:
        """``task.get_resident_on``"""
        return cast('HostRef', await self._call('task.get_resident_on', self_))

    async def get_progress(self, self_: TaskRef) -> float:
        """``task.get_progress``"""
        return cast('float', await self._call('task.get_progress', self_))

    async def get_type(self, self_: TaskRef) -> str:
        """``task.get_type``"""
        return cast('str', await self._call('task.get_type', self_))

    async def get_result(self, self_: TaskRef) -> str:
        """``task.get_result``"""
        return cast('str', await self._call('task.get_result', self_))

    async def get_error_info(self, self_: TaskRef) -> list[str]:
        """``task.get_error_info``"""
        return cast('list[str]', await self._call('task.get_error_info', self_))

    async def get_other_config(self, self_: TaskRef) -> dict[str, str]:
        """``task.get_other_config``"""
        return cast('dict[str, str]', await self._call('task.get_other_config', self_))

    async def set_other_config(self, self_: TaskRef, value: dict[str, str]) -> None:
        """``task.set_other_config``"""
        return cast('None', await self._call('task.set_other_config', self_, value))

    async def add_to_other_config(self, self_: TaskRef, key: str, value: str) -> None:
        """``task.add_to_other_config``"""
        return cast('None', await self._call('task.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: TaskRef, key: str) -> None:
        """``task.remove_from_other_config``"""
        return cast('None', await self._call('task.remove_from_other_config', self_, key))

    async def get_subtask_of(self, self_: TaskRef) -> TaskRef:
        """``task.get_subtask_of``"""
        return cast('TaskRef', await self._call('task.get_subtask_of', self_))

    async def get_subtasks(self, self_: TaskRef) -> list[TaskRef]:
        """``task.get_subtasks``"""
        return cast('list[TaskRef]', await self._call('task.get_subtasks', self_))

    async def get_backtrace(self, self_: TaskRef) -> str:
        """``task.get_backtrace``"""
        return cast('str', await self._call('task.get_backtrace', self_))

    async def set_error_info(self, self_: TaskRef, value: list[str]) -> None:
        """Set the task error info"""
        return cast('None', await self._call('task.set_error_info', self_, value))

    async def set_result(self, self_: TaskRef, value: str) -> None:
        """Set the task result"""
        return cast('None', await self._call('task.set_result', self_, value))

    async def set_progress(self, self_: TaskRef, value: float) -> None:
        """Set the task progress"""
        return cast('None', await self._call('task.set_progress', self_, value))

    async def set_status(self, self_: TaskRef, value: TaskStatusType) -> None:
        """Set the task status"""
        return cast('None', await self._call('task.set_status', self_, value))

    async def cancel(self, task: TaskRef) -> None:
        """Request that a task be cancelled. Note that a task may fail to be cancelled and may complete or fail normally and note that, even when a task does cancel, it might take an arbitrary amount of time."""
        return cast('None', await self._call('task.cancel', task))

    async def destroy(self, self_: TaskRef) -> None:
        """Destroy the task object"""
        return cast('None', await self._call('task.destroy', self_))

    async def create(self, label: str, description: str) -> TaskRef:
        """Create a new task object which must be manually destroyed."""
        return cast('TaskRef', await self._call('task.create', label, description))

class UserAsyncApi:
    """The messages of ``user``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: UserRef) -> UserRecord:
        """``user.get_record``"""
        return cast('UserRecord', await self._call('user.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> UserRef:
        """``user.get_by_uuid``"""
        return cast('UserRef', await self._call('user.get_by_uuid', uuid))

    async def create(self, args: UserRecordInput) -> UserRef:
        """``user.create``"""
        return cast('UserRef', await self._call('user.create', args))

    async def destroy(self, self_: UserRef) -> None:
        """``user.destroy``"""
        return cast('None', await self._call('user.destroy', self_))

    async def get_uuid(self, self_: UserRef) -> str:
        """``user.get_uuid``"""
        return cast('str', await self._call('user.get_uuid', self_))

    async def get_short_name(self, self_: UserRef) -> str:
        """``user.get_short_name``"""
        return cast('str', await self._call('user.get_short_name', self_))

    async def get_fullname(self, self_: UserRef) -> str:
        """``user.get_fullname``"""
        return cast('str', await self._call('user.get_fullname', self_))

    async def set_fullname(self, self_: UserRef, value: str) -> None:
        """``user.set_fullname``"""
        return cast('None', await self._call('user.set_fullname', self_, value))

    async def get_other_config(self, self_: UserRef) -> dict[str, str]:
        """``user.get_other_config``"""
        return cast('dict[str, str]', await self._call('user.get_other_config', self_))

    async def set_other_config(self, self_: UserRef, value: dict[str, str]) -> None:
        """``user.set_other_config``"""
        return cast('None', await self._call('user.set_other_config', self_, value))

    async def add_to_other_config(self, self_: UserRef, key: str, value: str) -> None:
        """``user.add_to_other_config``"""
        return cast('None', await self._call('user.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: UserRef, key: str) -> None:
        """``user.remove_from_other_config``"""
        return cast('None', await self._call('user.remove_from_other_config', self_, key))

class VBDAsyncApi:
    """The messages of ``VBD``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VBDRef) -> VBDRecord:
        """``VBD.get_record``"""
        return cast('VBDRecord', await self._call('VBD.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VBDRef:
        """``VBD.get_by_uuid``"""
        return cast('VBDRef', await self._call('VBD.get_by_uuid', uuid))

    async def get_all(self) -> list[VBDRef]:
        """``VBD.get_all``"""
        return cast('list[VBDRef]', await self._call('VBD.get_all'))

    async def get_all_records(self) -> dict[VBDRef, VBDRecord]:
        """``VBD.get_all_records``"""
        return cast('dict[VBDRef, VBDRecord]', await self._call('VBD.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VBDRef, VBDRecord]:
        """``VBD.get_all_records_where``"""
        return cast('dict[VBDRef, VBDRecord]', await self._call('VBD.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VBDRef]:
        """``VBD.get_all_where``"""
        return cast('list[VBDRef]', await self._call('VBD.get_all_where', expr))

    async def create(self, args: VBDRecordInput) -> VBDRef:
        """``VBD.create``"""
        return cast('VBDRef', await self._call('VBD.create', args))

    async def destroy(self, self_: VBDRef) -> None:
        """``VBD.destroy``"""
        return cast('None', await self._call('VBD.destroy', self_))

    async def get_uuid(self, self_: VBDRef) -> str:
        """``VBD.get_uuid``"""
        return cast('str', await self._call('VBD.get_uuid', self_))

    async def get_allowed_operations(self, self_: VBDRef) -> list[VbdOperations]:
        """``VBD.get_allowed_operations``"""
        return cast('list[VbdOperations]', await self._call('VBD.get_allowed_operations', self_))

    async def get_current_operations(self, self_: VBDRef) -> dict[str, VbdOperations]:
        """``VBD.get_current_operations``"""
        return cast('dict[str, VbdOperations]', await self._call('VBD.get_current_operations', self_))

    async def get_VM(self, self_: VBDRef) -> VMRef:
        """``VBD.get_VM``"""
        return cast('VMRef', await self._call('VBD.get_VM', self_))

    async def get_VDI(self, self_: VBDRef) -> VDIRef:
        """``VBD.get_VDI``"""
        return cast('VDIRef', await self._call('VBD.get_VDI', self_))

    async def get_device(self, self_: VBDRef) -> str:
        """``VBD.get_device``"""
        return cast('str', await self._call('VBD.get_device', self_))

    async def get_userdevice(self, self_: VBDRef) -> str:
        """``VBD.get_userdevice``"""
        return cast('str', await self._call('VBD.get_userdevice', self_))

    async def set_userdevice(self, self_: VBDRef, value: str) -> None:
        """``VBD.set_userdevice``"""
        return cast('None', await self._call('VBD.set_userdevice', self_, value))

    async def get_bootable(self, self_: VBDRef) -> bool:
        """``VBD.get_bootable``"""
        return cast('bool', await self._call('VBD.get_bootable', self_))

    async def set_bootable(self, self_: VBDRef, value: bool) -> None:
        """``VBD.set_bootable``"""
        return cast('None', await self._call('VBD.set_bootable', self_, value))

    async def get_mode(self, self_: VBDRef) -> VbdMode:
        """``VBD.get_mode``"""
        return cast('VbdMode', await self._call('VBD.get_mode', self_))

    async def get_type(self, self_: VBDRef) -> VbdType:
        """``VBD.get_type``"""
        return cast('VbdType', await self._call('VBD.get_type', self_))

    async def set_type(self, self_: VBDRef, value: VbdType) -> None:
        """``VBD.set_type``"""
        return cast('None', await self._call('VBD.set_type', self_, value))

    async def get_unpluggable(self, self_: VBDRef) -> bool:
        """``VBD.get_unpluggable``"""
        return cast('bool', await self._call('VBD.get_unpluggable', self_))

    async def set_unpluggable(self, self_: VBDRef, value: bool) -> None:
        """``VBD.set_unpluggable``"""
        return cast('None', await self._call('VBD.set_unpluggable', self_, value))

    async def get_storage_lock(self, self_: VBDRef) -> bool:
        """``VBD.get_storage_lock``"""
        return cast('bool', await self._call('VBD.get_storage_lock', self_))

    async def get_empty(self, self_: VBDRef) -> bool:
        """``VBD.get_empty``"""
        return cast('bool', await self._call('VBD.get_empty', self_))

    async def get_other_config(self, self_: VBDRef) -> dict[str, str]:
        """``VBD.get_other_config``"""
        return cast('dict[str, str]', await self._call('VBD.get_other_config', self_))

    async def set_other_config(self, self_: VBDRef, value: dict[str, str]) -> None:
        """``VBD.set_other_config``"""
        return cast('None', await self._call('VBD.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VBDRef, key: str, value: str) -> None:
        """``VBD.add_to_other_config``"""
        return cast('None', await self._call('VBD.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VBDRef, key: str) -> None:
        """``VBD.remove_from_other_config``"""
        return cast('None', await self._call('VBD.remove_from_other_config', self_, key))

    async def get_currently_attached(self, self_: VBDRef) -> bool:
        """``VBD.get_currently_attached``"""
        return cast('bool', await self._call('VBD.get_currently_attached', self_))

    async def get_status_code(self, self_: VBDRef) -> int:
        """``VBD.get_status_code``"""
        return cast('int', await self._call('VBD.get_status_code', self_))

    async def get_status_detail(self, self_: VBDRef) -> str:
        """``VBD.get_status_detail``"""
        return cast('str', await self._call('VBD.get_status_detail', self_))

    async def get_runtime_properties(self, self_: VBDRef) -> dict[str, str]:
        """``VBD.get_runtime_properties``"""
        return cast('dict[str, str]', await self._call('VBD.get_runtime_properties', self_))

    async def get_qos_algorithm_type(self, self_: VBDRef) -> str:
        """``VBD.get_qos_algorithm_type``"""
        return cast('str', await self._call('VBD.get_qos_algorithm_type', self_))

    async def set_qos_algorithm_type(self, self_: VBDRef, value: str) -> None:
        """``VBD.set_qos_algorithm_type``"""
        return cast('None', await self._call('VBD.set_qos_algorithm_type', self_, value))

    async def get_qos_algorithm_params(self, self_: VBDRef) -> dict[str, str]:
        """``VBD.get_qos_algorithm_params``"""
        return cast('dict[str, str]', await self._call('VBD.get_qos_algorithm_params', self_))

    async def set_qos_algorithm_params(self, self_: VBDRef, value: dict[str, str]) -> None:
        """``VBD.set_qos_algorithm_params``"""
        return cast('None', await self._call('VBD.set_qos_algorithm_params', self_, value))

    async def add_to_qos_algorithm_params(self, self_: VBDRef, key: str, value: str) -> None:
        """``VBD.add_to_qos_algorithm_params``"""
        return cast('None', await self._call('VBD.add_to_qos_algorithm_params', self_, key, value))

    async def remove_from_qos_algorithm_params(self, self_: VBDRef, key: str) -> None:
        """``VBD.remove_from_qos_algorithm_params``"""
        return cast('None', await self._call('VBD.remove_from_qos_algorithm_params', self_, key))

    async def get_qos_supported_algorithms(self, self_: VBDRef) -> list[str]:
        """``VBD.get_qos_supported_algorithms``"""
        return cast('list[str]', await self._call('VBD.get_qos_supported_algorithms', self_))

    async def get_metrics(self, self_: VBDRef) -> VBDMetricsRef:
        """``VBD.get_metrics``"""
        return cast('VBDMetricsRef', await self._call('VBD.get_metrics', self_))

    async def plug(self, self_: VBDRef) -> None:
        """Hotplug the specified VBD, dynamically attaching it to the running VM"""
        return cast('None', await self._call('VBD.plug', self_))

    async def unplug(self, self_: VBDRef) -> None:
        """Hot-unplug the specified VBD, dynamically unattaching it from the running VM"""
        return cast('None', await self._call('VBD.unplug', self_))

    async def unplug_force(self, self_: VBDRef) -> None:
        """Forcibly unplug the specified VBD"""
        return cast('None', await self._call('VBD.unplug_force', self_))

    async def insert(self, vbd: VBDRef, vdi: VDIRef) -> None:
        """Insert new media into the device"""
        return cast('None', await self._call('VBD.insert', vbd, vdi))

    async def eject(self, vbd: VBDRef) -> None:
        """Remove the media from the device and leave it empty"""
        return cast('None', await self._call('VBD.eject', vbd))

    async def set_mode(self, self_: VBDRef, value: VbdMode) -> None:
        """Sets the mode of the VBD. The power_state of the VM must be halted."""
        return cast('None', await self._call('VBD.set_mode', self_, value))

    async def assert_attachable(self, self_: VBDRef) -> None:
        """Throws an error if this VBD could not be attached to this VM if the VM were running. Intended for debugging."""
        return cast('None', await self._call('VBD.assert_attachable', self_))

class VBDMetricsAsyncApi:
    """The messages of ``VBD_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VBDMetricsRef) -> VBDMetricsRecord:
        """``VBD_metrics.get_record``"""
        return cast('VBDMetricsRecord', await self._call('VBD_metrics.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VBDMetricsRef:
        """``VBD_metrics.get_by_uuid``"""
        return cast('VBDMetricsRef', await self._call('VBD_metrics.get_by_uuid', uuid))

    async def get_all(self) -> list[VBDMetricsRef]:
        """``VBD_metrics.get_all``"""
        return cast('list[VBDMetricsRef]', await self._call('VBD_metrics.get_all'))

    async def get_all_records(self) -> dict[VBDMetricsRef, VBDMetricsRecord]:
        """``VBD_metrics.get_all_records``"""
        return cast('dict[VBDMetricsRef, VBDMetricsRecord]', await self._call('VBD_metrics.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VBDMetricsRef, VBDMetricsRecord]:
        """``VBD_metrics.get_all_records_where``"""
        return cast('dict[VBDMetricsRef, VBDMetricsRecord]', await self._call('VBD_metrics.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VBDMetricsRef]:
        """``VBD_metrics.get_all_where``"""
        return cast('list[VBDMetricsRef]', await self._call('VBD_metrics.get_all_where', expr))

    async def get_uuid(self, self_: VBDMetricsRef) -> str:
        """``VBD_metrics.get_uuid``"""
        return cast('str', await self._call('VBD_metrics.get_uuid', self_))

    async def get_io_read_kbs(self, self_: VBDMetricsRef) -> float:
        """``VBD_metrics.get_io_read_kbs``"""
        return cast('float', await self._call('VBD_metrics.get_io_read_kbs', self_))

    async def get_io_write_kbs(self, self_: VBDMetricsRef) -> float:
        """``VBD_metrics.get_io_write_kbs``"""
        return cast('float', await self._call('VBD_metrics.get_io_write_kbs', self_))

    async def get_last_updated(self, self_: VBDMetricsRef) -> str:
        """``VBD_metrics.get_last_updated``"""
        return cast('str', await self._call('VBD_metrics.get_last_updated', self_))

    async def get_other_config(self, self_: VBDMetricsRef) -> dict[str, str]:
        """``VBD_metrics.get_other_config``"""
        return cast('dict[str, str]', await self._call('VBD_metrics.get_other_config', self_))

    async def set_other_config(self, self_: VBDMetricsRef, value: dict[str, str]) -> None:
        """``VBD_metrics.set_other_config``"""
        return cast('None', await self._call('VBD_metrics.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VBDMetricsRef, key: str, value: str) -> None:
        """``VBD_metrics.add_to_other_config``"""
        return cast('None', await self._call('VBD_metrics.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VBDMetricsRef, key: str) -> None:
        """``VBD_metrics.remove_from_other_config``"""
        return cast('None', await self._call('VBD_metrics.remove_from_other_config', self_, key))

class VDIAsyncApi:
    """The messages of ``VDI``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VDIRef) -> VDIRecord:
        """``VDI.get_record``"""
        return cast('VDIRecord', await self._call('VDI.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VDIRef:
        """``VDI.get_by_uuid``"""
        return cast('VDIRef', await self._call('VDI.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[VDIRef]:
        """``VDI.get_by_name_label``"""
        return cast('list[VDIRef]', await self._call('VDI.get_by_name_label', label))

    async def get_all(self) -> list[VDIRef]:
        """``VDI.get_all``"""
        return cast('list[VDIRef]', await self._call('VDI.get_all'))

    async def get_all_records(self) -> dict[VDIRef, VDIRecord]:
        """``VDI.get_all_records``"""
        return cast('dict[VDIRef, VDIRecord]', await self._call('VDI.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VDIRef, VDIRecord]:
        """``VDI.get_all_records_where``"""
        return cast('dict[VDIRef, VDIRecord]', await self._call('VDI.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VDIRef]:
        """``VDI.get_all_where``"""
        return cast('list[VDIRef]', await self._call('VDI.get_all_where', expr))

    async def create(self, args: VDIRecordInput) -> VDIRef:
        """``VDI.create``"""
        return cast('VDIRef', await self._call('VDI.create', args))

    async def destroy(self, self_: VDIRef) -> None:
        """``VDI.destroy``"""
        return cast('None', await self._call('VDI.destroy', self_))

    async def get_uuid(self, self_: VDIRef) -> str:
        """``VDI.get_uuid``"""
        return cast('str', await self._call('VDI.get_uuid', self_))

    async def get_name_label(self, self_: VDIRef) -> str:
        """``VDI.get_name_label``"""
        return cast('str', await self._call('VDI.get_name_label', self_))

    async def get_name_description(self, self_: VDIRef) -> str:
        """``VDI.get_name_description``"""
        return cast('str', await self._call('VDI.get_name_description', self_))

    async def get_allowed_operations(self, self_: VDIRef) -> list[VdiOperations]:
        """``VDI.get_allowed_operations``"""
        return cast('list[VdiOperations]', await self._call('VDI.get_allowed_operations', self_))

    async def get_current_operations(self, self_: VDIRef) -> dict[str, VdiOperations]:
        """``VDI.get_current_operations``"""
        return cast('dict[str, VdiOperations]', await self._call('VDI.get_current_operations', self_))

    async def get_SR(self, self_: VDIRef) -> SRRef:
        """``VDI.get_SR``"""
        return cast('SRRef', await self._call('VDI.get_SR', self_))

    async def get_VBDs(self, self_: VDIRef) -> list[VBDRef]:
        """``VDI.get_VBDs``"""
        return cast('list[VBDRef]', await self._call('VDI.get_VBDs', self_))

    async def get_crash_dumps(self, self_: VDIRef) -> list[str]:
        """``VDI.get_crash_dumps``"""
        return cast('list[str]', await self._call('VDI.get_crash_dumps', self_))

    async def get_virtual_size(self, self_: VDIRef) -> int:
        """``VDI.get_virtual_size``"""
        return cast('int', await self._call('VDI.get_virtual_size', self_))

    async def get_physical_utilisation(self, self_: VDIRef) -> int:
        """``VDI.get_physical_utilisation``"""
        return cast('int', await self._call('VDI.get_physical_utilisation', self_))

    async def get_type(self, self_: VDIRef) -> VdiType:
        """``VDI.get_type``"""
        return cast('VdiType', await self._call('VDI.get_type', self_))

    async def get_sharable(self, self_: VDIRef) -> bool:
        """``VDI.get_sharable``"""
        return cast('bool', await self._call('VDI.get_sharable', self_))

    async def get_read_only(self, self_: VDIRef) -> bool:
        """``VDI.get_read_only``"""
        return cast('bool', await self._call('VDI.get_read_only', self_))

    async def get_other_config(self, self_: VDIRef) -> dict[str, str]:
        """``VDI.get_other_config``"""
        return cast('dict[str, str]', await self._call('VDI.get_other_config', self_))

    async def set_other_config(self, self_: VDIRef, value: dict[str, str]) -> None:
        """``VDI.set_other_config``"""
        return cast('None', await self._call('VDI.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VDIRef, key: str, value: str) -> None:
        """``VDI.add_to_other_config``"""
        return cast('None', await self._call('VDI.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VDIRef, key: str) -> None:
        """``VDI.remove_from_other_config``"""
        return cast('None', await self._call('VDI.remove_from_other_config', self_, key))

    async def get_storage_lock(self, self_: VDIRef) -> bool:
        """``VDI.get_storage_lock``"""
        return cast('bool', await self._call('VDI.get_storage_lock', self_))

    async def get_location(self, self_: VDIRef) -> str:
        """``VDI.get_location``"""
        return cast('str', await self._call('VDI.get_location', self_))

    async def get_managed(self, self_: VDIRef) -> bool:
        """``VDI.get_managed``"""
        return cast('bool', await self._call('VDI.get_managed', self_))

    async def get_missing(self, self_: VDIRef) -> bool:
        """``VDI.get_missing``"""
        return cast('bool', await self._call('VDI.get_missing', self_))

    async def get_parent(self, self_: VDIRef) -> VDIRef:
        """``VDI.get_parent``"""
        return cast('VDIRef', await self._call('VDI.get_parent', self_))

    async def get_xenstore_data(self, self_: VDIRef) -> dict[str, str]:
        """``VDI.get_xenstore_data``"""
        return cast('dict[str, str]', await self._call('VDI.get_xenstore_data', self_))

    async def set_xenstore_data(self, self_: VDIRef, value: dict[str, str]) -> None:
        """``VDI.set_xenstore_data``"""
        return cast('None', await self._call('VDI.set_xenstore_data', self_, value))

    async def add_to_xenstore_data(self, self_: VDIRef, key: str, value: str) -> None:
        """``VDI.add_to_xenstore_data``"""
        return cast('None', await self._call('VDI.add_to_xenstore_data', self_, key, value))

    async def remove_from_xenstore_data(self, self_: VDIRef, key: str) -> None:
        """``VDI.remove_from_xenstore_data``"""
        return cast('None', await self._call('VDI.remove_from_xenstore_data', self_, key))

    async def get_sm_config(self, self_: VDIRef) -> dict[str, str]:
        """``VDI.get_sm_config``"""
        return cast('dict[str, str]', await self._call('VDI.get_sm_config', self_))

    async def set_sm_config(self, self_: VDIRef, value: dict[str, str]) -> None:
        """``VDI.set_sm_config``"""
        return cast('None', await self._call('VDI.set_sm_config', self_, value))

    async def add_to_sm_config(self, self_: VDIRef, key: str, value: str) -> None:
        """``VDI.add_to_sm_config``"""
        return cast('None', await self._call('VDI.add_to_sm_config', self_, key, value))

    async def remove_from_sm_config(self, self_: VDIRef, key: str) -> None:
        """``VDI.remove_from_sm_config``"""
        return cast('None', await self._call('VDI.remove_from_sm_config', self_, key))

    async def get_is_a_snapshot(self, self_: VDIRef) -> bool:
        """``VDI.get_is_a_snapshot``"""
        return cast('bool', await self._call('VDI.get_is_a_snapshot', self_))

    async def get_snapshot_of(self, self_: VDIRef) -> VDIRef:
        """``VDI.get_snapshot_of``"""
        return cast('VDIRef', await self._call('VDI.get_snapshot_of', self_))

    async def get_snapshots(self, self_: VDIRef) -> list[VDIRef]:
        """``VDI.get_snapshots``"""
        return cast('list[VDIRef]', await self._call('VDI.get_snapshots', self_))

    async def get_snapshot_time(self, self_: VDIRef) -> str:
        """``VDI.get_snapshot_time``"""
        return cast('str', await self._call('VDI.get_snapshot_time', self_))

    async def get_tags(self, self_: VDIRef) -> list[str]:
        """``VDI.get_tags``"""
        return cast('list[str]', await self._call('VDI.get_tags', self_))

    async def set_tags(self, self_: VDIRef, value: list[str]) -> None:
        """``VDI.set_tags``"""
        return cast('None', await self._call('VDI.set_tags', self_, value))

    async def add_tags(self, self_: VDIRef, value: str) -> None:
        """``VDI.add_tags``"""
        return cast('None', await self._call('VDI.add_tags', self_, value))

    async def remove_tags(self, self_: VDIRef, value: str) -> None:
        """``VDI.remove_tags``"""
        return cast('None', await self._call('VDI.remove_tags', self_, value))

    async def get_allow_caching(self, self_: VDIRef) -> bool:
        """``VDI.get_allow_caching``"""
        return cast('bool', await self._call('VDI.get_allow_caching', self_))

    async def get_on_boot(self, self_: VDIRef) -> OnBoot:
        """``VDI.get_on_boot``"""
        return cast('OnBoot', await self._call('VDI.get_on_boot', self_))

    async def get_metadata_of_pool(self, self_: VDIRef) -> PoolRef:
        """``VDI.get_metadata_of_pool``"""
        return cast('PoolRef', await self._call('VDI.get_metadata_of_pool', self_))

    async def get_metadata_latest(self, self_: VDIRef) -> bool:
        """``VDI.get_metadata_latest``"""
        return cast('bool', await self._call('VDI.get_metadata_latest', self_))

    async def get_is_tools_iso(self, self_: VDIRef) -> bool:
        """``VDI.get_is_tools_iso``"""
        return cast('bool', await self._call('VDI.get_is_tools_iso', self_))

    async def get_cbt_enabled(self, self_: VDIRef) -> bool:
        """``VDI.get_cbt_enabled``"""
        return cast('bool', await self._call('VDI.get_cbt_enabled', self_))

    async def resize(self, vdi: VDIRef, size: int) -> None:
        """Resize the VDI."""
        return cast('None', await self._call('VDI.resize', vdi, size))

    async def clone(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> VDIRef:
        """Take an exact copy of the VDI and return a reference to the new disk. If any driver_params are specified then these are passed through to the storage-specific substrate driver that implements the clone operation. NB the clone lives in the same Storage Repository as its parent."""
        return cast('VDIRef', await self._call('VDI.clone', vdi, driver_params))

    async def snapshot(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> VDIRef:
        """Take a read-only snapshot of the VDI, returning a reference to the snapshot. If any driver_params are specified then these are passed through to the storage-specific substrate driver that takes the snapshot. NB the snapshot lives in the same Storage Repository as its parent."""
        return cast('VDIRef', await self._call('VDI.snapshot', vdi, driver_params))

    async def set_name_label(self, self_: VDIRef, value: str) -> None:
        """Set the name label of the VDI. This can only happen when then its SR is currently attached."""
        return cast('None', await self._call('VDI.set_name_label', self_, value))

    async def set_name_description(self, self_: VDIRef, value: str) -> None:
        """Set the name description of the VDI. This can only happen when its SR is currently attached."""
        return cast('None', await self._call('VDI.set_name_description', self_, value))

    async def set_sharable(self, self_: VDIRef, value: bool) -> None:
        """Sets the VDI's sharable field"""
        return cast('None', await self._call('VDI.set_sharable', self_, value))

    async def set_read_only(self, self_: VDIRef, value: bool) -> None:
        """Sets the VDI's read_only field"""
        return cast('None', await self._call('VDI.set_read_only', self_, value))

    async def set_allow_caching(self, self_: VDIRef, value: bool) -> None:
        """Set the value of the allow_caching parameter. This value can only be changed when the VDI is not attached to a running VM. The caching behaviour is only affected by this flag for VHD-based VDIs that have one parent and no child VHDs. Moreover, caching only takes place when the host running the VM containing this VDI has a nominated SR for local caching."""
        return cast('None', await self._call('VDI.set_allow_caching', self_, value))

    async def forget(self, vdi: VDIRef) -> None:
        """Removes a VDI record from the database"""
        return cast('None', await self._call('VDI.forget', vdi))

    async def update(self, vdi: VDIRef) -> None:
        """Ask the storage backend to refresh the fields in the VDI object"""
        return cast('None', await self._call('VDI.update', vdi))

    async def copy(self, vdi: VDIRef, sr: SRRef, base_vdi: VDIRef, into_vdi: VDIRef) -> VDIRef:
        """Copy either a full VDI or the block differences between two VDIs into either a fresh VDI or an existing VDI."""
        return cast('VDIRef', await self._call('VDI.copy', vdi, sr, base_vdi, into_vdi))

    async def introduce(self, uuid: str, name_label: str, name_description: str, SR: SRRef, type: VdiType, sharable: bool, read_only: bool, other_config: dict[str, str], location: str, xenstore_data: dict[str, str], sm_config: dict[str, str], managed: bool, virtual_size: int, physical_utilisation: int, metadata_of_pool: PoolRef, is_a_snapshot: bool, snapshot_time: str, snapshot_of: VDIRef) -> VDIRef:
        """Create a new VDI record in the database only"""
        return cast('VDIRef', await self._call('VDI.introduce', uuid, name_label, name_description, SR, type, sharable, read_only, other_config, location, xenstore_data, sm_config, managed, virtual_size, physical_utilisation, metadata_of_pool, is_a_snapshot, snapshot_time, snapshot_of))

    async def enable_cbt(self, self_: VDIRef) -> None:
        """Enable changed block tracking for the VDI. This call is idempotent - enabling CBT for a VDI for which CBT is already enabled results in a no-op, and no error will be thrown."""
        return cast('None', await self._call('VDI.enable_cbt', self_))

    async def disable_cbt(self, self_: VDIRef) -> None:
        """Disable changed block tracking for the VDI. This call is only allowed on VDIs that support enabling CBT. It is an idempotent operation - disabling CBT for a VDI for which CBT is not enabled results in a no-op, and no error will be thrown."""
        return cast('None', await self._call('VDI.disable_cbt', self_))

    async def data_destroy(self, self_: VDIRef) -> None:
        """Delete the data of the snapshot VDI, but keep its changed block tracking metadata. When successful, this call changes the type of the VDI to cbt_metadata. This operation is idempotent: calling it on a VDI of type cbt_metadata results in a no-op, and no error will be thrown."""
        return cast('None', await self._call('VDI.data_destroy', self_))

    async def list_changed_blocks(self, vdi_from: VDIRef, vdi_to: VDIRef) -> str:
        """Compare two VDIs in 64k block increments and report which blocks differ. This operation is not allowed when vdi_to is attached to a VM."""
        return cast('str', await self._call('VDI.list_changed_blocks', vdi_from, vdi_to))

    async def set_on_boot(self, self_: VDIRef, value: OnBoot) -> None:
        """Set the value of the on_boot parameter. This value can only be changed when the VDI is not attached to a running VM."""
        return cast('None', await self._call('VDI.set_on_boot', self_, value))

    async def resize_online(self, vdi: VDIRef, size: int) -> None:
        """Resize the VDI which may or may not be attached to running guests."""
        return cast('None', await self._call('VDI.resize_online', vdi, size))

class VIFAsyncApi:
    """The messages of ``VIF``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VIFRef) -> VIFRecord:
        """``VIF.get_record``"""
        return cast('VIFRecord', await self._call('VIF.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VIFRef:
        """``VIF.get_by_uuid``"""
        return cast('VIFRef', await self._call('VIF.get_by_uuid', uuid))

    async def get_all(self) -> list[VIFRef]:
        """``VIF.get_all``"""
        return cast('list[VIFRef]', await self._call('VIF.get_all'))

    async def get_all_records(self) -> dict[VIFRef, VIFRecord]:
        """``VIF.get_all_records``"""
        return cast('dict[VIFRef, VIFRecord]', await self._call('VIF.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VIFRef, VIFRecord]:
        """``VIF.get_all_records_where``"""
        return cast('dict[VIFRef, VIFRecord]', await self._call('VIF.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VIFRef]:
        """``VIF.get_all_where``"""
        return cast('list[VIFRef]', await self._call('VIF.get_all_where', expr))

    async def create(self, args: VIFRecordInput) -> VIFRef:
        """``VIF.create``"""
        return cast('VIFRef', await self._call('VIF.create', args))

    async def destroy(self, self_: VIFRef) -> None:
        """``VIF.destroy``"""
        return cast('None', await self._call('VIF.destroy', self_))

    async def get_uuid(self, self_: VIFRef) -> str:
        """``VIF.get_uuid``"""
        return cast('str', await self._call('VIF.get_uuid', self_))

    async def get_allowed_operations(self, self_: VIFRef) -> list[VifOperations]:
        """``VIF.get_allowed_operations``"""
        return cast('list[VifOperations]', await self._call('VIF.get_allowed_operations', self_))

    async def get_current_operations(self, self_: VIFRef) -> dict[str, VifOperations]:
        """``VIF.get_current_operations``"""
        return cast('dict[str, VifOperations]', await self._call('VIF.get_current_operations', self_))

    async def get_device(self, self_: VIFRef) -> str:
        """``VIF.get_device``"""
        return cast('str', await self._call('VIF.get_device', self_))

    async def get_network(self, self_: VIFRef) -> NetworkRef:
        """``VIF.get_network``"""
        return cast('NetworkRef', await self._call('VIF.get_network', self_))

    async def get_VM(self, self_: VIFRef) -> VMRef:
        """``VIF.get_VM``"""
        return cast('VMRef', await self._call('VIF.get_VM', self_))

    async def get_MAC(self, self_: VIFRef) -> str:
        """``VIF.get_MAC``"""
        return cast('str', await self._call('VIF.get_MAC', self_))

    async def get_MTU(self, self_: VIFRef) -> int:
        """``VIF.get_MTU``"""
        return cast('int', await self._call('VIF.get_MTU', self_))

    async def get_other_config(self, self_: VIFRef) -> dict[str, str]:
        """``VIF.get_other_config``"""
        return cast('dict[str, str]', await self._call('VIF.get_other_config', self_))

    async def set_other_config(self, self_: VIFRef, value: dict[str, str]) -> None:
        """``VIF.set_other_config``"""
        return cast('None', await self._call('VIF.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VIFRef, key: str, value: str) -> None:
        """``VIF.add_to_other_config``"""
        return cast('None', await self._call('VIF.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VIFRef, key: str) -> None:
        """``VIF.remove_from_other_config``"""
        return cast('None', await self._call('VIF.remove_from_other_config', self_, key))

    async def get_currently_attached(self, self_: VIFRef) -> bool:
        """``VIF.get_currently_attached``"""
        return cast('bool', await self._call('VIF.get_currently_attached', self_))

    async def get_status_code(self, self_: VIFRef) -> int:
        """``VIF.get_status_code``"""
        return cast('int', await self._call('VIF.get_status_code', self_))

    async def get_status_detail(self, self_: VIFRef) -> str:
        """``VIF.get_status_detail``"""
        return cast('str', await self._call('VIF.get_status_detail', self_))

    async def get_runtime_properties(self, self_: VIFRef) -> dict[str, str]:
        """``VIF.get_runtime_properties``"""
        return cast('dict[str, str]', await self._call('VIF.get_runtime_properties', self_))

    async def get_qos_algorithm_type(self, self_: VIFRef) -> str:
        """``VIF.get_qos_algorithm_type``"""
        return cast('str', await self._call('VIF.get_qos_algorithm_type', self_))

    async def set_qos_algorithm_type(self, self_: VIFRef, value: str) -> None:
        """``VIF.set_qos_algorithm_type``"""
        return cast('None', await self._call('VIF.set_qos_algorithm_type', self_, value))

    async def get_qos_algorithm_params(self, self_: VIFRef) -> dict[str, str]:
        """``VIF.get_qos_algorithm_params``"""
        return cast('dict[str, str]', await self._call('VIF.get_qos_algorithm_params', self_))

    async def set_qos_algorithm_params(self, self_: VIFRef, value: dict[str, str]) -> None:
        """``VIF.set_qos_algorithm_params``"""
        return cast('None', await self._call('VIF.set_qos_algorithm_params', self_, value))

    async def add_to_qos_algorithm_params(self, self_: VIFRef, key: str, value: str) -> None:
        """``VIF.add_to_qos_algorithm_params``"""
        return cast('None', await self._call('VIF.add_to_qos_algorithm_params', self_, key, value))

    async def remove_from_qos_algorithm_params(self, self_: VIFRef, key: str) -> None:
        """``VIF.remove_from_qos_algorithm_params``"""
        return cast('None', await self._call('VIF.remove_from_qos_algorithm_params', self_, key))

    async def get_qos_supported_algorithms(self, self_: VIFRef) -> list[str]:
        """``VIF.get_qos_supported_algorithms``"""
        return cast('list[str]', await self._call('VIF.get_qos_supported_algorithms', self_))

    async def get_metrics(self, self_: VIFRef) -> str:
        """``VIF.get_metrics``"""
        return cast('str', await self._call('VIF.get_metrics', self_))

    async def get_MAC_autogenerated(self, self_: VIFRef) -> bool:
        """``VIF.get_MAC_autogenerated``"""
        return cast('bool', await self._call('VIF.get_MAC_autogenerated', self_))

    async def get_locking_mode(self, self_: VIFRef) -> VifLockingMode:
        """``VIF.get_locking_mode``"""
        return cast('VifLockingMode', await self._call('VIF.get_locking_mode', self_))

    async def get_ipv4_allowed(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv4_allowed``"""
        return cast('list[str]', await self._call('VIF.get_ipv4_allowed', self_))

    async def get_ipv6_allowed(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv6_allowed``"""
        return cast('list[str]', await self._call('VIF.get_ipv6_allowed', self_))

    async def get_ipv4_configuration_mode(self, self_: VIFRef) -> VifIpv4ConfigurationMode:
        """``VIF.get_ipv4_configuration_mode``"""
        return cast('VifIpv4ConfigurationMode', await self._call('VIF.get_ipv4_configuration_mode', self_))

    async def get_ipv4_addresses(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv4_addresses``"""
        return cast('list[str]', await self._call('VIF.get_ipv4_addresses', self_))

    async def get_ipv4_gateway(self, self_: VIFRef) -> str:
        """``VIF.get_ipv4_gateway``"""
        return cast('str', await self._call('VIF.get_ipv4_gateway', self_))

    async def get_ipv6_configuration_mode(self, self_: VIFRef) -> VifIpv6ConfigurationMode:
        """``VIF.get_ipv6_configuration_mode``"""
        return cast('VifIpv6ConfigurationMode', await self._call('VIF.get_ipv6_configuration_mode', self_))

    async def get_ipv6_addresses(self, self_: VIFRef) -> list[str]:
        """``VIF.get_ipv6_addresses``"""
        return cast('list[str]', await self._call('VIF.get_ipv6_addresses', self_))

    async def get_ipv6_gateway(self, self_: VIFRef) -> str:
        """``VIF.get_ipv6_gateway``"""
        return cast('str', await self._call('VIF.get_ipv6_gateway', self_))

    async def plug(self, self_: VIFRef) -> None:
        """Hotplug the specified VIF, dynamically attaching it to the running VM"""
        return cast('None', await self._call('VIF.plug', self_))

    async def unplug(self, self_: VIFRef) -> None:
        """Hot-unplug the specified VIF, dynamically unattaching it from the running VM"""
        return cast('None', await self._call('VIF.unplug', self_))

    async def unplug_force(self, self_: VIFRef) -> None:
        """Forcibly unplug the specified VIF"""
        return cast('None', await self._call('VIF.unplug_force', self_))

    async def configure_ipv4(self, self_: VIFRef, mode: VifIpv4ConfigurationMode, address: str, gateway: str) -> None:
        """Configure IPv4 settings for this virtual interface"""
        return cast('None', await self._call('VIF.configure_ipv4', self_, mode, address, gateway))

    async def configure_ipv6(self, self_: VIFRef, mode: VifIpv6ConfigurationMode, address: str, gateway: str) -> None:
        """Configure IPv6 settings for this virtual interface"""
        return cast('None', await self._call('VIF.configure_ipv6', self_, mode, address, gateway))

    async def set_locking_mode(self, self_: VIFRef, value: VifLockingMode) -> None:
        """Set the locking mode for this VIF"""
        return cast('None', await self._call('VIF.set_locking_mode', self_, value))

    async def set_ipv4_allowed(self, self_: VIFRef, value: list[str]) -> None:
        """Set the IPv4 addresses to which traffic on this VIF can be restricted"""
        return cast('None', await self._call('VIF.set_ipv4_allowed', self_, value))

    async def add_ipv4_allowed(self, self_: VIFRef, value: str) -> None:
        """Associates an IPv4 address with this VIF"""
        return cast('None', await self._call('VIF.add_ipv4_allowed', self_, value))

    async def remove_ipv4_allowed(self, self_: VIFRef, value: str) -> None:
        """Removes an IPv4 address from this VIF"""
        return cast('None', await self._call('VIF.remove_ipv4_allowed', self_, value))

    async def set_ipv6_allowed(self, self_: VIFRef, value: list[str]) -> None:
        """Set the IPv6 addresses to which traffic on this VIF can be restricted"""
        return cast('None', await self._call('VIF.set_ipv6_allowed', self_, value))

    async def add_ipv6_allowed(self, self_: VIFRef, value: str) -> None:
        """Associates an IPv6 address with this VIF"""
        return cast('None', await self._call('VIF.add_ipv6_allowed', self_, value))

    async def remove_ipv6_allowed(self, self_: VIFRef, value: str) -> None:
        """Removes an IPv6 address from this VIF"""
        return cast('None', await self._call('VIF.remove_ipv6_allowed', self_, value))

    async def move(self, self_: VIFRef, network: NetworkRef) -> None:
        """Move the specified VIF to the specified network, even while the VM is running"""
        return cast('None', await self._call('VIF.move', self_, network))

class VMAsyncApi:
    """The messages of ``VM``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VMRef) -> VMRecord:
        """``VM.get_record``"""
        return cast('VMRecord', await self._call('VM.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VMRef:
        """``VM.get_by_uuid``"""
        return cast('VMRef', await self._call('VM.get_by_uuid', uuid))

    async def get_by_name_label(self, label: str) -> list[VMRef]:
        """``VM.get_by_name_label``"""
        return cast('list[VMRef]', await self._call('VM.get_by_name_label', label))

    async def get_all(self) -> list[VMRef]:
        """``VM.get_all``"""
        return cast('list[VMRef]', await self._call('VM.get_all'))

    async def get_all_records(self) -> dict[VMRef, VMRecord]:
        """``VM.get_all_records``"""
        return cast('dict[VMRef, VMRecord]', await self._call('VM.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VMRef, VMRecord]:
        """``VM.get_all_records_where``"""
        return cast('dict[VMRef, VMRecord]', await self._call('VM.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VMRef]:
        """``VM.get_all_where``"""
        return cast('list[VMRef]', await self._call('VM.get_all_where', expr))

    async def create(self, args: VMRecordInput) -> VMRef:
        """``VM.create``"""
        return cast('VMRef', await self._call('VM.create', args))

    async def destroy(self, self_: VMRef) -> None:
        """``VM.destroy``"""
        return cast('None', await self._call('VM.destroy', self_))

    async def get_uuid(self, self_: VMRef) -> str:
        """``VM.get_uuid``"""
        return cast('str', await self._call('VM.get_uuid', self_))

    async def get_allowed_operations(self, self_: VMRef) -> list[VmOperations]:
        """``VM.get_allowed_operations``"""
        return cast('list[VmOperations]', await self._call('VM.get_allowed_operations', self_))

    async def get_current_operations(self, self_: VMRef) -> dict[str, VmOperations]:
        """``VM.get_current_operations``"""
        return cast('dict[str, VmOperations]', await self._call('VM.get_current_operations', self_))

    async def get_name_label(self, self_: VMRef) -> str:
        """``VM.get_name_label``"""
        return cast('str', await self._call('VM.get_name_label', self_))

    async def set_name_label(self, self_: VMRef, value: str) -> None:
        """``VM.set_name_label``"""
        return cast('None', await self._call('VM.set_name_label', self_, value))

    async def get_name_description(self, self_: VMRef) -> str:
        """``VM.get_name_description``"""
        return cast('str', await self._call('VM.get_name_description', self_))

    async def set_name_description(self, self_: VMRef, value: str) -> None:
        """``VM.set_name_description``"""
        return cast('None', await self._call('VM.set_name_description', self_, value))

    async def get_power_state(self, self_: VMRef) -> VmPowerState:
        """``VM.get_power_state``"""
        return cast('VmPowerState', await self._call('VM.get_power_state', self_))

    async def get_user_version(self, self_: VMRef) -> int:
        """``VM.get_user_version``"""
        return cast('int', await self._call('VM.get_user_version', self_))

    async def set_user_version(self, self_: VMRef, value: int) -> None:
        """``VM.set_user_version``"""
        return cast('None', await self._call('VM.set_user_version', self_, value))

    async def get_is_a_template(self, self_: VMRef) -> bool:
        """``VM.get_is_a_template``"""
        return cast('bool', await self._call('VM.get_is_a_template', self_))

    async def set_is_a_template(self, self_: VMRef, value: bool) -> None:
        """``VM.set_is_a_template``"""
        return cast('None', await self._call('VM.set_is_a_template', self_, value))

    async def get_is_default_template(self, self_: VMRef) -> bool:
        """``VM.get_is_default_template``"""
        return cast('bool', await self._call('VM.get_is_default_template', self_))

    async def get_suspend_VDI(self, self_: VMRef) -> VDIRef:
        """``VM.get_suspend_VDI``"""
        return cast('VDIRef', await self._call('VM.get_suspend_VDI', self_))

    async def get_resident_on(self, self_: VMRef) -> HostRef:
        """``VM.get_resident_on``"""
        return cast('HostRef', await self._call('VM.get_resident_on', self_))

    async def get_scheduled_to_be_resident_on(self, self_: VMRef) -> HostRef:
        """``VM.get_scheduled_to_be_resident_on``"""
        return cast('HostRef', await self._call('VM.get_scheduled_to_be_resident_on', self_))

    async def get_affinity(self, self_: VMRef) -> HostRef:
        """``VM.get_affinity``"""
        return cast('HostRef', await self._call('VM.get_affinity', self_))

    async def set_affinity(self, self_: VMRef, value: HostRef) -> None:
        """``VM.set_affinity``"""
        return cast('None', await self._call('VM.set_affinity', self_, value))

    async def get_memory_overhead(self, self_: VMRef) -> int:
        """``VM.get_memory_overhead``"""
        return cast('int', await self._call('VM.get_memory_overhead', self_))

    async def get_memory_target(self, self_: VMRef) -> int:
        """``VM.get_memory_target``"""
        return cast('int', await self._call('VM.get_memory_target', self_))

    async def get_memory_static_max(self, self_: VMRef) -> int:
        """``VM.get_memory_static_max``"""
        return cast('int', await self._call('VM.get_memory_static_max', self_))

    async def get_memory_dynamic_max(self, self_: VMRef) -> int:
        """``VM.get_memory_dynamic_max``"""
        return cast('int', await self._call('VM.get_memory_dynamic_max', self_))

    async def get_memory_dynamic_min(self, self_: VMRef) -> int:
        """``VM.get_memory_dynamic_min``"""
        return cast('int', await self._call('VM.get_memory_dynamic_min', self_))

    async def get_memory_static_min(self, self_: VMRef) -> int:
        """``VM.get_memory_static_min``"""
        return cast('int', await self._call('VM.get_memory_static_min', self_))

    async def get_VCPUs_params(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_VCPUs_params``"""
        return cast('dict[str, str]', await self._call('VM.get_VCPUs_params', self_))

    async def set_VCPUs_params(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_VCPUs_params``"""
        return cast('None', await self._call('VM.set_VCPUs_params', self_, value))

    async def add_to_VCPUs_params(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_VCPUs_params``"""
        return cast('None', await self._call('VM.add_to_VCPUs_params', self_, key, value))

    async def remove_from_VCPUs_params(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_VCPUs_params``"""
        return cast('None', await self._call('VM.remove_from_VCPUs_params', self_, key))

    async def get_VCPUs_max(self, self_: VMRef) -> int:
        """``VM.get_VCPUs_max``"""
        return cast('int', await self._call('VM.get_VCPUs_max', self_))

    async def get_VCPUs_at_startup(self, self_: VMRef) -> int:
        """``VM.get_VCPUs_at_startup``"""
        return cast('int', await self._call('VM.get_VCPUs_at_startup', self_))

    async def get_actions_after_softreboot(self, self_: VMRef) -> OnSoftrebootBehavior:
        """``VM.get_actions_after_softreboot``"""
        return cast('OnSoftrebootBehavior', await self._call('VM.get_actions_after_softreboot', self_))

    async def set_actions_after_softreboot(self, self_: VMRef, value: OnSoftrebootBehavior) -> None:
        """``VM.set_actions_after_softreboot``"""
        return cast('None', await self._call('VM.set_actions_after_softreboot', self_, value))

    async def get_actions_after_shutdown(self, self_: VMRef) -> OnNormalExit:
        """``VM.get_actions_after_shutdown``"""
        return cast('OnNormalExit', await self._call('VM.get_actions_after_shutdown', self_))

    async def set_actions_after_shutdown(self, self_: VMRef, value: OnNormalExit) -> None:
        """``VM.set_actions_after_shutdown``"""
        return cast('None', await self._call('VM.set_actions_after_shutdown', self_, value))

    async def get_actions_after_reboot(self, self_: VMRef) -> OnNormalExit:
        """``VM.get_actions_after_reboot``"""
        return cast('OnNormalExit', await self._call('VM.get_actions_after_reboot', self_))

    async def set_actions_after_reboot(self, self_: VMRef, value: OnNormalExit) -> None:
        """``VM.set_actions_after_reboot``"""
        return cast('None', await self._call('VM.set_actions_after_reboot', self_, value))

    async def get_actions_after_crash(self, self_: VMRef) -> OnCrashBehaviour:
        """``VM.get_actions_after_crash``"""
        return cast('OnCrashBehaviour', await self._call('VM.get_actions_after_crash', self_))

    async def get_consoles(self, self_: VMRef) -> list[ConsoleRef]:
        """``VM.get_consoles``"""
        return cast('list[ConsoleRef]', await self._call('VM.get_consoles', self_))

    async def get_VIFs(self, self_: VMRef) -> list[VIFRef]:
        """``VM.get_VIFs``"""
        return cast('list[VIFRef]', await self._call('VM.get_VIFs', self_))

    async def get_VBDs(self, self_: VMRef) -> list[VBDRef]:
        """``VM.get_VBDs``"""
        return cast('list[VBDRef]', await self._call('VM.get_VBDs', self_))

    async def get_VUSBs(self, self_: VMRef) -> list[str]:
        """``VM.get_VUSBs``"""
        return cast('list[str]', await self._call('VM.get_VUSBs', self_))

    async def get_crash_dumps(self, self_: VMRef) -> list[str]:
        """``VM.get_crash_dumps``"""
        return cast('list[str]', await self._call('VM.get_crash_dumps', self_))

    async def get_VTPMs(self, self_: VMRef) -> list[str]:
        """``VM.get_VTPMs``"""
        return cast('list[str]', await self._call('VM.get_VTPMs', self_))

    async def get_PV_bootloader(self, self_: VMRef) -> str:
        """``VM.get_PV_bootloader``"""
        return cast('str', await self._call('VM.get_PV_bootloader', self_))

    async def set_PV_bootloader(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_bootloader``"""
        return cast('None', await self._call('VM.set_PV_bootloader', self_, value))

    async def get_PV_kernel(self, self_: VMRef) -> str:
        """``VM.get_PV_kernel``"""
        return cast('str', await self._call('VM.get_PV_kernel', self_))

    async def set_PV_kernel(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_kernel``"""
        return cast('None', await self._call('VM.set_PV_kernel', self_, value))

    async def get_PV_ramdisk(self, self_: VMRef) -> str:
        """``VM.get_PV_ramdisk``"""
        return cast('str', await self._call('VM.get_PV_ramdisk', self_))

    async def set_PV_ramdisk(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_ramdisk``"""
        return cast('None', await self._call('VM.set_PV_ramdisk', self_, value))

    async def get_PV_args(self, self_: VMRef) -> str:
        """``VM.get_PV_args``"""
        return cast('str', await self._call('VM.get_PV_args', self_))

    async def set_PV_args(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_args``"""
        return cast('None', await self._call('VM.set_PV_args', self_, value))

    async def get_PV_bootloader_args(self, self_: VMRef) -> str:
        """``VM.get_PV_bootloader_args``"""
        return cast('str', await self._call('VM.get_PV_bootloader_args', self_))

    async def set_PV_bootloader_args(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_bootloader_args``"""
        return cast('None', await self._call('VM.set_PV_bootloader_args', self_, value))

    async def get_PV_legacy_args(self, self_: VMRef) -> str:
        """``VM.get_PV_legacy_args``"""
        return cast('str', await self._call('VM.get_PV_legacy_args', self_))

    async def set_PV_legacy_args(self, self_: VMRef, value: str) -> None:
        """``VM.set_PV_legacy_args``"""
        return cast('None', await self._call('VM.set_PV_legacy_args', self_, value))

    async def get_HVM_boot_policy(self, self_: VMRef) -> str:
        """``VM.get_HVM_boot_policy``"""
        return cast('str', await self._call('VM.get_HVM_boot_policy', self_))

    async def get_HVM_boot_params(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_HVM_boot_params``"""
        return cast('dict[str, str]', await self._call('VM.get_HVM_boot_params', self_))

    async def set_HVM_boot_params(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_HVM_boot_params``"""
        return cast('None', await self._call('VM.set_HVM_boot_params', self_, value))

    async def add_to_HVM_boot_params(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_HVM_boot_params``"""
        return cast('None', await self._call('VM.add_to_HVM_boot_params', self_, key, value))

    async def remove_from_HVM_boot_params(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_HVM_boot_params``"""
        return cast('None', await self._call('VM.remove_from_HVM_boot_params', self_, key))

    async def get_HVM_shadow_multiplier(self, self_: VMRef) -> float:
        """``VM.get_HVM_shadow_multiplier``"""
        return cast('float', await self._call('VM.get_HVM_shadow_multiplier', self_))

    async def get_platform(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_platform``"""
        return cast('dict[str, str]', await self._call('VM.get_platform', self_))

    async def set_platform(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_platform``"""
        return cast('None', await self._call('VM.set_platform', self_, value))

    async def add_to_platform(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_platform``"""
        return cast('None', await self._call('VM.add_to_platform', self_, key, value))

    async def remove_from_platform(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_platform``"""
        return cast('None', await self._call('VM.remove_from_platform', self_, key))

    async def get_PCI_bus(self, self_: VMRef) -> str:
        """``VM.get_PCI_bus``"""
        return cast('str', await self._call('VM.get_PCI_bus', self_))

    async def set_PCI_bus(self, self_: VMRef, value: str) -> None:
        """``VM.set_PCI_bus``"""
        return cast('None', await self._call('VM.set_PCI_bus', self_, value))

    async def get_other_config(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_other_config``"""
        return cast('dict[str, str]', await self._call('VM.get_other_config', self_))

    async def set_other_config(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_other_config``"""
        return cast('None', await self._call('VM.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_other_config``"""
        return cast('None', await self._call('VM.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_other_config``"""
        return cast('None', await self._call('VM.remove_from_other_config', self_, key))

    async def get_domid(self, self_: VMRef) -> int:
        """``VM.get_domid``"""
        return cast('int', await self._call('VM.get_domid', self_))

    async def get_domarch(self, self_: VMRef) -> str:
        """``VM.get_domarch``"""
        return cast('str', await self._call('VM.get_domarch', self_))

    async def get_last_boot_CPU_flags(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_last_boot_CPU_flags``"""
        return cast('dict[str, str]', await self._call('VM.get_last_boot_CPU_flags', self_))

    async def get_is_control_domain(self, self_: VMRef) -> bool:
        """``VM.get_is_control_domain``"""
        return cast('bool', await self._call('VM.get_is_control_domain', self_))

    async def get_metrics(self, self_: VMRef) -> VMMetricsRef:
        """``VM.get_metrics``"""
        return cast('VMMetricsRef', await self._call('VM.get_metrics', self_))

    async def get_guest_metrics(self, self_: VMRef) -> VMGuestMetricsRef:
        """``VM.get_guest_metrics``"""
        return cast('VMGuestMetricsRef', await self._call('VM.get_guest_metrics', self_))

    async def get_last_booted_record(self, self_: VMRef) -> str:
        """``VM.get_last_booted_record``"""
        return cast('str', await self._call('VM.get_last_booted_record', self_))

    async def get_recommendations(self, self_: VMRef) -> str:
        """``VM.get_recommendations``"""
        return cast('str', await self._call('VM.get_recommendations', self_))

    async def set_recommendations(self, self_: VMRef, value: str) -> None:
        """``VM.set_recommendations``"""
        return cast('None', await self._call('VM.set_recommendations', self_, value))

    async def get_xenstore_data(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_xenstore_data``"""
        return cast('dict[str, str]', await self._call('VM.get_xenstore_data', self_))

    async def set_xenstore_data(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_xenstore_data``"""
        return cast('None', await self._call('VM.set_xenstore_data', self_, value))

    async def add_to_xenstore_data(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_xenstore_data``"""
        return cast('None', await self._call('VM.add_to_xenstore_data', self_, key, value))

    async def remove_from_xenstore_data(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_xenstore_data``"""
        return cast('None', await self._call('VM.remove_from_xenstore_data', self_, key))

    async def get_ha_always_run(self, self_: VMRef) -> bool:
        """``VM.get_ha_always_run``"""
        return cast('bool', await self._call('VM.get_ha_always_run', self_))

    async def get_ha_restart_priority(self, self_: VMRef) -> str:
        """``VM.get_ha_restart_priority``"""
        return cast('str', await self._call('VM.get_ha_restart_priority', self_))

    async def get_is_a_snapshot(self, self_: VMRef) -> bool:
        """``VM.get_is_a_snapshot``"""
        return cast('bool', await self._call('VM.get_is_a_snapshot', self_))

    async def get_snapshot_of(self, self_: VMRef) -> VMRef:
        """``VM.get_snapshot_of``"""
        return cast('VMRef', await self._call('VM.get_snapshot_of', self_))

    async def get_snapshots(self, self_: VMRef) -> list[VMRef]:
        """``VM.get_snapshots``"""
        return cast('list[VMRef]', await self._call('VM.get_snapshots', self_))

    async def get_snapshot_time(self, self_: VMRef) -> str:
        """``VM.get_snapshot_time``"""
        return cast('str', await self._call('VM.get_snapshot_time', self_))

    async def get_transportable_snapshot_id(self, self_: VMRef) -> str:
        """``VM.get_transportable_snapshot_id``"""
        return cast('str', await self._call('VM.get_transportable_snapshot_id', self_))

    async def get_blobs(self, self_: VMRef) -> dict[str, BlobRef]:
        """``VM.get_blobs``"""
        return cast('dict[str, BlobRef]', await self._call('VM.get_blobs', self_))

    async def get_tags(self, self_: VMRef) -> list[str]:
        """``VM.get_tags``"""
        return cast('list[str]', await self._call('VM.get_tags', self_))

    async def set_tags(self, self_: VMRef, value: list[str]) -> None:
        """``VM.set_tags``"""
        return cast('None', await self._call('VM.set_tags', self_, value))

    async def add_tags(self, self_: VMRef, value: str) -> None:
        """``VM.add_tags``"""
        return cast('None', await self._call('VM.add_tags', self_, value))

    async def remove_tags(self, self_: VMRef, value: str) -> None:
        """``VM.remove_tags``"""
        return cast('None', await self._call('VM.remove_tags', self_, value))

    async def get_blocked_operations(self, self_: VMRef) -> dict[VmOperations, str]:
        """``VM.get_blocked_operations``"""
        return cast('dict[VmOperations, str]', await self._call('VM.get_blocked_operations', self_))

    async def set_blocked_operations(self, self_: VMRef, value: dict[VmOperations, str]) -> None:
        """``VM.set_blocked_operations``"""
        return cast('None', await self._call('VM.set_blocked_operations', self_, value))

    async def add_to_blocked_operations(self, self_: VMRef, key: VmOperations, value: str) -> None:
        """``VM.add_to_blocked_operations``"""
        return cast('None', await self._call('VM.add_to_blocked_operations', self_, key, value))

    async def remove_from_blocked_operations(self, self_: VMRef, key: VmOperations) -> None:
        """``VM.remove_from_blocked_operations``"""
        return cast('None', await self._call('VM.remove_from_blocked_operations', self_, key))

    async def get_snapshot_info(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_snapshot_info``"""
        return cast('dict[str, str]', await self._call('VM.get_snapshot_info', self_))

    async def get_snapshot_metadata(self, self_: VMRef) -> str:
        """``VM.get_snapshot_metadata``"""
        return cast('str', await self._call('VM.get_snapshot_metadata', self_))

    async def get_parent(self, self_: VMRef) -> VMRef:
        """``VM.get_parent``"""
        return cast('VMRef', await self._call('VM.get_parent', self_))

    async def get_children(self, self_: VMRef) -> list[VMRef]:
        """``VM.get_children``"""
        return cast('list[VMRef]', await self._call('VM.get_children', self_))

    async def get_bios_strings(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_bios_strings``"""
        return cast('dict[str, str]', await self._call('VM.get_bios_strings', self_))

    async def get_protection_policy(self, self_: VMRef) -> str:
        """``VM.get_protection_policy``"""
        return cast('str', await self._call('VM.get_protection_policy', self_))

    async def get_is_snapshot_from_vmpp(self, self_: VMRef) -> bool:
        """``VM.get_is_snapshot_from_vmpp``"""
        return cast('bool', await self._call('VM.get_is_snapshot_from_vmpp', self_))

    async def get_snapshot_schedule(self, self_: VMRef) -> str:
        """``VM.get_snapshot_schedule``"""
        return cast('str', await self._call('VM.get_snapshot_schedule', self_))

    async def get_is_vmss_snapshot(self, self_: VMRef) -> bool:
        """``VM.get_is_vmss_snapshot``"""
        return cast('bool', await self._call('VM.get_is_vmss_snapshot', self_))

    async def get_appliance(self, self_: VMRef) -> str:
        """``VM.get_appliance``"""
        return cast('str', await self._call('VM.get_appliance', self_))

    async def get_start_delay(self, self_: VMRef) -> int:
        """``VM.get_start_delay``"""
        return cast('int', await self._call('VM.get_start_delay', self_))

    async def get_shutdown_delay(self, self_: VMRef) -> int:
        """``VM.get_shutdown_delay``"""
        return cast('int', await self._call('VM.get_shutdown_delay', self_))

    async def get_order(self, self_: VMRef) -> int:
        """``VM.get_order``"""
        return cast('int', await self._call('VM.get_order', self_))

    async def get_VGPUs(self, self_: VMRef) -> list[str]:
        """``VM.get_VGPUs``"""
        return cast('list[str]', await self._call('VM.get_VGPUs', self_))

    async def get_attached_PCIs(self, self_: VMRef) -> list[str]:
        """``VM.get_attached_PCIs``"""
        return cast('list[str]', await self._call('VM.get_attached_PCIs', self_))

    async def get_suspend_SR(self, self_: VMRef) -> SRRef:
        """``VM.get_suspend_SR``"""
        return cast('SRRef', await self._call('VM.get_suspend_SR', self_))

    async def set_suspend_SR(self, self_: VMRef, value: SRRef) -> None:
        """``VM.set_suspend_SR``"""
        return cast('None', await self._call('VM.set_suspend_SR', self_, value))

    async def get_version(self, self_: VMRef) -> int:
        """``VM.get_version``"""
        return cast('int', await self._call('VM.get_version', self_))

    async def get_generation_id(self, self_: VMRef) -> str:
        """``VM.get_generation_id``"""
        return cast('str', await self._call('VM.get_generation_id', self_))

    async def get_hardware_platform_version(self, self_: VMRef) -> int:
        """``VM.get_hardware_platform_version``"""
        return cast('int', await self._call('VM.get_hardware_platform_version', self_))

    async def set_hardware_platform_version(self, self_: VMRef, value: int) -> None:
        """``VM.set_hardware_platform_version``"""
        return cast('None', await self._call('VM.set_hardware_platform_version', self_, value))

    async def get_has_vendor_device(self, self_: VMRef) -> bool:
        """``VM.get_has_vendor_device``"""
        return cast('bool', await self._call('VM.get_has_vendor_device', self_))

    async def get_requires_reboot(self, self_: VMRef) -> bool:
        """``VM.get_requires_reboot``"""
        return cast('bool', await self._call('VM.get_requires_reboot', self_))

    async def get_reference_label(self, self_: VMRef) -> str:
        """``VM.get_reference_label``"""
        return cast('str', await self._call('VM.get_reference_label', self_))

    async def get_domain_type(self, self_: VMRef) -> DomainType:
        """``VM.get_domain_type``"""
        return cast('DomainType', await self._call('VM.get_domain_type', self_))

    async def get_NVRAM(self, self_: VMRef) -> dict[str, str]:
        """``VM.get_NVRAM``"""
        return cast('dict[str, str]', await self._call('VM.get_NVRAM', self_))

    async def get_pending_guidances(self, self_: VMRef) -> list[UpdateGuidances]:
        """``VM.get_pending_guidances``"""
        return cast('list[UpdateGuidances]', await self._call('VM.get_pending_guidances', self_))

    async def get_pending_guidances_recommended(self, self_: VMRef) -> list[UpdateGuidances]:
        """``VM.get_pending_guidances_recommended``"""
        return cast('list[UpdateGuidances]', await self._call('VM.get_pending_guidances_recommended', self_))

    async def get_pending_guidances_full(self, self_: VMRef) -> list[UpdateGuidances]:
        """``VM.get_pending_guidances_full``"""
        return cast('list[UpdateGuidances]', await self._call('VM.get_pending_guidances_full', self_))

    async def create_new_blob(self, vm: VMRef, name: str, mime_type: str, public: bool) -> BlobRef:
        """Create a placeholder for a named binary blob of data that is associated with this VM"""
        return cast('BlobRef', await self._call('VM.create_new_blob', vm, name, mime_type, public))

    async def set_memory_limits(self, self_: VMRef, static_min: int, static_max: int, dynamic_min: int, dynamic_max: int) -> None:
        """Set the memory limits of this VM."""
        return cast('None', await self._call('VM.set_memory_limits', self_, static_min, static_max, dynamic_min, dynamic_max))

    async def set_memory(self, self_: VMRef, value: int) -> None:
        """Set the memory allocation of this VM. Sets all of memory_static_max, memory_dynamic_min, and memory_dynamic_max to the given value, and leaves memory_static_min untouched."""
        return cast('None', await self._call('VM.set_memory', self_, value))

    async def set_memory_static_range(self, self_: VMRef, min: int, max: int) -> None:
        """Set the static (ie boot-time) range of virtual memory that the VM is allowed to use."""
        return cast('None', await self._call('VM.set_memory_static_range', self_, min, max))

    async def set_memory_dynamic_range(self, self_: VMRef, min: int, max: int) -> None:
        """Set the minimum and maximum amounts of physical memory the VM is allowed to use."""
        return cast('None', await self._call('VM.set_memory_dynamic_range', self_, min, max))

    async def set_memory_static_max(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_static_max field"""
        return cast('None', await self._call('VM.set_memory_static_max', self_, value))

    async def set_memory_static_min(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_static_min field"""
        return cast('None', await self._call('VM.set_memory_static_min', self_, value))

    async def set_memory_dynamic_max(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_dynamic_max field"""
        return cast('None', await self._call('VM.set_memory_dynamic_max', self_, value))

    async def set_memory_dynamic_min(self, self_: VMRef, value: int) -> None:
        """Set the value of the memory_dynamic_min field"""
        return cast('None', await self._call('VM.set_memory_dynamic_min', self_, value))

    async def set_VCPUs_max(self, self_: VMRef, value: int) -> None:
        """Set the maximum number of VCPUs for a halted VM"""
        return cast('None', await self._call('VM.set_VCPUs_max', self_, value))

    async def set_VCPUs_at_startup(self, self_: VMRef, value: int) -> None:
        """Set the number of startup VCPUs for a halted VM"""
        return cast('None', await self._call('VM.set_VCPUs_at_startup', self_, value))

    async def set_actions_after_crash(self, self_: VMRef, value: OnCrashBehaviour) -> None:
        """Sets the actions_after_crash parameter"""
        return cast('None', await self._call('VM.set_actions_after_crash', self_, value))

    async def start(self, vm: VMRef, start_paused: bool, force: bool) -> None:
        """Start the specified VM. This function can only be called with the VM is in the Halted State."""
        return cast('None', await self._call('VM.start', vm, start_paused, force))

    async def start_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> None:
        """Start the specified VM on a particular host. This function can only be called with the VM is in the Halted State."""
        return cast('None', await self._call('VM.start_on', vm, host, start_paused, force))

    async def pause(self, vm: VMRef) -> None:
        """Pause the specified VM. This can only be called when the specified VM is in the Running state."""
        return cast('None', await self._call('VM.pause', vm))

    async def unpause(self, vm: VMRef) -> None:
        """Resume the specified VM. This can only be called when the specified VM is in the Paused state."""
        return cast('None', await self._call('VM.unpause', vm))

    async def clean_shutdown(self, vm: VMRef) -> None:
        """Attempt to cleanly shutdown the specified VM. (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return cast('None', await self._call('VM.clean_shutdown', vm))

    async def hard_shutdown(self, vm: VMRef) -> None:
        """Stop executing the specified VM without attempting a clean shutdown."""
        return cast('None', await self._call('VM.hard_shutdown', vm))

    async def shutdown(self, vm: VMRef) -> None:
        """Attempts to first clean shutdown a VM and if it should fail then perform a hard shutdown on it."""
        return cast('None', await self._call('VM.shutdown', vm))

    async def clean_reboot(self, vm: VMRef) -> None:
        """Attempt to cleanly shutdown the specified VM (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return cast('None', await self._call('VM.clean_reboot', vm))

    async def hard_reboot(self, vm: VMRef) -> None:
        """Stop executing the specified VM without attempting a clean shutdown and immediately restart the VM."""
        return cast('None', await self._call('VM.hard_reboot', vm))

    async def suspend(self, vm: VMRef) -> None:
        """Suspend the specified VM to disk. This can only be called when the specified VM is in the Running state."""
        return cast('None', await self._call('VM.suspend', vm))

    async def resume(self, vm: VMRef, start_paused: bool, force: bool) -> None:
        """Awaken the specified VM and resume it. This can only be called when the specified VM is in the Suspended state."""
        return cast('None', await self._call('VM.resume', vm, start_paused, force))

    async def resume_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> None:
        """Awaken the specified VM and resume it on a particular Host. This can only be called when the specified VM is in the Suspended state."""
        return cast('None', await self._call('VM.resume_on', vm, host, start_paused, force))

    async def provision(self, vm: VMRef) -> None:
        """Inspects the disk configuration contained within the VM's other_config, creates VDIs and VBDs and then executes any applicable post-install script."""
        return cast('None', await self._call('VM.provision', vm))

    async def copy(self, vm: VMRef, new_name: str, sr: SRRef) -> VMRef:
        """Copied the specified VM, making a new VM. Unlike clone, copy does not exploits the capabilities of the underlying storage repository in which the VM's disk images are stored. Instead, copy guarantees that the disk images of the newly created VM will be 'full disks' - i.e. not part of a CoW chain. This function can only be called when the VM is in the Halted State."""
        return cast('VMRef', await self._call('VM.copy', vm, new_name, sr))

    async def snapshot(self, vm: VMRef, new_name: str, ignore_vdis: list[VDIRef] = []) -> VMRef:
        """Snapshots the specified VM, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return cast('VMRef', await self._call('VM.snapshot', vm, new_name, ignore_vdis))

    async def revert(self, snapshot: VMRef) -> None:
        """Reverts the specified VM to a previous state."""
        return cast('None', await self._call('VM.revert', snapshot))

    async def power_state_reset(self, vm: VMRef) -> None:
        """Reset the power-state of the VM to halted in the database only. (Used to recover from slave failures in pooling scenarios by resetting the power-states of VMs running on dead slaves to halted.) This is a potentially dangerous operation; use with care."""
        return cast('None', await self._call('VM.power_state_reset', vm))

    async def clone(self, vm: VMRef, new_name: str) -> VMRef:
        """Clones the specified VM, making a new VM. Clone automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write). This function can only be called when the VM is in the Halted State."""
        return cast('VMRef', await self._call('VM.clone', vm, new_name))

    async def get_allowed_VBD_devices(self, vm: VMRef) -> list[str]:
        """Returns a list of the allowed values that a VBD device field can take"""
        return cast('list[str]', await self._call('VM.get_allowed_VBD_devices', vm))

    async def get_allowed_VIF_devices(self, vm: VMRef) -> list[str]:
        """Returns a list of the allowed values that a VIF device field can take"""
        return cast('list[str]', await self._call('VM.get_allowed_VIF_devices', vm))

    async def get_boot_record(self, self_: VMRef) -> VMRecord:
        """Returns a record describing the VM's dynamic state, initialised when the VM boots and updated to reflect runtime configuration changes e.g. CPU hotplug"""
        return cast('VMRecord', await self._call('VM.get_boot_record', self_))

    async def assert_operation_valid(self, self_: VMRef, op: VmOperations) -> None:
        """Check to see whether this operation is acceptable in the current state of the system, raising an error if the operation is invalid for some reason"""
        return cast('None', await self._call('VM.assert_operation_valid', self_, op))

    async def update_allowed_operations(self, self_: VMRef) -> None:
        """Recomputes the list of acceptable operations"""
        return cast('None', await self._call('VM.update_allowed_operations', self_))

    async def assert_can_boot_here(self, self_: VMRef, host: HostRef) -> None:
        """Returns an error if the VM could not boot on this host for some reason"""
        return cast('None', await self._call('VM.assert_can_boot_here', self_, host))

    async def get_possible_hosts(self, vm: VMRef) -> list[HostRef]:
        """Return the list of hosts on which this VM may run."""
        return cast('list[HostRef]', await self._call('VM.get_possible_hosts', vm))

    async def get_cooperative(self, self_: VMRef) -> bool:
        """Return true if the VM is currently 'co-operative' i.e. is expected to reach a balloon target and actually has done"""
        return cast('bool', await self._call('VM.get_cooperative', self_))

    async def set_HVM_boot_policy(self, self_: VMRef, value: str) -> None:
        """Set the VM.HVM_boot_policy field of the given VM, which will take effect when it is next started"""
        return cast('None', await self._call('VM.set_HVM_boot_policy', self_, value))

    async def set_domain_type(self, self_: VMRef, value: DomainType) -> None:
        """Set the VM.domain_type field of the given VM, which will take effect when it is next started"""
        return cast('None', await self._call('VM.set_domain_type', self_, value))

    async def set_start_delay(self, self_: VMRef, value: int) -> None:
        """Set this VM's start delay in seconds"""
        return cast('None', await self._call('VM.set_start_delay', self_, value))

    async def set_shutdown_delay(self, self_: VMRef, value: int) -> None:
        """Set this VM's shutdown delay in seconds"""
        return cast('None', await self._call('VM.set_shutdown_delay', self_, value))

    async def set_ha_restart_priority(self, self_: VMRef, value: str) -> None:
        """Set the value of the ha_restart_priority field"""
        return cast('None', await self._call('VM.set_ha_restart_priority', self_, value))

    async def set_order(self, self_: VMRef, value: int) -> None:
        """Set this VM's boot order"""
        return cast('None', await self._call('VM.set_order', self_, value))

    async def set_NVRAM(self, self_: VMRef, value: dict[str, str]) -> None:
        """``VM.set_NVRAM``"""
        return cast('None', await self._call('VM.set_NVRAM', self_, value))

    async def add_to_NVRAM(self, self_: VMRef, key: str, value: str) -> None:
        """``VM.add_to_NVRAM``"""
        return cast('None', await self._call('VM.add_to_NVRAM', self_, key, value))

    async def remove_from_NVRAM(self, self_: VMRef, key: str) -> None:
        """``VM.remove_from_NVRAM``"""
        return cast('None', await self._call('VM.remove_from_NVRAM', self_, key))

    async def set_bios_strings(self, self_: VMRef, value: dict[str, str]) -> None:
        """Set custom BIOS strings to this VM. VM will be given a default set of BIOS strings, only some of which can be overridden by the supplied values. Allowed keys are: 'bios-vendor', 'bios-version', 'system-manufacturer', 'system-product-name', 'system-version', 'system-serial-number', 'enclosure-asset-tag', 'baseboard-manufacturer', 'baseboard-product-name', 'baseboard-version', 'baseboard-serial-number', 'baseboard-asset-tag', 'baseboard-location-in-chassis', 'enclosure-asset-tag'"""
        return cast('None', await self._call('VM.set_bios_strings', self_, value))

    async def copy_bios_strings(self, vm: VMRef, host: HostRef) -> None:
        """Copy the BIOS strings from the given host to this VM"""
        return cast('None', await self._call('VM.copy_bios_strings', vm, host))

    async def set_has_vendor_device(self, self_: VMRef, value: bool) -> None:
        """Controls whether, when the VM starts in HVM mode, its virtual hardware will include the emulated PCI device for which drivers may be available through Windows Update. Usually this should never be changed on a VM on which Windows has been installed: changing it on such a VM is likely to lead to a crash on next start."""
        return cast('None', await self._call('VM.set_has_vendor_device', self_, value))

    async def set_HVM_shadow_multiplier(self, self_: VMRef, value: float) -> None:
        """Set the shadow memory multiplier on a halted VM"""
        return cast('None', await self._call('VM.set_HVM_shadow_multiplier', self_, value))

    async def set_suspend_VDI(self, self_: VMRef, value: VDIRef) -> None:
        """Set this VM's suspend VDI, which must be indentical to its current one"""
        return cast('None', await self._call('VM.set_suspend_VDI', self_, value))

    async def set_memory_target_live(self, self_: VMRef, target: int) -> None:
        """Set the memory target for a running VM"""
        return cast('None', await self._call('VM.set_memory_target_live', self_, target))

    async def set_protection_policy(self, self_: VMRef, value: str) -> None:
        """Set the value of the protection_policy field"""
        return cast('None', await self._call('VM.set_protection_policy', self_, value))

    async def send_sysrq(self, vm: VMRef, key: str) -> None:
        """Send the given key as a sysrq to this VM. The key is specified as a single character (a String of length 1). This can only be called when the specified VM is in the Running state."""
        return cast('None', await self._call('VM.send_sysrq', vm, key))

    async def send_trigger(self, vm: VMRef, trigger: str) -> None:
        """Send the named trigger to this VM. This can only be called when the specified VM is in the Running state."""
        return cast('None', await self._call('VM.send_trigger', vm, trigger))

    async def add_to_VCPUs_params_live(self, self_: VMRef, key: str, value: str) -> None:
        """Add the given key-value pair to VM.VCPUs_params, and apply that value on the running VM"""
        return cast('None', await self._call('VM.add_to_VCPUs_params_live', self_, key, value))

    async def query_services(self, self_: VMRef) -> dict[str, str]:
        """Query the system services advertised by this VM and register them. This can only be applied to a system domain."""
        return cast('dict[str, str]', await self._call('VM.query_services', self_))

    async def set_VCPUs_number_live(self, self_: VMRef, nvcpu: int) -> None:
        """Set the number of VCPUs for a running VM"""
        return cast('None', await self._call('VM.set_VCPUs_number_live', self_, nvcpu))

    async def assert_agile(self, self_: VMRef) -> None:
        """Returns an error if the VM is not considered agile e.g. because it is tied to a resource local to a host"""
        return cast('None', await self._call('VM.assert_agile', self_))

    async def compute_memory_overhead(self, vm: VMRef) -> int:
        """Computes the virtualization memory overhead of a VM."""
        return cast('int', await self._call('VM.compute_memory_overhead', vm))

    async def maximise_memory(self, self_: VMRef, total: int, approximate: bool) -> int:
        """Returns the maximum amount of guest memory which will fit, together with overheads, in the supplied amount of physical memory. If 'exact' is true then an exact calculation is performed using the VM's current settings. If 'exact' is false then a more conservative approximation is used"""
        return cast('int', await self._call('VM.maximise_memory', self_, total, approximate))

    async def checkpoint(self, vm: VMRef, new_name: str) -> VMRef:
        """Checkpoints the specified VM, making a new VM. Checkpoint automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write) and saves the memory image as well."""
        return cast('VMRef', await self._call('VM.checkpoint', vm, new_name))

    async def wait_memory_target_live(self, self_: VMRef) -> None:
        """Wait for a running VM to reach its current memory target"""
        return cast('None', await self._call('VM.wait_memory_target_live', self_))

    async def snapshot_with_quiesce(self, vm: VMRef, new_name: str) -> VMRef:
        """Snapshots the specified VM with quiesce, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return cast('VMRef', await self._call('VM.snapshot_with_quiesce', vm, new_name))

    async def get_data_sources(self, self_: VMRef) -> list[DataSourceRecord]:
        """``VM.get_data_sources``"""
        return cast('list[DataSourceRecord]', await self._call('VM.get_data_sources', self_))

    async def record_data_source(self, self_: VMRef, data_source: str) -> None:
        """Start recording the specified data source"""
        return cast('None', await self._call('VM.record_data_source', self_, data_source))

    async def query_data_source(self, self_: VMRef, data_source: str) -> float:
        """Query the latest value of the specified data source"""
        return cast('float', await self._call('VM.query_data_source', self_, data_source))

    async def pool_migrate(self, vm: VMRef, host: HostRef, options: dict[str, str]) -> None:
        """Migrate a VM to another Host."""
        return cast('None', await self._call('VM.pool_migrate', vm, host, options))

    async def migrate_send(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> VMRef:
        """Migrate the VM to another host.  This can only be called when the specified VM is in the Running state."""
        return cast('VMRef', await self._call('VM.migrate_send', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

    async def assert_can_migrate(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> None:
        """Assert whether a VM can be migrated to the specified destination."""
        return cast('None', await self._call('VM.assert_can_migrate', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

    async def forget_data_source_archives(self, self_: VMRef, data_source: str) -> None:
        """Forget the recorded statistics related to the specified data source"""
        return cast('None', await self._call('VM.forget_data_source_archives', self_, data_source))

class VMGuestMetricsAsyncApi:
    """The messages of ``VM_guest_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VMGuestMetricsRef) -> VMGuestMetricsRecord:
        """``VM_guest_metrics.get_record``"""
        return cast('VMGuestMetricsRecord', await self._call('VM_guest_metrics.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VMGuestMetricsRef:
        """``VM_guest_metrics.get_by_uuid``"""
        return cast('VMGuestMetricsRef', await self._call('VM_guest_metrics.get_by_uuid', uuid))

    async def get_all(self) -> list[VMGuestMetricsRef]:
        """``VM_guest_metrics.get_all``"""
        return cast('list[VMGuestMetricsRef]', await self._call('VM_guest_metrics.get_all'))

    async def get_all_records(self) -> dict[VMGuestMetricsRef, VMGuestMetricsRecord]:
        """``VM_guest_metrics.get_all_records``"""
        return cast('dict[VMGuestMetricsRef, VMGuestMetricsRecord]', await self._call('VM_guest_metrics.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VMGuestMetricsRef, VMGuestMetricsRecord]:
        """``VM_guest_metrics.get_all_records_where``"""
        return cast('dict[VMGuestMetricsRef, VMGuestMetricsRecord]', await self._call('VM_guest_metrics.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VMGuestMetricsRef]:
        """``VM_guest_metrics.get_all_where``"""
        return cast('list[VMGuestMetricsRef]', await self._call('VM_guest_metrics.get_all_where', expr))

    async def get_uuid(self, self_: VMGuestMetricsRef) -> str:
        """``VM_guest_metrics.get_uuid``"""
        return cast('str', await self._call('VM_guest_metrics.get_uuid', self_))

    async def get_os_version(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_os_version``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_os_version', self_))

    async def get_PV_drivers_version(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_PV_drivers_version``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_PV_drivers_version', self_))

    async def get_PV_drivers_up_to_date(self, self_: VMGuestMetricsRef) -> bool:
        """``VM_guest_metrics.get_PV_drivers_up_to_date``"""
        return cast('bool', await self._call('VM_guest_metrics.get_PV_drivers_up_to_date', self_))

    async def get_memory(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_memory``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_memory', self_))

    async def get_disks(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_disks``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_disks', self_))

    async def get_networks(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_networks``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_networks', self_))

    async def get_other(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_other``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_other', self_))

    async def get_last_updated(self, self_: VMGuestMetricsRef) -> str:
        """``VM_guest_metrics.get_last_updated``"""
        return cast('str', await self._call('VM_guest_metrics.get_last_updated', self_))

    async def get_other_config(self, self_: VMGuestMetricsRef) -> dict[str, str]:
        """``VM_guest_metrics.get_other_config``"""
        return cast('dict[str, str]', await self._call('VM_guest_metrics.get_other_config', self_))

    async def set_other_config(self, self_: VMGuestMetricsRef, value: dict[str, str]) -> None:
        """``VM_guest_metrics.set_other_config``"""
        return cast('None', await self._call('VM_guest_metrics.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VMGuestMetricsRef, key: str, value: str) -> None:
        """``VM_guest_metrics.add_to_other_config``"""
        return cast('None', await self._call('VM_guest_metrics.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VMGuestMetricsRef, key: str) -> None:
        """``VM_guest_metrics.remove_from_other_config``"""
        return cast('None', await self._call('VM_guest_metrics.remove_from_other_config', self_, key))

    async def get_live(self, self_: VMGuestMetricsRef) -> bool:
        """``VM_guest_metrics.get_live``"""
        return cast('bool', await self._call('VM_guest_metrics.get_live', self_))

    async def get_can_use_hotplug_vbd(self, self_: VMGuestMetricsRef) -> TristateType:
        """``VM_guest_metrics.get_can_use_hotplug_vbd``"""
        return cast('TristateType', await self._call('VM_guest_metrics.get_can_use_hotplug_vbd', self_))

    async def get_can_use_hotplug_vif(self, self_: VMGuestMetricsRef) -> TristateType:
        """``VM_guest_metrics.get_can_use_hotplug_vif``"""
        return cast('TristateType', await self._call('VM_guest_metrics.get_can_use_hotplug_vif', self_))

    async def get_PV_drivers_detected(self, self_: VMGuestMetricsRef) -> bool:
        """``VM_guest_metrics.get_PV_drivers_detected``"""
        return cast('bool', await self._call('VM_guest_metrics.get_PV_drivers_detected', self_))

class VMMetricsAsyncApi:
    """The messages of ``VM_metrics``."""

    __slots__ = ("_call",)

    def __init__(self, call: AsyncCaller) -> None:
        self._call = call

    async def get_record(self, self_: VMMetricsRef) -> VMMetricsRecord:
        """``VM_metrics.get_record``"""
        return cast('VMMetricsRecord', await self._call('VM_metrics.get_record', self_))

    async def get_by_uuid(self, uuid: str) -> VMMetricsRef:
        """``VM_metrics.get_by_uuid``"""
        return cast('VMMetricsRef', await self._call('VM_metrics.get_by_uuid', uuid))

    async def get_all(self) -> list[VMMetricsRef]:
        """``VM_metrics.get_all``"""
        return cast('list[VMMetricsRef]', await self._call('VM_metrics.get_all'))

    async def get_all_records(self) -> dict[VMMetricsRef, VMMetricsRecord]:
        """``VM_metrics.get_all_records``"""
        return cast('dict[VMMetricsRef, VMMetricsRecord]', await self._call('VM_metrics.get_all_records'))

    async def get_all_records_where(self, expr: str) -> dict[VMMetricsRef, VMMetricsRecord]:
        """``VM_metrics.get_all_records_where``"""
        return cast('dict[VMMetricsRef, VMMetricsRecord]', await self._call('VM_metrics.get_all_records_where', expr))

    async def get_all_where(self, expr: str) -> list[VMMetricsRef]:
        """``VM_metrics.get_all_where``"""
        return cast('list[VMMetricsRef]', await self._call('VM_metrics.get_all_where', expr))

    async def get_uuid(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_uuid``"""
        return cast('str', await self._call('VM_metrics.get_uuid', self_))

    async def get_memory_actual(self, self_: VMMetricsRef) -> int:
        """``VM_metrics.get_memory_actual``"""
        return cast('int', await self._call('VM_metrics.get_memory_actual', self_))

    async def get_VCPUs_number(self, self_: VMMetricsRef) -> int:
        """``VM_metrics.get_VCPUs_number``"""
        return cast('int', await self._call('VM_metrics.get_VCPUs_number', self_))

    async def get_VCPUs_utilisation(self, self_: VMMetricsRef) -> dict[int, float]:
        """``VM_metrics.get_VCPUs_utilisation``"""
        return cast('dict[int, float]', await self._call('VM_metrics.get_VCPUs_utilisation', self_))

    async def get_VCPUs_CPU(self, self_: VMMetricsRef) -> dict[int, int]:
        """``VM_metrics.get_VCPUs_CPU``"""
        return cast('dict[int, int]', await self._call('VM_metrics.get_VCPUs_CPU', self_))

    async def get_VCPUs_params(self, self_: VMMetricsRef) -> dict[str, str]:
        """``VM_metrics.get_VCPUs_params``"""
        return cast('dict[str, str]', await self._call('VM_metrics.get_VCPUs_params', self_))

    async def get_VCPUs_flags(self, self_: VMMetricsRef) -> dict[int, list[str]]:
        """``VM_metrics.get_VCPUs_flags``"""
        return cast('dict[int, list[str]]', await self._call('VM_metrics.get_VCPUs_flags', self_))

    async def get_state(self, self_: VMMetricsRef) -> list[str]:
        """``VM_metrics.get_state``"""
        return cast('list[str]', await self._call('VM_metrics.get_state', self_))

    async def get_start_time(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_start_time``"""
        return cast('str', await self._call('VM_metrics.get_start_time', self_))

    async def get_install_time(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_install_time``"""
        return cast('str', await self._call('VM_metrics.get_install_time', self_))

    async def get_last_updated(self, self_: VMMetricsRef) -> str:
        """``VM_metrics.get_last_updated``"""
        return cast('str', await self._call('VM_metrics.get_last_updated', self_))

    async def get_other_config(self, self_: VMMetricsRef) -> dict[str, str]:
        """``VM_metrics.get_other_config``"""
        return cast('dict[str, str]', await self._call('VM_metrics.get_other_config', self_))

    async def set_other_config(self, self_: VMMetricsRef, value: dict[str, str]) -> None:
        """``VM_metrics.set_other_config``"""
        return cast('None', await self._call('VM_metrics.set_other_config', self_, value))

    async def add_to_other_config(self, self_: VMMetricsRef, key: str, value: str) -> None:
        """``VM_metrics.add_to_other_config``"""
        return cast('None', await self._call('VM_metrics.add_to_other_config', self_, key, value))

    async def remove_from_other_config(self, self_: VMMetricsRef, key: str) -> None:
        """``VM_metrics.remove_from_other_config``"""
        return cast('None', await self._call('VM_metrics.remove_from_other_config', self_, key))

    async def get_hvm(self, self_: VMMetricsRef) -> bool:
        """``VM_metrics.get_hvm``"""
        return cast('bool', await self._call('VM_metrics.get_hvm', self_))

    async def get_nested_virt(self, self_: VMMetricsRef) -> bool:
        """``VM_metrics.get_nested_virt``"""
        return cast('bool', await self._call('VM_metrics.get_nested_virt', self_))

    async def get_nomigrate(self, self_: VMMetricsRef) -> bool:
        """``VM_metrics.get_nomigrate``"""
        return cast('bool', await self._call('VM_metrics.get_nomigrate', self_))

    async def get_current_domain_type(self, self_: VMMetricsRef) -> DomainType:
        """``VM_metrics.get_current_domain_type``"""
        return cast('DomainType', await self._call('VM_metrics.get_current_domain_type', self_))

class HostTasks:
    """The ``Async.host.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def create_new_blob(self, host: HostRef, name: str, mime_type: str, public: bool) -> Task[BlobRef]:
        """``Async.host.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this host"""
        return Task(self._session, self._session.call_with_session('Async.host.create_new_blob', host, name, mime_type, public))

    def migrate_receive(self, host: HostRef, network: NetworkRef, options: dict[str, str]) -> Task[dict[str, str]]:
        """``Async.host.migrate_receive``: Prepare to receive a VM, returning a token which can be passed to VM.migrate."""
        return Task(self._session, self._session.call_with_session('Async.host.migrate_receive', host, network, options))

    def get_vms_which_prevent_evacuation(self, self_: HostRef) -> Task[dict[VMRef, list[str]]]:
        """``Async.host.get_vms_which_prevent_evacuation``: Return a set of VMs which prevent the host being evacuated, with per-VM error codes"""
        return Task(self._session, self._session.call_with_session('Async.host.get_vms_which_prevent_evacuation', self_))

    def assert_can_evacuate(self, host: HostRef) -> Task[None]:
        """``Async.host.assert_can_evacuate``: Check this host can be evacuated."""
        return Task(self._session, self._session.call_with_session('Async.host.assert_can_evacuate', host))

    def evacuate(self, host: HostRef, network: NetworkRef, evacuate_batch_size: int) -> Task[None]:
        """``Async.host.evacuate``: Migrate all VMs off of this host, where possible."""
        return Task(self._session, self._session.call_with_session('Async.host.evacuate', host, network, evacuate_batch_size))

    def disable(self, host: HostRef) -> Task[None]:
        """``Async.host.disable``: Puts the host into a state in which no new VMs can be started. Currently active VMs on the host continue to execute."""
        return Task(self._session, self._session.call_with_session('Async.host.disable', host))

    def enable(self, host: HostRef) -> Task[None]:
        """``Async.host.enable``: Puts the host into a state in which new VMs can be started."""
        return Task(self._session, self._session.call_with_session('Async.host.enable', host))

    def get_management_interface(self, host: HostRef) -> Task[PIFRef]:
        """``Async.host.get_management_interface``: Returns the management interface for the specified host"""
        return Task(self._session, self._session.call_with_session('Async.host.get_management_interface', host))

    def get_uncooperative_resident_VMs(self, self_: HostRef) -> Task[list[VMRef]]:
        """``Async.host.get_uncooperative_resident_VMs``: Return a set of VMs which are not co-operating with the host's memory control system"""
        return Task(self._session, self._session.call_with_session('Async.host.get_uncooperative_resident_VMs', self_))

    def compute_free_memory(self, host: HostRef) -> Task[int]:
        """``Async.host.compute_free_memory``: Computes the amount of free memory on the host."""
        return Task(self._session, self._session.call_with_session('Async.host.compute_free_memory', host))

    def compute_memory_overhead(self, host: HostRef) -> Task[int]:
        """``Async.host.compute_memory_overhead``: Computes the virtualization memory overhead of a host."""
        return Task(self._session, self._session.call_with_session('Async.host.compute_memory_overhead', host))

    def has_extension(self, host: HostRef, name: str) -> Task[bool]:
        """``Async.host.has_extension``: Return true if the extension is available on the host"""
        return Task(self._session, self._session.call_with_session('Async.host.has_extension', host, name))

    def get_server_certificate(self, host: HostRef) -> Task[str]:
        """``Async.host.get_server_certificate``: Get the installed server public TLS certificate."""
        return Task(self._session, self._session.call_with_session('Async.host.get_server_certificate', host))

    def install_server_certificate(self, host: HostRef, certificate: str, private_key: str, certificate_chain: str) -> Task[None]:
        """``Async.host.install_server_certificate``: Install the TLS server certificate."""
        return Task(self._session, self._session.call_with_session('Async.host.install_server_certificate', host, certificate, private_key, certificate_chain))

    def reset_server_certificate(self, host: HostRef) -> Task[None]:
        """``Async.host.reset_server_certificate``: Delete the current TLS server certificate and replace by a new, self-signed one. This should only be used with extreme care."""
        return Task(self._session, self._session.call_with_session('Async.host.reset_server_certificate', host))

    def set_power_on_mode(self, self_: HostRef, power_on_mode: str, power_on_config: dict[str, str]) -> Task[None]:
        """``Async.host.set_power_on_mode``: Set the power-on-mode, host, user and password"""
        return Task(self._session, self._session.call_with_session('Async.host.set_power_on_mode', self_, power_on_mode, power_on_config))

    def call_plugin(self, host: HostRef, plugin: str, fn: str, args: dict[str, str]) -> Task[str]:
        """``Async.host.call_plugin``: Call an API plugin on this host"""
        return Task(self._session, self._session.call_with_session('Async.host.call_plugin', host, plugin, fn, args))

    def set_https_only(self, self_: HostRef, value: bool) -> Task[None]:
        """``Async.host.set_https_only``: updates the host firewall to open or close port 80 depending on the value"""
        return Task(self._session, self._session.call_with_session('Async.host.set_https_only', self_, value))

    def set_ssl_legacy(self, self_: HostRef, value: bool) -> Task[None]:
        """``Async.host.set_ssl_legacy``: Enable/disable SSLv3 for interoperability with older server versions. When this is set to a different value, the host immediately restarts its SSL/TLS listening service; typically this takes less than a second but existing connections to it will be broken. API login sessions will remain valid."""
        return Task(self._session, self._session.call_with_session('Async.host.set_ssl_legacy', self_, value))

    def set_sched_gran(self, self_: HostRef, value: HostSchedGran) -> Task[None]:
        """``Async.host.set_sched_gran``: Sets xen's sched-gran on a host. See: https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#sched-gran-x86"""
        return Task(self._session, self._session.call_with_session('Async.host.set_sched_gran', self_, value))

    def set_multipathing(self, host: HostRef, value: bool) -> Task[None]:
        """``Async.host.set_multipathing``: Specifies whether multipathing is enabled"""
        return Task(self._session, self._session.call_with_session('Async.host.set_multipathing', host, value))

    def get_log(self, host: HostRef) -> Task[str]:
        """``Async.host.get_log``: Get the host's log file"""
        return Task(self._session, self._session.call_with_session('Async.host.get_log', host))

    def dmesg_clear(self, host: HostRef) -> Task[str]:
        """``Async.host.dmesg_clear``: Get the host xen dmesg, and clear the buffer."""
        return Task(self._session, self._session.call_with_session('Async.host.dmesg_clear', host))

    def shutdown_agent(self) -> Task[None]:
        """``Async.host.shutdown_agent``: Shuts the agent down after a 10 second pause. WARNING: this is a dangerous operation. Any operations in progress will be aborted, and unrecoverable data loss may occur. The caller is responsible for ensuring that there are no operations in progress when this method is called."""
        return Task(self._session, self._session.call_with_session('Async.host.shutdown_agent'))

    def license_add(self, host: HostRef, contents: str) -> Task[None]:
        """``Async.host.license_add``: Apply a new license to a host"""
        return Task(self._session, self._session.call_with_session('Async.host.license_add', host, contents))

    def license_apply(self, host: HostRef, contents: str) -> Task[None]:
        """``Async.host.license_apply``: Apply a new license to a host"""
        return Task(self._session, self._session.call_with_session('Async.host.license_apply', host, contents))

    def license_remove(self, host: HostRef) -> Task[None]:
        """``Async.host.license_remove``: Remove any license file from the specified host, and switch that host to the unlicensed edition"""
        return Task(self._session, self._session.call_with_session('Async.host.license_remove', host))

    def set_numa_affinity_policy(self, self_: HostRef, value: HostNumaAffinityPolicy) -> Task[None]:
        """``Async.host.set_numa_affinity_policy``: Set VM placement NUMA affinity policy"""
        return Task(self._session, self._session.call_with_session('Async.host.set_numa_affinity_policy', self_, value))

    def call_extension(self, host: HostRef, call: str) -> Task[str]:
        """``Async.host.call_extension``: Call an API extension on this host"""
        return Task(self._session, self._session.call_with_session('Async.host.call_extension', host, call))

class MessageTasks:
    """The ``Async.message.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def destroy_many(self, messages: list[MessageRef]) -> Task[None]:
        """``Async.message.destroy_many``: ``message.destroy_many``"""
        return Task(self._session, self._session.call_with_session('Async.message.destroy_many', messages))

class NetworkTasks:
    """The ``Async.network.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def create_new_blob(self, network: NetworkRef, name: str, mime_type: str, public: bool) -> Task[BlobRef]:
        """``Async.network.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this pool"""
        return Task(self._session, self._session.call_with_session('Async.network.create_new_blob', network, name, mime_type, public))

    def set_default_locking_mode(self, network: NetworkRef, value: NetworkDefaultLockingMode) -> Task[None]:
        """``Async.network.set_default_locking_mode``: Set the default locking mode for VIFs attached to this network"""
        return Task(self._session, self._session.call_with_session('Async.network.set_default_locking_mode', network, value))

    def add_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> Task[None]:
        """``Async.network.add_purpose``: Give a network a new purpose (if not present already)"""
        return Task(self._session, self._session.call_with_session('Async.network.add_purpose', self_, value))

    def remove_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> Task[None]:
        """``Async.network.remove_purpose``: Remove a purpose from a network (if present)"""
        return Task(self._session, self._session.call_with_session('Async.network.remove_purpose', self_, value))

class PBDTasks:
    """The ``Async.PBD.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def plug(self, self_: PBDRef) -> Task[None]:
        """``Async.PBD.plug``: Activate the specified PBD, causing the referenced SR to be attached and scanned"""
        return Task(self._session, self._session.call_with_session('Async.PBD.plug', self_))

    def unplug(self, self_: PBDRef) -> Task[None]:
        """``Async.PBD.unplug``: Deactivate the specified PBD, causing the referenced SR to be detached and nolonger scanned"""
        return Task(self._session, self._session.call_with_session('Async.PBD.unplug', self_))

    def set_device_config(self, self_: PBDRef, value: dict[str, str]) -> Task[None]:
        """``Async.PBD.set_device_config``: Sets the PBD's device_config field"""
        return Task(self._session, self._session.call_with_session('Async.PBD.set_device_config', self_, value))

class PIFTasks:
    """The ``Async.PIF.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def destroy(self, self_: PIFRef) -> Task[None]:
        """``Async.PIF.destroy``: Destroy the PIF object (provided it is a VLAN interface). This call is deprecated: use VLAN.destroy or Bond.destroy instead"""
        return Task(self._session, self._session.call_with_session('Async.PIF.destroy', self_))

    def forget(self, self_: PIFRef) -> Task[None]:
        """``Async.PIF.forget``: Destroy the PIF object matching a particular network interface"""
        return Task(self._session, self._session.call_with_session('Async.PIF.forget', self_))

    def db_forget(self, self_: PIFRef) -> Task[None]:
        """``Async.PIF.db_forget``: Destroy a PIF database record."""
        return Task(self._session, self._session.call_with_session('Async.PIF.db_forget', self_))

    def set_disallow_unplug(self, self_: PIFRef, value: bool) -> Task[None]:
        """``Async.PIF.set_disallow_unplug``: Set whether unplugging the PIF is allowed"""
        return Task(self._session, self._session.call_with_session('Async.PIF.set_disallow_unplug', self_, value))

    def set_primary_address_type(self, self_: PIFRef, primary_address_type: PrimaryAddressType) -> Task[None]:
        """``Async.PIF.set_primary_address_type``: Change the primary address type used by this PIF"""
        return Task(self._session, self._session.call_with_session('Async.PIF.set_primary_address_type', self_, primary_address_type))

class PoolTasks:
    """The ``Async.pool.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def create_new_blob(self, pool: PoolRef, name: str, mime_type: str, public: bool) -> Task[BlobRef]:
        """``Async.pool.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.create_new_blob', pool, name, mime_type, public))

    def set_https_only(self, self_: PoolRef, value: bool) -> Task[None]:
        """``Async.pool.set_https_only``: updates all the host firewalls in the pool to open or close port 80 depending on the value"""
        return Task(self._session, self._session.call_with_session('Async.pool.set_https_only', self_, value))

    def apply_edition(self, self_: PoolRef, edition: str) -> Task[None]:
        """``Async.pool.apply_edition``: Apply an edition to all hosts in the pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.apply_edition', self_, edition))

    def get_license_state(self, self_: PoolRef) -> Task[dict[str, str]]:
        """``Async.pool.get_license_state``: This call returns the license state for the pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.get_license_state', self_))

    def sync_database(self) -> Task[None]:
        """``Async.pool.sync_database``: Forcibly synchronise the database now"""
        return Task(self._session, self._session.call_with_session('Async.pool.sync_database'))

    def designate_new_master(self, host: HostRef) -> Task[None]:
        """``Async.pool.designate_new_master``: Perform an orderly handover of the role of master to the referenced host."""
        return Task(self._session, self._session.call_with_session('Async.pool.designate_new_master', host))

    def recover_slaves(self) -> Task[list[HostRef]]:
        """``Async.pool.recover_slaves``: Instruct a pool master, M, to try and contact its slaves and, if slaves are in emergency mode, reset their master address to M."""
        return Task(self._session, self._session.call_with_session('Async.pool.recover_slaves'))

    def has_extension(self, self_: PoolRef, name: str) -> Task[bool]:
        """``Async.pool.has_extension``: Return true if the extension is available on the pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.has_extension', self_, name))

    def set_igmp_snooping_enabled(self, self_: PoolRef, value: bool) -> Task[None]:
        """``Async.pool.set_igmp_snooping_enabled``: Enable or disable IGMP Snooping on the pool."""
        return Task(self._session, self._session.call_with_session('Async.pool.set_igmp_snooping_enabled', self_, value))

    def set_vswitch_controller(self, address: str) -> Task[None]:
        """``Async.pool.set_vswitch_controller``: Set the IP address of the vswitch controller."""
        return Task(self._session, self._session.call_with_session('Async.pool.set_vswitch_controller', address))

    def add_to_guest_agent_config(self, self_: PoolRef, key: str, value: str) -> Task[None]:
        """``Async.pool.add_to_guest_agent_config``: Add a key-value pair to the pool-wide guest agent configuration"""
        return Task(self._session, self._session.call_with_session('Async.pool.add_to_guest_agent_config', self_, key, value))

    def join(self, master_address: str, master_username: str, master_password: str) -> Task[None]:
        """``Async.pool.join``: Instruct host to join a new pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.join', master_address, master_username, master_password))

    def join_force(self, master_address: str, master_username: str, master_password: str) -> Task[None]:
        """``Async.pool.join_force``: Instruct host to join a new pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.join_force', master_address, master_username, master_password))

    def eject(self, host: HostRef) -> Task[None]:
        """``Async.pool.eject``: Instruct a pool master to eject a host from the pool"""
        return Task(self._session, self._session.call_with_session('Async.pool.eject', host))

    def enable_ha(self, heartbeat_srs: list[SRRef], configuration: dict[str, str]) -> Task[None]:
        """``Async.pool.enable_ha``: Turn on High Availability mode"""
        return Task(self._session, self._session.call_with_session('Async.pool.enable_ha', heartbeat_srs, configuration))

    def disable_ha(self) -> Task[None]:
        """``Async.pool.disable_ha``: Turn off High Availability mode"""
        return Task(self._session, self._session.call_with_session('Async.pool.disable_ha'))

    def set_ha_host_failures_to_tolerate(self, self_: PoolRef, value: int) -> Task[None]:
        """``Async.pool.set_ha_host_failures_to_tolerate``: Set the maximum number of host failures to consider in the HA VM restart planner"""
        return Task(self._session, self._session.call_with_session('Async.pool.set_ha_host_failures_to_tolerate', self_, value))

    def remove_from_guest_agent_config(self, self_: PoolRef, key: str) -> Task[None]:
        """``Async.pool.remove_from_guest_agent_config``: Remove a key-value pair from the pool-wide guest agent configuration"""
        return Task(self._session, self._session.call_with_session('Async.pool.remove_from_guest_agent_config', self_, key))

    def set_telemetry_next_collection(self, self_: PoolRef, value: str) -> Task[None]:
        """``Async.pool.set_telemetry_next_collection``: Set the timestamp for the next telemetry data collection."""
        return Task(self._session, self._session.call_with_session('Async.pool.set_telemetry_next_collection', self_, value))

    def certificate_install(self, name: str, cert: str) -> Task[None]:
        """``Async.pool.certificate_install``: Install a TLS CA certificate, pool-wide."""
        return Task(self._session, self._session.call_with_session('Async.pool.certificate_install', name, cert))

    def install_ca_certificate(self, name: str, cert: str) -> Task[None]:
        """``Async.pool.install_ca_certificate``: Install a TLS CA certificate, pool-wide."""
        return Task(self._session, self._session.call_with_session('Async.pool.install_ca_certificate', name, cert))

    def uninstall_ca_certificate(self, name: str) -> Task[None]:
        """``Async.pool.uninstall_ca_certificate``: Remove a pool-wide TLS CA certificate."""
        return Task(self._session, self._session.call_with_session('Async.pool.uninstall_ca_certificate', name))

    def certificate_uninstall(self, name: str) -> Task[None]:
        """``Async.pool.certificate_uninstall``: Remove a pool-wide TLS CA certificate."""
        return Task(self._session, self._session.call_with_session('Async.pool.certificate_uninstall', name))

    def certificate_list(self) -> Task[list[str]]:
        """``Async.pool.certificate_list``: List the names of all installed TLS CA certificates."""
        return Task(self._session, self._session.call_with_session('Async.pool.certificate_list'))

    def crl_install(self, name: str, cert: str) -> Task[None]:
        """``Async.pool.crl_install``: Install a TLS CA-issued Certificate Revocation List, pool-wide."""
        return Task(self._session, self._session.call_with_session('Async.pool.crl_install', name, cert))

    def crl_uninstall(self, name: str) -> Task[None]:
        """``Async.pool.crl_uninstall``: Remove a pool-wide TLS CA-issued Certificate Revocation List."""
        return Task(self._session, self._session.call_with_session('Async.pool.crl_uninstall', name))

    def crl_list(self) -> Task[list[str]]:
        """``Async.pool.crl_list``: List the names of all installed TLS CA-issued Certificate Revocation Lists."""
        return Task(self._session, self._session.call_with_session('Async.pool.crl_list'))

    def certificate_sync(self) -> Task[None]:
        """``Async.pool.certificate_sync``: Copy the TLS CA certificates and CRLs of the master to all slaves."""
        return Task(self._session, self._session.call_with_session('Async.pool.certificate_sync'))

    def send_test_post(self, host: str, port: int, body: str) -> Task[str]:
        """``Async.pool.send_test_post``: Send the given body to the given host and port, using HTTPS, and print the response. This is used for debugging the SSL layer."""
        return Task(self._session, self._session.call_with_session('Async.pool.send_test_post', host, port, body))

class SessionTasks:
    """The ``Async.session.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def get_all_subject_identifiers(self) -> Task[list[str]]:
        """``Async.session.get_all_subject_identifiers``: Return a list of all the user subject-identifiers of all existing sessions"""
        return Task(self._session, self._session.call_with_session('Async.session.get_all_subject_identifiers'))

    def logout_subject_identifier(self, subject_identifier: str) -> Task[None]:
        """``Async.session.logout_subject_identifier``: Log out all sessions associated to a user subject-identifier, except the session associated with the context calling this function"""
        return Task(self._session, self._session.call_with_session('Async.session.logout_subject_identifier', subject_identifier))

class SRTasks:
    """The ``Async.SR.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def create_new_blob(self, sr: SRRef, name: str, mime_type: str, public: bool) -> Task[BlobRef]:
        """``Async.SR.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this SR"""
        return Task(self._session, self._session.call_with_session('Async.SR.create_new_blob', sr, name, mime_type, public))

    def scan(self, sr: SRRef) -> Task[None]:
        """``Async.SR.scan``: Refreshes the list of VDIs associated with an SR"""
        return Task(self._session, self._session.call_with_session('Async.SR.scan', sr))

    def set_name_label(self, sr: SRRef, value: str) -> Task[None]:
        """``Async.SR.set_name_label``: Set the name label of the SR"""
        return Task(self._session, self._session.call_with_session('Async.SR.set_name_label', sr, value))

    def set_name_description(self, sr: SRRef, value: str) -> Task[None]:
        """``Async.SR.set_name_description``: Set the name description of the SR"""
        return Task(self._session, self._session.call_with_session('Async.SR.set_name_description', sr, value))

    def set_shared(self, sr: SRRef, value: bool) -> Task[None]:
        """``Async.SR.set_shared``: Sets the shared flag on the SR"""
        return Task(self._session, self._session.call_with_session('Async.SR.set_shared', sr, value))

    def create(self, host: HostRef, device_config: dict[str, str], physical_size: int, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> Task[SRRef]:
        """``Async.SR.create``: Create a new Storage Repository and introduce it into the managed system, creating both SR record and PBD record to attach it to current host (with specified device_config parameters)"""
        return Task(self._session, self._session.call_with_session('Async.SR.create', host, device_config, physical_size, name_label, name_description, type, content_type, shared, sm_config))

    def introduce(self, uuid: str, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> Task[SRRef]:
        """``Async.SR.introduce``: Introduce a new Storage Repository into the managed system"""
        return Task(self._session, self._session.call_with_session('Async.SR.introduce', uuid, name_label, name_description, type, content_type, shared, sm_config))

    def forget(self, sr: SRRef) -> Task[None]:
        """``Async.SR.forget``: Removing specified SR-record from database, without attempting to remove SR from disk"""
        return Task(self._session, self._session.call_with_session('Async.SR.forget', sr))

    def destroy(self, sr: SRRef) -> Task[None]:
        """``Async.SR.destroy``: Destroy specified SR, removing SR-record from database and remove SR from disk. (In order to affect this operation the appropriate device_config is read from the specified SR's PBD on current host)"""
        return Task(self._session, self._session.call_with_session('Async.SR.destroy', sr))

    def update(self, sr: SRRef) -> Task[None]:
        """``Async.SR.update``: Refresh the fields on the SR object"""
        return Task(self._session, self._session.call_with_session('Async.SR.update', sr))

class VBDTasks:
    """The ``Async.VBD.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def plug(self, self_: VBDRef) -> Task[None]:
        """``Async.VBD.plug``: Hotplug the specified VBD, dynamically attaching it to the running VM"""
        return Task(self._session, self._session.call_with_session('Async.VBD.plug', self_))

    def unplug(self, self_: VBDRef) -> Task[None]:
        """``Async.VBD.unplug``: Hot-unplug the specified VBD, dynamically unattaching it from the running VM"""
        return Task(self._session, self._session.call_with_session('Async.VBD.unplug', self_))

    def unplug_force(self, self_: VBDRef) -> Task[None]:
        """``Async.VBD.unplug_force``: Forcibly unplug the specified VBD"""
        return Task(self._session, self._session.call_with_session('Async.VBD.unplug_force', self_))

    def insert(self, vbd: VBDRef, vdi: VDIRef) -> Task[None]:
        """``Async.VBD.insert``: Insert new media into the device"""
        return Task(self._session, self._session.call_with_session('Async.VBD.insert', vbd, vdi))

    def eject(self, vbd: VBDRef) -> Task[None]:
        """``Async.VBD.eject``: Remove the media from the device and leave it empty"""
        return Task(self._session, self._session.call_with_session('Async.VBD.eject', vbd))

    def set_mode(self, self_: VBDRef, value: VbdMode) -> Task[None]:
        """``Async.VBD.set_mode``: Sets the mode of the VBD. The power_state of the VM must be halted."""
        return Task(self._session, self._session.call_with_session('Async.VBD.set_mode', self_, value))

    def assert_attachable(self, self_: VBDRef) -> Task[None]:
        """``Async.VBD.assert_attachable``: Throws an error if this VBD could not be attached to this VM if the VM were running. Intended for debugging."""
        return Task(self._session, self._session.call_with_session('Async.VBD.assert_attachable', self_))

class VDITasks:
    """The ``Async.VDI.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def resize(self, vdi: VDIRef, size: int) -> Task[None]:
        """``Async.VDI.resize``: Resize the VDI."""
        return Task(self._session, self._session.call_with_session('Async.VDI.resize', vdi, size))

    def clone(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> Task[VDIRef]:
        """``Async.VDI.clone``: Take an exact copy of the VDI and return a reference to the new disk. If any driver_params are specified then these are passed through to the storage-specific substrate driver that implements the clone operation. NB the clone lives in the same Storage Repository as its parent."""
        return Task(self._session, self._session.call_with_session('Async.VDI.clone', vdi, driver_params))

    def snapshot(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> Task[VDIRef]:
        """``Async.VDI.snapshot``: Take a read-only snapshot of the VDI, returning a reference to the snapshot. If any driver_params are specified then these are passed through to the storage-specific substrate driver that takes the snapshot. NB the snapshot lives in the same Storage Repository as its parent."""
        return Task(self._session, self._session.call_with_session('Async.VDI.snapshot', vdi, driver_params))

    def set_name_label(self, self_: VDIRef, value: str) -> Task[None]:
        """``Async.VDI.set_name_label``: Set the name label of the VDI. This can only happen when then its SR is currently attached."""
        return Task(self._session, self._session.call_with_session('Async.VDI.set_name_label', self_, value))

    def set_name_description(self, self_: VDIRef, value: str) -> Task[None]:
        """``Async.VDI.set_name_description``: Set the name description of the VDI. This can only happen when its SR is currently attached."""
        return Task(self._session, self._session.call_with_session('Async.VDI.set_name_description', self_, value))

    def set_allow_caching(self, self_: VDIRef, value: bool) -> Task[None]:
        """``Async.VDI.set_allow_caching``: Set the value of the allow_caching parameter. This value can only be changed when the VDI is not attached to a running VM. The caching behaviour is only affected by this flag for VHD-based VDIs that have one parent and no child VHDs. Moreover, caching only takes place when the host running the VM containing this VDI has a nominated SR for local caching."""
        return Task(self._session, self._session.call_with_session('Async.VDI.set_allow_caching', self_, value))

    def forget(self, vdi: VDIRef) -> Task[None]:
        """``Async.VDI.forget``: Removes a VDI record from the database"""
        return Task(self._session, self._session.call_with_session('Async.VDI.forget', vdi))

    def update(self, vdi: VDIRef) -> Task[None]:
        """``Async.VDI.update``: Ask the storage backend to refresh the fields in the VDI object"""
        return Task(self._session, self._session.call_with_session('Async.VDI.update', vdi))

    def copy(self, vdi: VDIRef, sr: SRRef, base_vdi: VDIRef, into_vdi: VDIRef) -> Task[VDIRef]:
        """``Async.VDI.copy``: Copy either a full VDI or the block differences between two VDIs into either a fresh VDI or an existing VDI."""
        return Task(self._session, self._session.call_with_session('Async.VDI.copy', vdi, sr, base_vdi, into_vdi))

    def introduce(self, uuid: str, name_label: str, name_description: str, SR: SRRef, type: VdiType, sharable: bool, read_only: bool, other_config: dict[str, str], location: str, xenstore_data: dict[str, str], sm_config: dict[str, str], managed: bool, virtual_size: int, physical_utilisation: int, metadata_of_pool: PoolRef, is_a_snapshot: bool, snapshot_time: str, snapshot_of: VDIRef) -> Task[VDIRef]:
        """``Async.VDI.introduce``: Create a new VDI record in the database only"""
        return Task(self._session, self._session.call_with_session('Async.VDI.introduce', uuid, name_label, name_description, SR, type, sharable, read_only, other_config, location, xenstore_data, sm_config, managed, virtual_size, physical_utilisation, metadata_of_pool, is_a_snapshot, snapshot_time, snapshot_of))

    def enable_cbt(self, self_: VDIRef) -> Task[None]:
        """``Async.VDI.enable_cbt``: Enable changed block tracking for the VDI. This call is idempotent - enabling CBT for a VDI for which CBT is already enabled results in a no-op, and no error will be thrown."""
        return Task(self._session, self._session.call_with_session('Async.VDI.enable_cbt', self_))

    def disable_cbt(self, self_: VDIRef) -> Task[None]:
        """``Async.VDI.disable_cbt``: Disable changed block tracking for the VDI. This call is only allowed on VDIs that support enabling CBT. It is an idempotent operation - disabling CBT for a VDI for which CBT is not enabled results in a no-op, and no error will be thrown."""
        return Task(self._session, self._session.call_with_session('Async.VDI.disable_cbt', self_))

    def data_destroy(self, self_: VDIRef) -> Task[None]:
        """``Async.VDI.data_destroy``: Delete the data of the snapshot VDI, but keep its changed block tracking metadata. When successful, this call changes the type of the VDI to cbt_metadata. This operation is idempotent: calling it on a VDI of type cbt_metadata results in a no-op, and no error will be thrown."""
        return Task(self._session, self._session.call_with_session('Async.VDI.data_destroy', self_))

    def list_changed_blocks(self, vdi_from: VDIRef, vdi_to: VDIRef) -> Task[str]:
        """``Async.VDI.list_changed_blocks``: Compare two VDIs in 64k block increments and report which blocks differ. This operation is not allowed when vdi_to is attached to a VM."""
        return Task(self._session, self._session.call_with_session('Async.VDI.list_changed_blocks', vdi_from, vdi_to))

    def set_on_boot(self, self_: VDIRef, value: OnBoot) -> Task[None]:
        """``Async.VDI.set_on_boot``: Set the value of the on_boot parameter. This value can only be changed when the VDI is not attached to a running VM."""
        return Task(self._session, self._session.call_with_session('Async.VDI.set_on_boot', self_, value))

    def resize_online(self, vdi: VDIRef, size: int) -> Task[None]:
        """``Async.VDI.resize_online``: Resize the VDI which may or may not be attached to running guests."""
        return Task(self._session, self._session.call_with_session('Async.VDI.resize_online', vdi, size))

class VIFTasks:
    """The ``Async.VIF.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def plug(self, self_: VIFRef) -> Task[None]:
        """``Async.VIF.plug``: Hotplug the specified VIF, dynamically attaching it to the running VM"""
        return Task(self._session, self._session.call_with_session('Async.VIF.plug', self_))

    def unplug(self, self_: VIFRef) -> Task[None]:
        """``Async.VIF.unplug``: Hot-unplug the specified VIF, dynamically unattaching it from the running VM"""
        return Task(self._session, self._session.call_with_session('Async.VIF.unplug', self_))

    def unplug_force(self, self_: VIFRef) -> Task[None]:
        """``Async.VIF.unplug_force``: Forcibly unplug the specified VIF"""
        return Task(self._session, self._session.call_with_session('Async.VIF.unplug_force', self_))

    def configure_ipv4(self, self_: VIFRef, mode: VifIpv4ConfigurationMode, address: str, gateway: str) -> Task[None]:
        """``Async.VIF.configure_ipv4``: Configure IPv4 settings for this virtual interface"""
        return Task(self._session, self._session.call_with_session('Async.VIF.configure_ipv4', self_, mode, address, gateway))

    def configure_ipv6(self, self_: VIFRef, mode: VifIpv6ConfigurationMode, address: str, gateway: str) -> Task[None]:
        """``Async.VIF.configure_ipv6``: Configure IPv6 settings for this virtual interface"""
        return Task(self._session, self._session.call_with_session('Async.VIF.configure_ipv6', self_, mode, address, gateway))

    def set_locking_mode(self, self_: VIFRef, value: VifLockingMode) -> Task[None]:
        """``Async.VIF.set_locking_mode``: Set the locking mode for this VIF"""
        return Task(self._session, self._session.call_with_session('Async.VIF.set_locking_mode', self_, value))

    def set_ipv4_allowed(self, self_: VIFRef, value: list[str]) -> Task[None]:
        """``Async.VIF.set_ipv4_allowed``: Set the IPv4 addresses to which traffic on this VIF can be restricted"""
        return Task(self._session, self._session.call_with_session('Async.VIF.set_ipv4_allowed', self_, value))

    def add_ipv4_allowed(self, self_: VIFRef, value: str) -> Task[None]:
        """``Async.VIF.add_ipv4_allowed``: Associates an IPv4 address with this VIF"""
        return Task(self._session, self._session.call_with_session('Async.VIF.add_ipv4_allowed', self_, value))

    def remove_ipv4_allowed(self, self_: VIFRef, value: str) -> Task[None]:
        """``Async.VIF.remove_ipv4_allowed``: Removes an IPv4 address from this VIF"""
        return Task(self._session, self._session.call_with_session('Async.VIF.remove_ipv4_allowed', self_, value))

    def set_ipv6_allowed(self, self_: VIFRef, value: list[str]) -> Task[None]:
        """``Async.VIF.set_ipv6_allowed``: Set the IPv6 addresses to which traffic on this VIF can be restricted"""
        return Task(self._session, self._session.call_with_session('Async.VIF.set_ipv6_allowed', self_, value))

    def add_ipv6_allowed(self, self_: VIFRef, value: str) -> Task[None]:
        """``Async.VIF.add_ipv6_allowed``: Associates an IPv6 address with this VIF"""
        return Task(self._session, self._session.call_with_session('Async.VIF.add_ipv6_allowed', self_, value))

    def remove_ipv6_allowed(self, self_: VIFRef, value: str) -> Task[None]:
        """``Async.VIF.remove_ipv6_allowed``: Removes an IPv6 address from this VIF"""
        return Task(self._session, self._session.call_with_session('Async.VIF.remove_ipv6_allowed', self_, value))

    def move(self, self_: VIFRef, network: NetworkRef) -> Task[None]:
        """``Async.VIF.move``: Move the specified VIF to the specified network, even while the VM is running"""
        return Task(self._session, self._session.call_with_session('Async.VIF.move', self_, network))

class VMTasks:
    """The ``Async.VM.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def create_new_blob(self, vm: VMRef, name: str, mime_type: str, public: bool) -> Task[BlobRef]:
        """``Async.VM.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this VM"""
        return Task(self._session, self._session.call_with_session('Async.VM.create_new_blob', vm, name, mime_type, public))

    def start(self, vm: VMRef, start_paused: bool, force: bool) -> Task[None]:
        """``Async.VM.start``: Start the specified VM. This function can only be called with the VM is in the Halted State."""
        return Task(self._session, self._session.call_with_session('Async.VM.start', vm, start_paused, force))

    def start_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> Task[None]:
        """``Async.VM.start_on``: Start the specified VM on a particular host. This function can only be called with the VM is in the Halted State."""
        return Task(self._session, self._session.call_with_session('Async.VM.start_on', vm, host, start_paused, force))

    def pause(self, vm: VMRef) -> Task[None]:
        """``Async.VM.pause``: Pause the specified VM. This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.pause', vm))

    def unpause(self, vm: VMRef) -> Task[None]:
        """``Async.VM.unpause``: Resume the specified VM. This can only be called when the specified VM is in the Paused state."""
        return Task(self._session, self._session.call_with_session('Async.VM.unpause', vm))

    def clean_shutdown(self, vm: VMRef) -> Task[None]:
        """``Async.VM.clean_shutdown``: Attempt to cleanly shutdown the specified VM. (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.clean_shutdown', vm))

    def hard_shutdown(self, vm: VMRef) -> Task[None]:
        """``Async.VM.hard_shutdown``: Stop executing the specified VM without attempting a clean shutdown."""
        return Task(self._session, self._session.call_with_session('Async.VM.hard_shutdown', vm))

    def shutdown(self, vm: VMRef) -> Task[None]:
        """``Async.VM.shutdown``: Attempts to first clean shutdown a VM and if it should fail then perform a hard shutdown on it."""
        return Task(self._session, self._session.call_with_session('Async.VM.shutdown', vm))

    def clean_reboot(self, vm: VMRef) -> Task[None]:
        """``Async.VM.clean_reboot``: Attempt to cleanly shutdown the specified VM (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.clean_reboot', vm))

    def hard_reboot(self, vm: VMRef) -> Task[None]:
        """``Async.VM.hard_reboot``: Stop executing the specified VM without attempting a clean shutdown and immediately restart the VM."""
        return Task(self._session, self._session.call_with_session('Async.VM.hard_reboot', vm))

    def suspend(self, vm: VMRef) -> Task[None]:
        """``Async.VM.suspend``: Suspend the specified VM to disk. This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.suspend', vm))

    def resume(self, vm: VMRef, start_paused: bool, force: bool) -> Task[None]:
        """``Async.VM.resume``: Awaken the specified VM and resume it. This can only be called when the specified VM is in the Suspended state."""
        return Task(self._session, self._session.call_with_session('Async.VM.resume', vm, start_paused, force))

    def resume_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> Task[None]:
        """``Async.VM.resume_on``: Awaken the specified VM and resume it on a particular Host. This can only be called when the specified VM is in the Suspended state."""
        return Task(self._session, self._session.call_with_session('Async.VM.resume_on', vm, host, start_paused, force))

    def provision(self, vm: VMRef) -> Task[None]:
        """``Async.VM.provision``: Inspects the disk configuration contained within the VM's other_config, creates VDIs and VBDs and then executes any applicable post-install script."""
        return Task(self._session, self._session.call_with_session('Async.VM.provision', vm))

    def copy(self, vm: VMRef, new_name: str, sr: SRRef) -> Task[VMRef]:
        """``Async.VM.copy``: Copied the specified VM, making a new VM. Unlike clone, copy does not exploits the capabilities of the underlying storage repository in which the VM's disk images are stored. Instead, copy guarantees that the disk images of the newly created VM will be 'full disks' - i.e. not part of a CoW chain. This function can only be called when the VM is in the Halted State."""
        return Task(self._session, self._session.call_with_session('Async.VM.copy', vm, new_name, sr))

    def snapshot(self, vm: VMRef, new_name: str, ignore_vdis: list[VDIRef] = []) -> Task[VMRef]:
        """``Async.VM.snapshot``: Snapshots the specified VM, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return Task(self._session, self._session.call_with_session('Async.VM.snapshot', vm, new_name, ignore_vdis))

    def revert(self, snapshot: VMRef) -> Task[None]:
        """``Async.VM.revert``: Reverts the specified VM to a previous state."""
        return Task(self._session, self._session.call_with_session('Async.VM.revert', snapshot))

    def power_state_reset(self, vm: VMRef) -> Task[None]:
        """``Async.VM.power_state_reset``: Reset the power-state of the VM to halted in the database only. (Used to recover from slave failures in pooling scenarios by resetting the power-states of VMs running on dead slaves to halted.) This is a potentially dangerous operation; use with care."""
        return Task(self._session, self._session.call_with_session('Async.VM.power_state_reset', vm))

    def clone(self, vm: VMRef, new_name: str) -> Task[VMRef]:
        """``Async.VM.clone``: Clones the specified VM, making a new VM. Clone automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write). This function can only be called when the VM is in the Halted State."""
        return Task(self._session, self._session.call_with_session('Async.VM.clone', vm, new_name))

    def get_boot_record(self, self_: VMRef) -> Task[VMRecord]:
        """``Async.VM.get_boot_record``: Returns a record describing the VM's dynamic state, initialised when the VM boots and updated to reflect runtime configuration changes e.g. CPU hotplug"""
        return Task(self._session, self._session.call_with_session('Async.VM.get_boot_record', self_))

    def assert_operation_valid(self, self_: VMRef, op: VmOperations) -> Task[None]:
        """``Async.VM.assert_operation_valid``: Check to see whether this operation is acceptable in the current state of the system, raising an error if the operation is invalid for some reason"""
        return Task(self._session, self._session.call_with_session('Async.VM.assert_operation_valid', self_, op))

    def update_allowed_operations(self, self_: VMRef) -> Task[None]:
        """``Async.VM.update_allowed_operations``: Recomputes the list of acceptable operations"""
        return Task(self._session, self._session.call_with_session('Async.VM.update_allowed_operations', self_))

    def assert_can_boot_here(self, self_: VMRef, host: HostRef) -> Task[None]:
        """``Async.VM.assert_can_boot_here``: Returns an error if the VM could not boot on this host for some reason"""
        return Task(self._session, self._session.call_with_session('Async.VM.assert_can_boot_here', self_, host))

    def get_possible_hosts(self, vm: VMRef) -> Task[list[HostRef]]:
        """``Async.VM.get_possible_hosts``: Return the list of hosts on which this VM may run."""
        return Task(self._session, self._session.call_with_session('Async.VM.get_possible_hosts', vm))

    def get_cooperative(self, self_: VMRef) -> Task[bool]:
        """``Async.VM.get_cooperative``: Return true if the VM is currently 'co-operative' i.e. is expected to reach a balloon target and actually has done"""
        return Task(self._session, self._session.call_with_session('Async.VM.get_cooperative', self_))

    def set_start_delay(self, self_: VMRef, value: int) -> Task[None]:
        """``Async.VM.set_start_delay``: Set this VM's start delay in seconds"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_start_delay', self_, value))

    def set_shutdown_delay(self, self_: VMRef, value: int) -> Task[None]:
        """``Async.VM.set_shutdown_delay``: Set this VM's shutdown delay in seconds"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_shutdown_delay', self_, value))

    def set_ha_restart_priority(self, self_: VMRef, value: str) -> Task[None]:
        """``Async.VM.set_ha_restart_priority``: Set the value of the ha_restart_priority field"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_ha_restart_priority', self_, value))

    def set_order(self, self_: VMRef, value: int) -> Task[None]:
        """``Async.VM.set_order``: Set this VM's boot order"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_order', self_, value))

    def set_bios_strings(self, self_: VMRef, value: dict[str, str]) -> Task[None]:
        """``Async.VM.set_bios_strings``: Set custom BIOS strings to this VM. VM will be given a default set of BIOS strings, only some of which can be overridden by the supplied values. Allowed keys are: 'bios-vendor', 'bios-version', 'system-manufacturer', 'system-product-name', 'system-version', 'system-serial-number', 'enclosure-asset-tag', 'baseboard-manufacturer', 'baseboard-product-name', 'baseboard-version', 'baseboard-serial-number', 'baseboard-asset-tag', 'baseboard-location-in-chassis', 'enclosure-asset-tag'"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_bios_strings', self_, value))

    def copy_bios_strings(self, vm: VMRef, host: HostRef) -> Task[None]:
        """``Async.VM.copy_bios_strings``: Copy the BIOS strings from the given host to this VM"""
        return Task(self._session, self._session.call_with_session('Async.VM.copy_bios_strings', vm, host))

    def set_has_vendor_device(self, self_: VMRef, value: bool) -> Task[None]:
        """``Async.VM.set_has_vendor_device``: Controls whether, when the VM starts in HVM mode, its virtual hardware will include the emulated PCI device for which drivers may be available through Windows Update. Usually this should never be changed on a VM on which Windows has been installed: changing it on such a VM is likely to lead to a crash on next start."""
        return Task(self._session, self._session.call_with_session('Async.VM.set_has_vendor_device', self_, value))

    def set_suspend_VDI(self, self_: VMRef, value: VDIRef) -> Task[None]:
        """``Async.VM.set_suspend_VDI``: Set this VM's suspend VDI, which must be indentical to its current one"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_suspend_VDI', self_, value))

    def set_memory_target_live(self, self_: VMRef, target: int) -> Task[None]:
        """``Async.VM.set_memory_target_live``: Set the memory target for a running VM"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_memory_target_live', self_, target))

    def send_sysrq(self, vm: VMRef, key: str) -> Task[None]:
        """``Async.VM.send_sysrq``: Send the given key as a sysrq to this VM. The key is specified as a single character (a String of length 1). This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.send_sysrq', vm, key))

    def send_trigger(self, vm: VMRef, trigger: str) -> Task[None]:
        """``Async.VM.send_trigger``: Send the named trigger to this VM. This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.send_trigger', vm, trigger))

    def add_to_VCPUs_params_live(self, self_: VMRef, key: str, value: str) -> Task[None]:
        """``Async.VM.add_to_VCPUs_params_live``: Add the given key-value pair to VM.VCPUs_params, and apply that value on the running VM"""
        return Task(self._session, self._session.call_with_session('Async.VM.add_to_VCPUs_params_live', self_, key, value))

    def query_services(self, self_: VMRef) -> Task[dict[str, str]]:
        """``Async.VM.query_services``: Query the system services advertised by this VM and register them. This can only be applied to a system domain."""
        return Task(self._session, self._session.call_with_session('Async.VM.query_services', self_))

    def set_VCPUs_number_live(self, self_: VMRef, nvcpu: int) -> Task[None]:
        """``Async.VM.set_VCPUs_number_live``: Set the number of VCPUs for a running VM"""
        return Task(self._session, self._session.call_with_session('Async.VM.set_VCPUs_number_live', self_, nvcpu))

    def assert_agile(self, self_: VMRef) -> Task[None]:
        """``Async.VM.assert_agile``: Returns an error if the VM is not considered agile e.g. because it is tied to a resource local to a host"""
        return Task(self._session, self._session.call_with_session('Async.VM.assert_agile', self_))

    def compute_memory_overhead(self, vm: VMRef) -> Task[int]:
        """``Async.VM.compute_memory_overhead``: Computes the virtualization memory overhead of a VM."""
        return Task(self._session, self._session.call_with_session('Async.VM.compute_memory_overhead', vm))

    def maximise_memory(self, self_: VMRef, total: int, approximate: bool) -> Task[int]:
        """``Async.VM.maximise_memory``: Returns the maximum amount of guest memory which will fit, together with overheads, in the supplied amount of physical memory. If 'exact' is true then an exact calculation is performed using the VM's current settings. If 'exact' is false then a more conservative approximation is used"""
        return Task(self._session, self._session.call_with_session('Async.VM.maximise_memory', self_, total, approximate))

    def checkpoint(self, vm: VMRef, new_name: str) -> Task[VMRef]:
        """``Async.VM.checkpoint``: Checkpoints the specified VM, making a new VM. Checkpoint automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write) and saves the memory image as well."""
        return Task(self._session, self._session.call_with_session('Async.VM.checkpoint', vm, new_name))

    def wait_memory_target_live(self, self_: VMRef) -> Task[None]:
        """``Async.VM.wait_memory_target_live``: Wait for a running VM to reach its current memory target"""
        return Task(self._session, self._session.call_with_session('Async.VM.wait_memory_target_live', self_))

    def snapshot_with_quiesce(self, vm: VMRef, new_name: str) -> Task[VMRef]:
        """``Async.VM.snapshot_with_quiesce``: Snapshots the specified VM with quiesce, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return Task(self._session, self._session.call_with_session('Async.VM.snapshot_with_quiesce', vm, new_name))

    def pool_migrate(self, vm: VMRef, host: HostRef, options: dict[str, str]) -> Task[None]:
        """``Async.VM.pool_migrate``: Migrate a VM to another Host."""
        return Task(self._session, self._session.call_with_session('Async.VM.pool_migrate', vm, host, options))

    def migrate_send(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> Task[VMRef]:
        """``Async.VM.migrate_send``: Migrate the VM to another host.  This can only be called when the specified VM is in the Running state."""
        return Task(self._session, self._session.call_with_session('Async.VM.migrate_send', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

    def assert_can_migrate(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> Task[None]:
        """``Async.VM.assert_can_migrate``: Assert whether a VM can be migrated to the specified destination."""
        return Task(self._session, self._session.call_with_session('Async.VM.assert_can_migrate', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

class HostAsyncTasks:
    """The ``Async.host.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create_new_blob(self, host: HostRef, name: str, mime_type: str, public: bool) -> AsyncTask[BlobRef]:
        """``Async.host.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.create_new_blob', host, name, mime_type, public))

    async def migrate_receive(self, host: HostRef, network: NetworkRef, options: dict[str, str]) -> AsyncTask[dict[str, str]]:
        """``Async.host.migrate_receive``: Prepare to receive a VM, returning a token which can be passed to VM.migrate."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.migrate_receive', host, network, options))

    async def get_vms_which_prevent_evacuation(self, self_: HostRef) -> AsyncTask[dict[VMRef, list[str]]]:
        """``Async.host.get_vms_which_prevent_evacuation``: Return a set of VMs which prevent the host being evacuated, with per-VM error codes"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.get_vms_which_prevent_evacuation', self_))

    async def assert_can_evacuate(self, host: HostRef) -> AsyncTask[None]:
        """``Async.host.assert_can_evacuate``: Check this host can be evacuated."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.assert_can_evacuate', host))

    async def evacuate(self, host: HostRef, network: NetworkRef, evacuate_batch_size: int) -> AsyncTask[None]:
        """``Async.host.evacuate``: Migrate all VMs off of this host, where possible."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.evacuate', host, network, evacuate_batch_size))

    async def disable(self, host: HostRef) -> AsyncTask[None]:
        """``Async.host.disable``: Puts the host into a state in which no new VMs can be started. Currently active VMs on the host continue to execute."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.disable', host))

    async def enable(self, host: HostRef) -> AsyncTask[None]:
        """``Async.host.enable``: Puts the host into a state in which new VMs can be started."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.enable', host))

    async def get_management_interface(self, host: HostRef) -> AsyncTask[PIFRef]:
        """``Async.host.get_management_interface``: Returns the management interface for the specified host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.get_management_interface', host))

    async def get_uncooperative_resident_VMs(self, self_: HostRef) -> AsyncTask[list[VMRef]]:
        """``Async.host.get_uncooperative_resident_VMs``: Return a set of VMs which are not co-operating with the host's memory control system"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.get_uncooperative_resident_VMs', self_))

    async def compute_free_memory(self, host: HostRef) -> AsyncTask[int]:
        """``Async.host.compute_free_memory``: Computes the amount of free memory on the host."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.compute_free_memory', host))

    async def compute_memory_overhead(self, host: HostRef) -> AsyncTask[int]:
        """``Async.host.compute_memory_overhead``: Computes the virtualization memory overhead of a host."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.compute_memory_overhead', host))

    async def has_extension(self, host: HostRef, name: str) -> AsyncTask[bool]:
        """``Async.host.has_extension``: Return true if the extension is available on the host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.has_extension', host, name))

    async def get_server_certificate(self, host: HostRef) -> AsyncTask[str]:
        """``Async.host.get_server_certificate``: Get the installed server public TLS certificate."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.get_server_certificate', host))

    async def install_server_certificate(self, host: HostRef, certificate: str, private_key: str, certificate_chain: str) -> AsyncTask[None]:
        """``Async.host.install_server_certificate``: Install the TLS server certificate."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.install_server_certificate', host, certificate, private_key, certificate_chain))

    async def reset_server_certificate(self, host: HostRef) -> AsyncTask[None]:
        """``Async.host.reset_server_certificate``: Delete the current TLS server certificate and replace by a new, self-signed one. This should only be used with extreme care."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.reset_server_certificate', host))

    async def set_power_on_mode(self, self_: HostRef, power_on_mode: str, power_on_config: dict[str, str]) -> AsyncTask[None]:
        """``Async.host.set_power_on_mode``: Set the power-on-mode, host, user and password"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.set_power_on_mode', self_, power_on_mode, power_on_config))

    async def call_plugin(self, host: HostRef, plugin: str, fn: str, args: dict[str, str]) -> AsyncTask[str]:
        """``Async.host.call_plugin``: Call an API plugin on this host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.call_plugin', host, plugin, fn, args))

    async def set_https_only(self, self_: HostRef, value: bool) -> AsyncTask[None]:
        """``Async.host.set_https_only``: updates the host firewall to open or close port 80 depending on the value"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.set_https_only', self_, value))

    async def set_ssl_legacy(self, self_: HostRef, value: bool) -> AsyncTask[None]:
        """``Async.host.set_ssl_legacy``: Enable/disable SSLv3 for interoperability with older server versions. When this is set to a different value, the host immediately restarts its SSL/TLS listening service; typically this takes less than a second but existing connections to it will be broken. API login sessions will remain valid."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.set_ssl_legacy', self_, value))

    async def set_sched_gran(self, self_: HostRef, value: HostSchedGran) -> AsyncTask[None]:
        """``Async.host.set_sched_gran``: Sets xen's sched-gran on a host. See: https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#sched-gran-x86"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.set_sched_gran', self_, value))

    async def set_multipathing(self, host: HostRef, value: bool) -> AsyncTask[None]:
        """``Async.host.set_multipathing``: Specifies whether multipathing is enabled"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.set_multipathing', host, value))

    async def get_log(self, host: HostRef) -> AsyncTask[str]:
        """``Async.host.get_log``: Get the host's log file"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.get_log', host))

    async def dmesg_clear(self, host: HostRef) -> AsyncTask[str]:
        """``Async.host.dmesg_clear``: Get the host xen dmesg, and clear the buffer."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.dmesg_clear', host))

    async def shutdown_agent(self) -> AsyncTask[None]:
        """``Async.host.shutdown_agent``: Shuts the agent down after a 10 second pause. WARNING: this is a dangerous operation. Any operations in progress will be aborted, and unrecoverable data loss may occur. The caller is responsible for ensuring that there are no operations in progress when this method is called."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.shutdown_agent'))

    async def license_add(self, host: HostRef, contents: str) -> AsyncTask[None]:
        """``Async.host.license_add``: Apply a new license to a host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.license_add', host, contents))

    async def license_apply(self, host: HostRef, contents: str) -> AsyncTask[None]:
        """``Async.host.license_apply``: Apply a new license to a host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.license_apply', host, contents))

    async def license_remove(self, host: HostRef) -> AsyncTask[None]:
        """``Async.host.license_remove``: Remove any license file from the specified host, and switch that host to the unlicensed edition"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.license_remove', host))

    async def set_numa_affinity_policy(self, self_: HostRef, value: HostNumaAffinityPolicy) -> AsyncTask[None]:
        """``Async.host.set_numa_affinity_policy``: Set VM placement NUMA affinity policy"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.set_numa_affinity_policy', self_, value))

    async def call_extension(self, host: HostRef, call: str) -> AsyncTask[str]:
        """``Async.host.call_extension``: Call an API extension on this host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.host.call_extension', host, call))

class MessageAsyncTasks:
    """The ``Async.message.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def destroy_many(self, messages: list[MessageRef]) -> AsyncTask[None]:
        """``Async.message.destroy_many``: ``message.destroy_many``"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.message.destroy_many', messages))

class NetworkAsyncTasks:
    """The ``Async.network.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create_new_blob(self, network: NetworkRef, name: str, mime_type: str, public: bool) -> AsyncTask[BlobRef]:
        """``Async.network.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.network.create_new_blob', network, name, mime_type, public))

    async def set_default_locking_mode(self, network: NetworkRef, value: NetworkDefaultLockingMode) -> AsyncTask[None]:
        """``Async.network.set_default_locking_mode``: Set the default locking mode for VIFs attached to this network"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.network.set_default_locking_mode', network, value))

    async def add_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> AsyncTask[None]:
        """``Async.network.add_purpose``: Give a network a new purpose (if not present already)"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.network.add_purpose', self_, value))

    async def remove_purpose(self, self_: NetworkRef, value: NetworkPurpose) -> AsyncTask[None]:
        """``Async.network.remove_purpose``: Remove a purpose from a network (if present)"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.network.remove_purpose', self_, value))

class PBDAsyncTasks:
    """The ``Async.PBD.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def plug(self, self_: PBDRef) -> AsyncTask[None]:
        """``Async.PBD.plug``: Activate the specified PBD, causing the referenced SR to be attached and scanned"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PBD.plug', self_))

    async def unplug(self, self_: PBDRef) -> AsyncTask[None]:
        """``Async.PBD.unplug``: Deactivate the specified PBD, causing the referenced SR to be detached and nolonger scanned"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PBD.unplug', self_))

    async def set_device_config(self, self_: PBDRef, value: dict[str, str]) -> AsyncTask[None]:
        """``Async.PBD.set_device_config``: Sets the PBD's device_config field"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PBD.set_device_config', self_, value))

class PIFAsyncTasks:
    """The ``Async.PIF.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def destroy(self, self_: PIFRef) -> AsyncTask[None]:
        """``Async.PIF.destroy``: Destroy the PIF object (provided it is a VLAN interface). This call is deprecated: use VLAN.destroy or Bond.destroy instead"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PIF.destroy', self_))

    async def forget(self, self_: PIFRef) -> AsyncTask[None]:
        """``Async.PIF.forget``: Destroy the PIF object matching a particular network interface"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PIF.forget', self_))

    async def db_forget(self, self_: PIFRef) -> AsyncTask[None]:
        """``Async.PIF.db_forget``: Destroy a PIF database record."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PIF.db_forget', self_))

    async def set_disallow_unplug(self, self_: PIFRef, value: bool) -> AsyncTask[None]:
        """``Async.PIF.set_disallow_unplug``: Set whether unplugging the PIF is allowed"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PIF.set_disallow_unplug', self_, value))

    async def set_primary_address_type(self, self_: PIFRef, primary_address_type: PrimaryAddressType) -> AsyncTask[None]:
        """``Async.PIF.set_primary_address_type``: Change the primary address type used by this PIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.PIF.set_primary_address_type', self_, primary_address_type))

class PoolAsyncTasks:
    """The ``Async.pool.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create_new_blob(self, pool: PoolRef, name: str, mime_type: str, public: bool) -> AsyncTask[BlobRef]:
        """``Async.pool.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.create_new_blob', pool, name, mime_type, public))

    async def set_https_only(self, self_: PoolRef, value: bool) -> AsyncTask[None]:
        """``Async.pool.set_https_only``: updates all the host firewalls in the pool to open or close port 80 depending on the value"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.set_https_only', self_, value))

    async def apply_edition(self, self_: PoolRef, edition: str) -> AsyncTask[None]:
        """``Async.pool.apply_edition``: Apply an edition to all hosts in the pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.apply_edition', self_, edition))

    async def get_license_state(self, self_: PoolRef) -> AsyncTask[dict[str, str]]:
        """``Async.pool.get_license_state``: This call returns the license state for the pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.get_license_state', self_))

    async def sync_database(self) -> AsyncTask[None]:
        """``Async.pool.sync_database``: Forcibly synchronise the database now"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.sync_database'))

    async def designate_new_master(self, host: HostRef) -> AsyncTask[None]:
        """``Async.pool.designate_new_master``: Perform an orderly handover of the role of master to the referenced host."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.designate_new_master', host))

    async def recover_slaves(self) -> AsyncTask[list[HostRef]]:
        """``Async.pool.recover_slaves``: Instruct a pool master, M, to try and contact its slaves and, if slaves are in emergency mode, reset their master address to M."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.recover_slaves'))

    async def has_extension(self, self_: PoolRef, name: str) -> AsyncTask[bool]:
        """``Async.pool.has_extension``: Return true if the extension is available on the pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.has_extension', self_, name))

    async def set_igmp_snooping_enabled(self, self_: PoolRef, value: bool) -> AsyncTask[None]:
        """``Async.pool.set_igmp_snooping_enabled``: Enable or disable IGMP Snooping on the pool."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.set_igmp_snooping_enabled', self_, value))

    async def set_vswitch_controller(self, address: str) -> AsyncTask[None]:
        """``Async.pool.set_vswitch_controller``: Set the IP address of the vswitch controller."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.set_vswitch_controller', address))

    async def add_to_guest_agent_config(self, self_: PoolRef, key: str, value: str) -> AsyncTask[None]:
        """``Async.pool.add_to_guest_agent_config``: Add a key-value pair to the pool-wide guest agent configuration"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.add_to_guest_agent_config', self_, key, value))

    async def join(self, master_address: str, master_username: str, master_password: str) -> AsyncTask[None]:
        """``Async.pool.join``: Instruct host to join a new pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.join', master_address, master_username, master_password))

    async def join_force(self, master_address: str, master_username: str, master_password: str) -> AsyncTask[None]:
        """``Async.pool.join_force``: Instruct host to join a new pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.join_force', master_address, master_username, master_password))

    async def eject(self, host: HostRef) -> AsyncTask[None]:
        """``Async.pool.eject``: Instruct a pool master to eject a host from the pool"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.eject', host))

    async def enable_ha(self, heartbeat_srs: list[SRRef], configuration: dict[str, str]) -> AsyncTask[None]:
        """``Async.pool.enable_ha``: Turn on High Availability mode"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.enable_ha', heartbeat_srs, configuration))

    async def disable_ha(self) -> AsyncTask[None]:
        """``Async.pool.disable_ha``: Turn off High Availability mode"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.disable_ha'))

    async def set_ha_host_failures_to_tolerate(self, self_: PoolRef, value: int) -> AsyncTask[None]:
        """``Async.pool.set_ha_host_failures_to_tolerate``: Set the maximum number of host failures to consider in the HA VM restart planner"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.set_ha_host_failures_to_tolerate', self_, value))

    async def remove_from_guest_agent_config(self, self_: PoolRef, key: str) -> AsyncTask[None]:
        """``Async.pool.remove_from_guest_agent_config``: Remove a key-value pair from the pool-wide guest agent configuration"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.remove_from_guest_agent_config', self_, key))

    async def set_telemetry_next_collection(self, self_: PoolRef, value: str) -> AsyncTask[None]:
        """``Async.pool.set_telemetry_next_collection``: Set the timestamp for the next telemetry data collection."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.set_telemetry_next_collection', self_, value))

    async def certificate_install(self, name: str, cert: str) -> AsyncTask[None]:
        """``Async.pool.certificate_install``: Install a TLS CA certificate, pool-wide."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.certificate_install', name, cert))

    async def install_ca_certificate(self, name: str, cert: str) -> AsyncTask[None]:
        """``Async.pool.install_ca_certificate``: Install a TLS CA certificate, pool-wide."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.install_ca_certificate', name, cert))

    async def uninstall_ca_certificate(self, name: str) -> AsyncTask[None]:
        """``Async.pool.uninstall_ca_certificate``: Remove a pool-wide TLS CA certificate."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.uninstall_ca_certificate', name))

    async def certificate_uninstall(self, name: str) -> AsyncTask[None]:
        """``Async.pool.certificate_uninstall``: Remove a pool-wide TLS CA certificate."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.certificate_uninstall', name))

    async def certificate_list(self) -> AsyncTask[list[str]]:
        """``Async.pool.certificate_list``: List the names of all installed TLS CA certificates."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.certificate_list'))

    async def crl_install(self, name: str, cert: str) -> AsyncTask[None]:
        """``Async.pool.crl_install``: Install a TLS CA-issued Certificate Revocation List, pool-wide."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.crl_install', name, cert))

    async def crl_uninstall(self, name: str) -> AsyncTask[None]:
        """``Async.pool.crl_uninstall``: Remove a pool-wide TLS CA-issued Certificate Revocation List."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.crl_uninstall', name))

    async def crl_list(self) -> AsyncTask[list[str]]:
        """``Async.pool.crl_list``: List the names of all installed TLS CA-issued Certificate Revocation Lists."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.crl_list'))

    async def certificate_sync(self) -> AsyncTask[None]:
        """``Async.pool.certificate_sync``: Copy the TLS CA certificates and CRLs of the master to all slaves."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.certificate_sync'))

    async def send_test_post(self, host: str, port: int, body: str) -> AsyncTask[str]:
        """``Async.pool.send_test_post``: Send the given body to the given host and port, using HTTPS, and print the response. This is used for debugging the SSL layer."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.pool.send_test_post', host, port, body))

class SessionAsyncTasks:
    """The ``Async.session.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_all_subject_identifiers(self) -> AsyncTask[list[str]]:
        """``Async.session.get_all_subject_identifiers``: Return a list of all the user subject-identifiers of all existing sessions"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.session.get_all_subject_identifiers'))

    async def logout_subject_identifier(self, subject_identifier: str) -> AsyncTask[None]:
        """``Async.session.logout_subject_identifier``: Log out all sessions associated to a user subject-identifier, except the session associated with the context calling this function"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.session.logout_subject_identifier', subject_identifier))

class SRAsyncTasks:
    """The ``Async.SR.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create_new_blob(self, sr: SRRef, name: str, mime_type: str, public: bool) -> AsyncTask[BlobRef]:
        """``Async.SR.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this SR"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.create_new_blob', sr, name, mime_type, public))

    async def scan(self, sr: SRRef) -> AsyncTask[None]:
        """``Async.SR.scan``: Refreshes the list of VDIs associated with an SR"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.scan', sr))

    async def set_name_label(self, sr: SRRef, value: str) -> AsyncTask[None]:
        """``Async.SR.set_name_label``: Set the name label of the SR"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.set_name_label', sr, value))

    async def set_name_description(self, sr: SRRef, value: str) -> AsyncTask[None]:
        """``Async.SR.set_name_description``: Set the name description of the SR"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.set_name_description', sr, value))

    async def set_shared(self, sr: SRRef, value: bool) -> AsyncTask[None]:
        """``Async.SR.set_shared``: Sets the shared flag on the SR"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.set_shared', sr, value))

    async def create(self, host: HostRef, device_config: dict[str, str], physical_size: int, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> AsyncTask[SRRef]:
        """``Async.SR.create``: Create a new Storage Repository and introduce it into the managed system, creating both SR record and PBD record to attach it to current host (with specified device_config parameters)"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.create', host, device_config, physical_size, name_label, name_description, type, content_type, shared, sm_config))

    async def introduce(self, uuid: str, name_label: str, name_description: str, type: str, content_type: str, shared: bool, sm_config: dict[str, str]) -> AsyncTask[SRRef]:
        """``Async.SR.introduce``: Introduce a new Storage Repository into the managed system"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.introduce', uuid, name_label, name_description, type, content_type, shared, sm_config))

    async def forget(self, sr: SRRef) -> AsyncTask[None]:
        """``Async.SR.forget``: Removing specified SR-record from database, without attempting to remove SR from disk"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.forget', sr))

    async def destroy(self, sr: SRRef) -> AsyncTask[None]:
        """``Async.SR.destroy``: Destroy specified SR, removing SR-record from database and remove SR from disk. (In order to affect this operation the appropriate device_config is read from the specified SR's PBD on current host)"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.destroy', sr))

    async def update(self, sr: SRRef) -> AsyncTask[None]:
        """``Async.SR.update``: Refresh the fields on the SR object"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.SR.update', sr))

class VBDAsyncTasks:
    """The ``Async.VBD.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def plug(self, self_: VBDRef) -> AsyncTask[None]:
        """``Async.VBD.plug``: Hotplug the specified VBD, dynamically attaching it to the running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.plug', self_))

    async def unplug(self, self_: VBDRef) -> AsyncTask[None]:
        """``Async.VBD.unplug``: Hot-unplug the specified VBD, dynamically unattaching it from the running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.unplug', self_))

    async def unplug_force(self, self_: VBDRef) -> AsyncTask[None]:
        """``Async.VBD.unplug_force``: Forcibly unplug the specified VBD"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.unplug_force', self_))

    async def insert(self, vbd: VBDRef, vdi: VDIRef) -> AsyncTask[None]:
        """``Async.VBD.insert``: Insert new media into the device"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.insert', vbd, vdi))

    async def eject(self, vbd: VBDRef) -> AsyncTask[None]:
        """``Async.VBD.eject``: Remove the media from the device and leave it empty"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.eject', vbd))

    async def set_mode(self, self_: VBDRef, value: VbdMode) -> AsyncTask[None]:
        """``Async.VBD.set_mode``: Sets the mode of the VBD. The power_state of the VM must be halted."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.set_mode', self_, value))

    async def assert_attachable(self, self_: VBDRef) -> AsyncTask[None]:
        """``Async.VBD.assert_attachable``: Throws an error if this VBD could not be attached to this VM if the VM were running. Intended for debugging."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VBD.assert_attachable', self_))

class VDIAsyncTasks:
    """The ``Async.VDI.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def resize(self, vdi: VDIRef, size: int) -> AsyncTask[None]:
        """``Async.VDI.resize``: Resize the VDI."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.resize', vdi, size))

    async def clone(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> AsyncTask[VDIRef]:
        """``Async.VDI.clone``: Take an exact copy of the VDI and return a reference to the new disk. If any driver_params are specified then these are passed through to the storage-specific substrate driver that implements the clone operation. NB the clone lives in the same Storage Repository as its parent."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.clone', vdi, driver_params))

    async def snapshot(self, vdi: VDIRef, driver_params: dict[str, str] = {}) -> AsyncTask[VDIRef]:
        """``Async.VDI.snapshot``: Take a read-only snapshot of the VDI, returning a reference to the snapshot. If any driver_params are specified then these are passed through to the storage-specific substrate driver that takes the snapshot. NB the snapshot lives in the same Storage Repository as its parent."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.snapshot', vdi, driver_params))

    async def set_name_label(self, self_: VDIRef, value: str) -> AsyncTask[None]:
        """``Async.VDI.set_name_label``: Set the name label of the VDI. This can only happen when then its SR is currently attached."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.set_name_label', self_, value))

    async def set_name_description(self, self_: VDIRef, value: str) -> AsyncTask[None]:
        """``Async.VDI.set_name_description``: Set the name description of the VDI. This can only happen when its SR is currently attached."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.set_name_description', self_, value))

    async def set_allow_caching(self, self_: VDIRef, value: bool) -> AsyncTask[None]:
        """``Async.VDI.set_allow_caching``: Set the value of the allow_caching parameter. This value can only be changed when the VDI is not attached to a running VM. The caching behaviour is only affected by this flag for VHD-based VDIs that have one parent and no child VHDs. Moreover, caching only takes place when the host running the VM containing this VDI has a nominated SR for local caching."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.set_allow_caching', self_, value))

    async def forget(self, vdi: VDIRef) -> AsyncTask[None]:
        """``Async.VDI.forget``: Removes a VDI record from the database"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.forget', vdi))

    async def update(self, vdi: VDIRef) -> AsyncTask[None]:
        """``Async.VDI.update``: Ask the storage backend to refresh the fields in the VDI object"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.update', vdi))

    async def copy(self, vdi: VDIRef, sr: SRRef, base_vdi: VDIRef, into_vdi: VDIRef) -> AsyncTask[VDIRef]:
        """``Async.VDI.copy``: Copy either a full VDI or the block differences between two VDIs into either a fresh VDI or an existing VDI."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.copy', vdi, sr, base_vdi, into_vdi))

    async def introduce(self, uuid: str, name_label: str, name_description: str, SR: SRRef, type: VdiType, sharable: bool, read_only: bool, other_config: dict[str, str], location: str, xenstore_data: dict[str, str], sm_config: dict[str, str], managed: bool, virtual_size: int, physical_utilisation: int, metadata_of_pool: PoolRef, is_a_snapshot: bool, snapshot_time: str, snapshot_of: VDIRef) -> AsyncTask[VDIRef]:
        """``Async.VDI.introduce``: Create a new VDI record in the database only"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.introduce', uuid, name_label, name_description, SR, type, sharable, read_only, other_config, location, xenstore_data, sm_config, managed, virtual_size, physical_utilisation, metadata_of_pool, is_a_snapshot, snapshot_time, snapshot_of))

    async def enable_cbt(self, self_: VDIRef) -> AsyncTask[None]:
        """``Async.VDI.enable_cbt``: Enable changed block tracking for the VDI. This call is idempotent - enabling CBT for a VDI for which CBT is already enabled results in a no-op, and no error will be thrown."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.enable_cbt', self_))

    async def disable_cbt(self, self_: VDIRef) -> AsyncTask[None]:
        """``Async.VDI.disable_cbt``: Disable changed block tracking for the VDI. This call is only allowed on VDIs that support enabling CBT. It is an idempotent operation - disabling CBT for a VDI for which CBT is not enabled results in a no-op, and no error will be thrown."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.disable_cbt', self_))

    async def data_destroy(self, self_: VDIRef) -> AsyncTask[None]:
        """``Async.VDI.data_destroy``: Delete the data of the snapshot VDI, but keep its changed block tracking metadata. When successful, this call changes the type of the VDI to cbt_metadata. This operation is idempotent: calling it on a VDI of type cbt_metadata results in a no-op, and no error will be thrown."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.data_destroy', self_))

    async def list_changed_blocks(self, vdi_from: VDIRef, vdi_to: VDIRef) -> AsyncTask[str]:
        """``Async.VDI.list_changed_blocks``: Compare two VDIs in 64k block increments and report which blocks differ. This operation is not allowed when vdi_to is attached to a VM."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.list_changed_blocks', vdi_from, vdi_to))

    async def set_on_boot(self, self_: VDIRef, value: OnBoot) -> AsyncTask[None]:
        """``Async.VDI.set_on_boot``: Set the value of the on_boot parameter. This value can only be changed when the VDI is not attached to a running VM."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.set_on_boot', self_, value))

    async def resize_online(self, vdi: VDIRef, size: int) -> AsyncTask[None]:
        """``Async.VDI.resize_online``: Resize the VDI which may or may not be attached to running guests."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VDI.resize_online', vdi, size))

class VIFAsyncTasks:
    """The ``Async.VIF.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def plug(self, self_: VIFRef) -> AsyncTask[None]:
        """``Async.VIF.plug``: Hotplug the specified VIF, dynamically attaching it to the running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.plug', self_))

    async def unplug(self, self_: VIFRef) -> AsyncTask[None]:
        """``Async.VIF.unplug``: Hot-unplug the specified VIF, dynamically unattaching it from the running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.unplug', self_))

    async def unplug_force(self, self_: VIFRef) -> AsyncTask[None]:
        """``Async.VIF.unplug_force``: Forcibly unplug the specified VIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.unplug_force', self_))

    async def configure_ipv4(self, self_: VIFRef, mode: VifIpv4ConfigurationMode, address: str, gateway: str) -> AsyncTask[None]:
        """``Async.VIF.configure_ipv4``: Configure IPv4 settings for this virtual interface"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.configure_ipv4', self_, mode, address, gateway))

    async def configure_ipv6(self, self_: VIFRef, mode: VifIpv6ConfigurationMode, address: str, gateway: str) -> AsyncTask[None]:
        """``Async.VIF.configure_ipv6``: Configure IPv6 settings for this virtual interface"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.configure_ipv6', self_, mode, address, gateway))

    async def set_locking_mode(self, self_: VIFRef, value: VifLockingMode) -> AsyncTask[None]:
        """``Async.VIF.set_locking_mode``: Set the locking mode for this VIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.set_locking_mode', self_, value))

    async def set_ipv4_allowed(self, self_: VIFRef, value: list[str]) -> AsyncTask[None]:
        """``Async.VIF.set_ipv4_allowed``: Set the IPv4 addresses to which traffic on this VIF can be restricted"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.set_ipv4_allowed', self_, value))

    async def add_ipv4_allowed(self, self_: VIFRef, value: str) -> AsyncTask[None]:
        """``Async.VIF.add_ipv4_allowed``: Associates an IPv4 address with this VIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.add_ipv4_allowed', self_, value))

    async def remove_ipv4_allowed(self, self_: VIFRef, value: str) -> AsyncTask[None]:
        """``Async.VIF.remove_ipv4_allowed``: Removes an IPv4 address from this VIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.remove_ipv4_allowed', self_, value))

    async def set_ipv6_allowed(self, self_: VIFRef, value: list[str]) -> AsyncTask[None]:
        """``Async.VIF.set_ipv6_allowed``: Set the IPv6 addresses to which traffic on this VIF can be restricted"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.set_ipv6_allowed', self_, value))

    async def add_ipv6_allowed(self, self_: VIFRef, value: str) -> AsyncTask[None]:
        """``Async.VIF.add_ipv6_allowed``: Associates an IPv6 address with this VIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.add_ipv6_allowed', self_, value))

    async def remove_ipv6_allowed(self, self_: VIFRef, value: str) -> AsyncTask[None]:
        """``Async.VIF.remove_ipv6_allowed``: Removes an IPv6 address from this VIF"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.remove_ipv6_allowed', self_, value))

    async def move(self, self_: VIFRef, network: NetworkRef) -> AsyncTask[None]:
        """``Async.VIF.move``: Move the specified VIF to the specified network, even while the VM is running"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VIF.move', self_, network))

class VMAsyncTasks:
    """The ``Async.VM.*`` forms: each returns a task handle at once."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create_new_blob(self, vm: VMRef, name: str, mime_type: str, public: bool) -> AsyncTask[BlobRef]:
        """``Async.VM.create_new_blob``: Create a placeholder for a named binary blob of data that is associated with this VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.create_new_blob', vm, name, mime_type, public))

    async def start(self, vm: VMRef, start_paused: bool, force: bool) -> AsyncTask[None]:
        """``Async.VM.start``: Start the specified VM. This function can only be called with the VM is in the Halted State."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.start', vm, start_paused, force))

    async def start_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> AsyncTask[None]:
        """``Async.VM.start_on``: Start the specified VM on a particular host. This function can only be called with the VM is in the Halted State."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.start_on', vm, host, start_paused, force))

    async def pause(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.pause``: Pause the specified VM. This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.pause', vm))

    async def unpause(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.unpause``: Resume the specified VM. This can only be called when the specified VM is in the Paused state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.unpause', vm))

    async def clean_shutdown(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.clean_shutdown``: Attempt to cleanly shutdown the specified VM. (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.clean_shutdown', vm))

    async def hard_shutdown(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.hard_shutdown``: Stop executing the specified VM without attempting a clean shutdown."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.hard_shutdown', vm))

    async def shutdown(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.shutdown``: Attempts to first clean shutdown a VM and if it should fail then perform a hard shutdown on it."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.shutdown', vm))

    async def clean_reboot(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.clean_reboot``: Attempt to cleanly shutdown the specified VM (Note: this may not be supported---e.g. if a guest agent is not installed). This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.clean_reboot', vm))

    async def hard_reboot(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.hard_reboot``: Stop executing the specified VM without attempting a clean shutdown and immediately restart the VM."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.hard_reboot', vm))

    async def suspend(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.suspend``: Suspend the specified VM to disk. This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.suspend', vm))

    async def resume(self, vm: VMRef, start_paused: bool, force: bool) -> AsyncTask[None]:
        """``Async.VM.resume``: Awaken the specified VM and resume it. This can only be called when the specified VM is in the Suspended state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.resume', vm, start_paused, force))

    async def resume_on(self, vm: VMRef, host: HostRef, start_paused: bool, force: bool) -> AsyncTask[None]:
        """``Async.VM.resume_on``: Awaken the specified VM and resume it on a particular Host. This can only be called when the specified VM is in the Suspended state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.resume_on', vm, host, start_paused, force))

    async def provision(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.provision``: Inspects the disk configuration contained within the VM's other_config, creates VDIs and VBDs and then executes any applicable post-install script."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.provision', vm))

    async def copy(self, vm: VMRef, new_name: str, sr: SRRef) -> AsyncTask[VMRef]:
        """``Async.VM.copy``: Copied the specified VM, making a new VM. Unlike clone, copy does not exploits the capabilities of the underlying storage repository in which the VM's disk images are stored. Instead, copy guarantees that the disk images of the newly created VM will be 'full disks' - i.e. not part of a CoW chain. This function can only be called when the VM is in the Halted State."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.copy', vm, new_name, sr))

    async def snapshot(self, vm: VMRef, new_name: str, ignore_vdis: list[VDIRef] = []) -> AsyncTask[VMRef]:
        """``Async.VM.snapshot``: Snapshots the specified VM, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.snapshot', vm, new_name, ignore_vdis))

    async def revert(self, snapshot: VMRef) -> AsyncTask[None]:
        """``Async.VM.revert``: Reverts the specified VM to a previous state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.revert', snapshot))

    async def power_state_reset(self, vm: VMRef) -> AsyncTask[None]:
        """``Async.VM.power_state_reset``: Reset the power-state of the VM to halted in the database only. (Used to recover from slave failures in pooling scenarios by resetting the power-states of VMs running on dead slaves to halted.) This is a potentially dangerous operation; use with care."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.power_state_reset', vm))

    async def clone(self, vm: VMRef, new_name: str) -> AsyncTask[VMRef]:
        """``Async.VM.clone``: Clones the specified VM, making a new VM. Clone automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write). This function can only be called when the VM is in the Halted State."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.clone', vm, new_name))

    async def get_boot_record(self, self_: VMRef) -> AsyncTask[VMRecord]:
        """``Async.VM.get_boot_record``: Returns a record describing the VM's dynamic state, initialised when the VM boots and updated to reflect runtime configuration changes e.g. CPU hotplug"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.get_boot_record', self_))

    async def assert_operation_valid(self, self_: VMRef, op: VmOperations) -> AsyncTask[None]:
        """``Async.VM.assert_operation_valid``: Check to see whether this operation is acceptable in the current state of the system, raising an error if the operation is invalid for some reason"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.assert_operation_valid', self_, op))

    async def update_allowed_operations(self, self_: VMRef) -> AsyncTask[None]:
        """``Async.VM.update_allowed_operations``: Recomputes the list of acceptable operations"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.update_allowed_operations', self_))

    async def assert_can_boot_here(self, self_: VMRef, host: HostRef) -> AsyncTask[None]:
        """``Async.VM.assert_can_boot_here``: Returns an error if the VM could not boot on this host for some reason"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.assert_can_boot_here', self_, host))

    async def get_possible_hosts(self, vm: VMRef) -> AsyncTask[list[HostRef]]:
        """``Async.VM.get_possible_hosts``: Return the list of hosts on which this VM may run."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.get_possible_hosts', vm))

    async def get_cooperative(self, self_: VMRef) -> AsyncTask[bool]:
        """``Async.VM.get_cooperative``: Return true if the VM is currently 'co-operative' i.e. is expected to reach a balloon target and actually has done"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.get_cooperative', self_))

    async def set_start_delay(self, self_: VMRef, value: int) -> AsyncTask[None]:
        """``Async.VM.set_start_delay``: Set this VM's start delay in seconds"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_start_delay', self_, value))

    async def set_shutdown_delay(self, self_: VMRef, value: int) -> AsyncTask[None]:
        """``Async.VM.set_shutdown_delay``: Set this VM's shutdown delay in seconds"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_shutdown_delay', self_, value))

    async def set_ha_restart_priority(self, self_: VMRef, value: str) -> AsyncTask[None]:
        """``Async.VM.set_ha_restart_priority``: Set the value of the ha_restart_priority field"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_ha_restart_priority', self_, value))

    async def set_order(self, self_: VMRef, value: int) -> AsyncTask[None]:
        """``Async.VM.set_order``: Set this VM's boot order"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_order', self_, value))

    async def set_bios_strings(self, self_: VMRef, value: dict[str, str]) -> AsyncTask[None]:
        """``Async.VM.set_bios_strings``: Set custom BIOS strings to this VM. VM will be given a default set of BIOS strings, only some of which can be overridden by the supplied values. Allowed keys are: 'bios-vendor', 'bios-version', 'system-manufacturer', 'system-product-name', 'system-version', 'system-serial-number', 'enclosure-asset-tag', 'baseboard-manufacturer', 'baseboard-product-name', 'baseboard-version', 'baseboard-serial-number', 'baseboard-asset-tag', 'baseboard-location-in-chassis', 'enclosure-asset-tag'"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_bios_strings', self_, value))

    async def copy_bios_strings(self, vm: VMRef, host: HostRef) -> AsyncTask[None]:
        """``Async.VM.copy_bios_strings``: Copy the BIOS strings from the given host to this VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.copy_bios_strings', vm, host))

    async def set_has_vendor_device(self, self_: VMRef, value: bool) -> AsyncTask[None]:
        """``Async.VM.set_has_vendor_device``: Controls whether, when the VM starts in HVM mode, its virtual hardware will include the emulated PCI device for which drivers may be available through Windows Update. Usually this should never be changed on a VM on which Windows has been installed: changing it on such a VM is likely to lead to a crash on next start."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_has_vendor_device', self_, value))

    async def set_suspend_VDI(self, self_: VMRef, value: VDIRef) -> AsyncTask[None]:
        """``Async.VM.set_suspend_VDI``: Set this VM's suspend VDI, which must be indentical to its current one"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_suspend_VDI', self_, value))

    async def set_memory_target_live(self, self_: VMRef, target: int) -> AsyncTask[None]:
        """``Async.VM.set_memory_target_live``: Set the memory target for a running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_memory_target_live', self_, target))

    async def send_sysrq(self, vm: VMRef, key: str) -> AsyncTask[None]:
        """``Async.VM.send_sysrq``: Send the given key as a sysrq to this VM. The key is specified as a single character (a String of length 1). This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.send_sysrq', vm, key))

    async def send_trigger(self, vm: VMRef, trigger: str) -> AsyncTask[None]:
        """``Async.VM.send_trigger``: Send the named trigger to this VM. This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.send_trigger', vm, trigger))

    async def add_to_VCPUs_params_live(self, self_: VMRef, key: str, value: str) -> AsyncTask[None]:
        """``Async.VM.add_to_VCPUs_params_live``: Add the given key-value pair to VM.VCPUs_params, and apply that value on the running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.add_to_VCPUs_params_live', self_, key, value))

    async def query_services(self, self_: VMRef) -> AsyncTask[dict[str, str]]:
        """``Async.VM.query_services``: Query the system services advertised by this VM and register them. This can only be applied to a system domain."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.query_services', self_))

    async def set_VCPUs_number_live(self, self_: VMRef, nvcpu: int) -> AsyncTask[None]:
        """``Async.VM.set_VCPUs_number_live``: Set the number of VCPUs for a running VM"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.set_VCPUs_number_live', self_, nvcpu))

    async def assert_agile(self, self_: VMRef) -> AsyncTask[None]:
        """``Async.VM.assert_agile``: Returns an error if the VM is not considered agile e.g. because it is tied to a resource local to a host"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.assert_agile', self_))

    async def compute_memory_overhead(self, vm: VMRef) -> AsyncTask[int]:
        """``Async.VM.compute_memory_overhead``: Computes the virtualization memory overhead of a VM."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.compute_memory_overhead', vm))

    async def maximise_memory(self, self_: VMRef, total: int, approximate: bool) -> AsyncTask[int]:
        """``Async.VM.maximise_memory``: Returns the maximum amount of guest memory which will fit, together with overheads, in the supplied amount of physical memory. If 'exact' is true then an exact calculation is performed using the VM's current settings. If 'exact' is false then a more conservative approximation is used"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.maximise_memory', self_, total, approximate))

    async def checkpoint(self, vm: VMRef, new_name: str) -> AsyncTask[VMRef]:
        """``Async.VM.checkpoint``: Checkpoints the specified VM, making a new VM. Checkpoint automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write) and saves the memory image as well."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.checkpoint', vm, new_name))

    async def wait_memory_target_live(self, self_: VMRef) -> AsyncTask[None]:
        """``Async.VM.wait_memory_target_live``: Wait for a running VM to reach its current memory target"""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.wait_memory_target_live', self_))

    async def snapshot_with_quiesce(self, vm: VMRef, new_name: str) -> AsyncTask[VMRef]:
        """``Async.VM.snapshot_with_quiesce``: Snapshots the specified VM with quiesce, making a new VM. Snapshot automatically exploits the capabilities of the underlying storage repository in which the VM's disk images are stored (e.g. Copy on Write)."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.snapshot_with_quiesce', vm, new_name))

    async def pool_migrate(self, vm: VMRef, host: HostRef, options: dict[str, str]) -> AsyncTask[None]:
        """``Async.VM.pool_migrate``: Migrate a VM to another Host."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.pool_migrate', vm, host, options))

    async def migrate_send(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> AsyncTask[VMRef]:
        """``Async.VM.migrate_send``: Migrate the VM to another host.  This can only be called when the specified VM is in the Running state."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.migrate_send', vm, dest, live, vdi_map, vif_map, options, vgpu_map))

    async def assert_can_migrate(self, vm: VMRef, dest: dict[str, str], live: bool, vdi_map: dict[VDIRef, SRRef], vif_map: dict[VIFRef, NetworkRef], options: dict[str, str], vgpu_map: dict[str, str]) -> AsyncTask[None]:
        """``Async.VM.assert_can_migrate``: Assert whether a VM can be migrated to the specified destination."""
        return AsyncTask(self._session, await self._session.call_with_session('Async.VM.assert_can_migrate', vm, dest, live, vdi_map, vif_map, options, vgpu_map))


class TypedAsyncForms:
    """``client.Async.<Class>.<message>(...)``: the calls that return a task."""

    def __init__(self, session: Session) -> None:
        self.host = HostTasks(session)
        self.message = MessageTasks(session)
        self.network = NetworkTasks(session)
        self.PBD = PBDTasks(session)
        self.PIF = PIFTasks(session)
        self.pool = PoolTasks(session)
        self.session = SessionTasks(session)
        self.SR = SRTasks(session)
        self.VBD = VBDTasks(session)
        self.VDI = VDITasks(session)
        self.VIF = VIFTasks(session)
        self.VM = VMTasks(session)


class TypedClient:
    """Every XenAPI class of xenia as a typed attribute, over a logged-in Session."""

    def __init__(self, session: Session) -> None:
        self.connection = session
        call = session.call_with_session
        self.blob = BlobApi(call)
        self.console = ConsoleApi(call)
        self.data_source = DataSourceApi(call)
        self.event = EventApi(call)
        self.host = HostApi(call)
        self.host_cpu = HostCpuApi(call)
        self.host_metrics = HostMetricsApi(call)
        self.message = MessageApi(call)
        self.network = NetworkApi(call)
        self.PBD = PBDApi(call)
        self.PIF = PIFApi(call)
        self.pool = PoolApi(call)
        self.role = RoleApi(call)
        self.session = SessionApi(call)
        self.SM = SMApi(call)
        self.SR = SRApi(call)
        self.task = TaskApi(call)
        self.user = UserApi(call)
        self.VBD = VBDApi(call)
        self.VBD_metrics = VBDMetricsApi(call)
        self.VDI = VDIApi(call)
        self.VIF = VIFApi(call)
        self.VM = VMApi(call)
        self.VM_guest_metrics = VMGuestMetricsApi(call)
        self.VM_metrics = VMMetricsApi(call)
        self.Async = TypedAsyncForms(session)


class AsyncTypedAsyncForms:
    """``client.Async.<Class>.<message>(...)``: the calls that return a task."""

    def __init__(self, session: AsyncSession) -> None:
        self.host = HostAsyncTasks(session)
        self.message = MessageAsyncTasks(session)
        self.network = NetworkAsyncTasks(session)
        self.PBD = PBDAsyncTasks(session)
        self.PIF = PIFAsyncTasks(session)
        self.pool = PoolAsyncTasks(session)
        self.session = SessionAsyncTasks(session)
        self.SR = SRAsyncTasks(session)
        self.VBD = VBDAsyncTasks(session)
        self.VDI = VDIAsyncTasks(session)
        self.VIF = VIFAsyncTasks(session)
        self.VM = VMAsyncTasks(session)


class AsyncTypedClient:
    """Every XenAPI class of xenia as a typed attribute, over a logged-in AsyncSession."""

    def __init__(self, session: AsyncSession) -> None:
        self.connection = session
        call = session.call_with_session
        self.blob = BlobAsyncApi(call)
        self.console = ConsoleAsyncApi(call)
        self.data_source = DataSourceAsyncApi(call)
        self.event = EventAsyncApi(call)
        self.host = HostAsyncApi(call)
        self.host_cpu = HostCpuAsyncApi(call)
        self.host_metrics = HostMetricsAsyncApi(call)
        self.message = MessageAsyncApi(call)
        self.network = NetworkAsyncApi(call)
        self.PBD = PBDAsyncApi(call)
        self.PIF = PIFAsyncApi(call)
        self.pool = PoolAsyncApi(call)
        self.role = RoleAsyncApi(call)
        self.session = SessionAsyncApi(call)
        self.SM = SMAsyncApi(call)
        self.SR = SRAsyncApi(call)
        self.task = TaskAsyncApi(call)
        self.user = UserAsyncApi(call)
        self.VBD = VBDAsyncApi(call)
        self.VBD_metrics = VBDMetricsAsyncApi(call)
        self.VDI = VDIAsyncApi(call)
        self.VIF = VIFAsyncApi(call)
        self.VM = VMAsyncApi(call)
        self.VM_guest_metrics = VMGuestMetricsAsyncApi(call)
        self.VM_metrics = VMMetricsAsyncApi(call)
        self.Async = AsyncTypedAsyncForms(session)
