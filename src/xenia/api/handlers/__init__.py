"""Hand-written handlers of explicit messages, one module per class.

Importing this package registers every handler in :data:`xenia.api.methods.HANDLERS`.
"""

from xenia.api.handlers import (
    blob,
    data_sources,
    devices,
    event,
    host,
    host_admin,
    host_certs,
    host_plugins,
    host_settings,
    https_only,
    licensing,
    lifecycle,
    liveconfig_ext,
    message,
    metrics_ext,
    migration,
    network_config,
    pool,
    pool_admin,
    qos,
    role,
    session,
    sr,
    sr_manage,
    storage_config,
    task,
    trust_store,
    vdi,
    vm,
    vm_config,
    vm_query,
    vm_settings,
    xenia_ext,
)  # fmt: skip

__all__ = [
    "blob", "data_sources", "devices", "event", "host", "host_admin", "host_certs", "host_plugins", "host_settings", "https_only", "licensing", "lifecycle", "liveconfig_ext", "message", "metrics_ext", "migration", "network_config", "pool", "pool_admin", "qos", "role", "session", "sr", "sr_manage", "storage_config", "task", "trust_store", "vdi", "vm", "vm_config", "vm_query", "vm_settings", "xenia_ext",
]  # fmt: skip
