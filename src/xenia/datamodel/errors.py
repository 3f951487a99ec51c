"""The wire errors xenia sends: code and ordered parameter names, as xapi declares them.

Every error leaves the server as ``[CODE, param...]`` with every element a
string.  :class:`ApiError` is the one exception type that carries such an error
through the code; anything else that escapes a handler becomes INTERNAL_ERROR.
"""

from __future__ import annotations

from xenia.datamodel.meta import ErrorDef


def _e(code: str, *params: str, doc: str = "") -> ErrorDef:
    return ErrorDef(code, tuple(params), doc)


ERRORS: dict[str, ErrorDef] = {
    e.code: e
    for e in (
        # protocol, session, generic
        _e("MESSAGE_METHOD_UNKNOWN", "method"),
        _e("MESSAGE_PARAMETER_COUNT_MISMATCH", "method", "expected", "received"),
        _e("MESSAGE_REMOVED"),
        _e("NOT_IMPLEMENTED", "function"),
        _e("INTERNAL_ERROR", "message"),
        _e("HANDLE_INVALID", "class", "handle"),
        _e("UUID_INVALID", "type", "uuid"),
        _e("SESSION_INVALID", "handle"),
        _e("SESSION_AUTHENTICATION_FAILED"),
        _e("SESSION_NOT_REGISTERED", "handle"),
        _e("PERMISSION_DENIED", "message"),
        _e("RBAC_PERMISSION_DENIED", "permission", "message"),
        _e("FIELD_TYPE_ERROR", "field"),
        _e("INVALID_VALUE", "field", "value"),
        _e("VALUE_NOT_SUPPORTED", "field", "value", "reason"),
        _e("MAP_DUPLICATE_KEY", "type", "param_name", "uuid", "key"),
        _e("OPERATION_NOT_ALLOWED", "reason"),
        _e("CANNOT_RESET_CONTROL_DOMAIN", "vm"),
        _e("OPERATION_BLOCKED", "ref", "code"),
        _e("OTHER_OPERATION_IN_PROGRESS", "class", "object", "operation_type", "operation_ref"),
        _e("LICENCE_RESTRICTION", "feature"),
        _e("INVALID_EDITION", "edition"),
        _e("XENAPI_MISSING_PLUGIN", "name"),
        _e("XENAPI_PLUGIN_FAILURE", "status", "stdout", "stderr"),
        # host.install_server_certificate (xapi's gencert checks, in its order)
        _e("SERVER_CERTIFICATE_KEY_INVALID"),
        _e("SERVER_CERTIFICATE_KEY_ALGORITHM_NOT_SUPPORTED", "algorithm_oid"),
        _e("SERVER_CERTIFICATE_KEY_RSA_LENGTH_NOT_SUPPORTED", "length"),
        _e("SERVER_CERTIFICATE_INVALID"),
        _e("SERVER_CERTIFICATE_NOT_VALID_YET", "now", "not_before"),
        _e("SERVER_CERTIFICATE_EXPIRED", "now", "not_after"),
        _e("SERVER_CERTIFICATE_KEY_MISMATCH"),
        _e("SERVER_CERTIFICATE_SIGNATURE_NOT_SUPPORTED"),
        _e("SERVER_CERTIFICATE_CHAIN_INVALID"),
        # pool.certificate_*/crl_* (xapi's certificates.ml): the trusted CA certificates and CRLs
        _e("CA_CERTIFICATE_INVALID"),
        _e("CA_CERTIFICATE_NOT_VALID_YET", "now", "not_before"),
        _e("CA_CERTIFICATE_EXPIRED", "now", "not_after"),
        _e("CERTIFICATE_NAME_INVALID", "name"),
        _e("CERTIFICATE_ALREADY_EXISTS", "name"),
        _e("CERTIFICATE_DOES_NOT_EXIST", "name"),
        _e("CERTIFICATE_CORRUPT", "name"),
        _e("CERTIFICATE_LIBRARY_CORRUPT"),
        _e("CRL_NAME_INVALID", "name"),
        _e("CRL_ALREADY_EXISTS", "name"),
        _e("CRL_DOES_NOT_EXIST", "name"),
        _e("CRL_CORRUPT", "name"),
        _e("LICENSE_PROCESSING_ERROR"),
        _e("TELEMETRY_NEXT_COLLECTION_TOO_LATE", "timestamp"),
        _e("WLB_TIMEOUT", "configured_timeout"),
        _e("SSL_VERIFY_ERROR", "reason"),
        _e("TASK_CANCELLED", "task"),
        _e("EVENTS_LOST"),
        _e("EVENT_SUBSCRIPTION_PARSE_FAILURE", "subscription"),
        _e("EVENT_FROM_TOKEN_PARSE_FAILURE", "token"),
        _e("OBJECT_NOLONGER_EXISTS"),
        _e("USER_IS_NOT_LOCAL_SUPERUSER", "msg"),
        _e("HOST_IS_SLAVE", "master"),
        # VM and resources
        _e("VM_BAD_POWER_STATE", "vm", "expected", "actual"),
        _e("VM_IS_TEMPLATE", "vm"),
        _e("VM_IS_SNAPSHOT", "vm"),
        _e("VM_HVM_REQUIRED", "vm"),
        _e("VM_MISSING_PV_DRIVERS", "vm"),
        _e("HOST_NOT_ENOUGH_FREE_MEMORY", "needed", "available"),
        _e("NO_HOSTS_AVAILABLE"),
        _e("BOOTLOADER_FAILED", "vm", "msg"),
        _e("UNKNOWN_BOOTLOADER", "vm", "bootloader"),
        _e("SR_FULL", "requested", "maximum"),
        _e("SR_HAS_PBD", "sr"),
        _e("SR_OPERATION_NOT_SUPPORTED", "sr"),
        _e("VDI_IN_USE", "vdi", "operation"),
        _e("VDI_READONLY", "vdi"),
        _e("VBD_NOT_EMPTY", "vbd"),
        _e("VBD_IS_EMPTY", "vbd"),
        _e("VBD_NOT_REMOVABLE_MEDIA", "vbd"),
        _e("DEVICE_ALREADY_ATTACHED", "device"),
        _e("DEVICE_ALREADY_DETACHED", "device"),
        _e("CANNOT_DESTROY_SYSTEM_NETWORK", "network"),
        _e("VIF_IN_USE", "network", "VIF"),
        _e("VM_CANNOT_DELETE_DEFAULT_TEMPLATE", "vm"),
        _e("HOST_OFFLINE", "host"),
        _e("VM_REVERT_FAILED", "vm", "snapshot"),
        _e("VM_MIGRATE_FAILED", "vm", "source", "destination", "msg"),
        _e("VM_MIGRATE_CONTACT_REMOTE_SERVICE_FAILED"),
        _e("VDI_NOT_IN_MAP", "vdi"),
        _e("VIF_NOT_IN_MAP", "vif"),
        _e("DEVICE_DETACH_REJECTED", "type", "ref", "msg"),
        _e("VBD_NOT_UNPLUGGABLE", "vbd"),
        _e("VM_SHUTDOWN_TIMEOUT", "vm", "timeout"),
        _e("VM_FAILED_SHUTDOWN_ACKNOWLEDGMENT", "vm"),
        _e("VM_CRASHED", "vm"),
        _e("PROVISION_ONLY_ALLOWED_ON_TEMPLATE"),
        _e("REVERT_ONLY_ALLOWED_ON_SNAPSHOT"),
        _e("VDI_NOT_AVAILABLE", "vdi"),
        _e("VM_LACKS_FEATURE", "vm"),
        _e("VM_DUPLICATE_VBD_DEVICE", "vm", "vbd", "device"),
        _e("HA_OPERATION_WOULD_BREAK_FAILOVER_PLAN"),
        _e("HA_IS_ENABLED"),
        _e("JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS"),
        _e("JOINING_HOST_CANNOT_HAVE_RUNNING_VMS"),
        _e("JOINING_HOST_CANNOT_HAVE_VMS_WITH_CURRENT_OPERATIONS"),
        _e("JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS"),
        _e("JOINING_HOST_CONNECTION_FAILED"),
        _e("HA_NOT_ENABLED"),
        _e("MEMORY_CONSTRAINT_VIOLATION", "constraint"),
        _e("CLUSTERING_ENABLED", "cluster_host"),
        _e("PIF_IS_MANAGEMENT_IFACE"),
        _e("PIF_IS_PHYSICAL", "PIF"),
        _e("PIF_TUNNEL_STILL_EXISTS", "PIF"),
        _e("VM_MEMORY_TARGET_WAIT_TIMEOUT"),
        _e("VM_SNAPSHOT_WITH_QUIESCE_FAILED", "vm"),
        _e("VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED", "vm", "error"),
        _e("VM_SNAPSHOT_WITH_QUIESCE_PLUGIN_DEOS_NOT_RESPOND"),
        _e("VM_SNAPSHOT_WITH_QUIESCE_TIMEOUT", "vm"),
        _e("SR_NOT_ATTACHED", "sr"),
        _e("VDI_IS_A_PHYSICAL_DEVICE", "vdi"),
        _e("VDI_NO_CBT_METADATA", "vdi"),
        _e("VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION"),
        _e("VM_CHECKPOINT_RESUME_FAILED", "vm"),
        _e("VM_CHECKPOINT_SUSPEND_FAILED", "vm"),
        _e("HA_CONSTRAINT_VIOLATION_NETWORK_NOT_SHARED", "network"),
        _e("HA_CONSTRAINT_VIOLATION_SR_NOT_SHARED", "SR"),
        _e("SR_BACKEND_FAILURE", "status", "stdout", "stderr"),
        _e("VDI_NOT_SPARSE", "vdi"),
        _e("VDI_TOO_SMALL", "vdi", "minimum size"),
        _e("OPENVSWITCH_NOT_ACTIVE"),
        _e("CANNOT_EVACUATE_HOST", "errors"),
        _e("SR_HAS_NO_PBDS", "sr"),
        _e("ADDRESS_VIOLATES_LOCKING_CONSTRAINT", "address"),
        _e("INVALID_CIDR_ADDRESS_SPECIFIED", "parameter"),
        _e("INVALID_IP_ADDRESS_SPECIFIED", "parameter"),
        _e("NETWORK_UNMANAGED", "network"),
        _e("NETWORK_INCOMPATIBLE_PURPOSES", "new_purpose", "conflicting_purpose"),
        _e("SR_UNKNOWN_DRIVER", "driver"),
        _e("SR_UUID_EXISTS", "uuid"),
        _e("VDI_MISSING", "sr", "vdi"),
        _e("HOST_CANNOT_ATTACH_NETWORK", "host", "network"),
        _e("HOST_DISABLED", "host"),
        _e("HOST_NOT_ENOUGH_PCPUS", "vcpus", "pcpus"),
        _e("HOST_NOT_LIVE"),
        _e("NETWORK_SRIOV_INSUFFICIENT_CAPACITY", "network"),
        _e("SUSPEND_VDI_REPLACEMENT_IS_NOT_IDENTICAL"),
        _e("VBD_TRAY_LOCKED", "vbd"),
        _e("VDI_INCOMPATIBLE_TYPE", "vdi", "type"),
        _e("VM_BIOS_STRINGS_ALREADY_SET"),
        _e("VM_HOST_INCOMPATIBLE_VERSION", "host", "vm"),
        _e("VM_HOST_INCOMPATIBLE_VIRTUAL_HARDWARE_PLATFORM_VERSION", "host", "host_versions", "vm", "vm_version"),
        _e("VM_INCOMPATIBLE_WITH_THIS_HOST", "vm", "host", "reason"),
        _e("VM_REQUIRES_GPU", "vm", "GPU_group"),
        _e("VM_REQUIRES_IOMMU", "host"),
        _e("VM_REQUIRES_NETWORK", "vm", "network"),
        _e("VM_REQUIRES_SR", "vm", "sr"),
        _e("VM_REQUIRES_VGPU", "vm", "GPU_group", "vGPU_type"),
    )
}


class ApiError(Exception):
    """A XenAPI error: raised anywhere, sent to the client as ``[code, *params]``."""

    def __init__(self, code: str, *params: object) -> None:
        self.code = code
        self.params = [str(p) for p in params]
        super().__init__(code, *self.params)

    @property
    def description(self) -> list[str]:
        return [self.code, *self.params]

    def __str__(self) -> str:
        return str(self.description)
