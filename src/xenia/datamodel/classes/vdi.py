"""XenAPI class ``VDI``: A virtual disk image"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    INS('name_label', 'string', '', doc='a human-readable name'),
    INS('name_description', 'string', '', doc='a notes field containing human-readable description'),
    RUN('allowed_operations', 'enum vdi_operations set', [], doc='list of the operations allowed in this state. This list is advisory only and the server state may have changed by the time this field is read by a client.'),
    RUN('current_operations', '(string -> enum vdi_operations) map', {}, doc='links each of the running tasks using this object (by reference) to a current_operation enum which describes the nature of the task.'),
    INS('SR', 'SR ref', doc='storage repository in which the VDI resides'),
    RUN('VBDs', 'VBD ref set', doc='list of vbds that refer to this disk'),
    RUN('crash_dumps', 'crashdump ref set', doc='list of crash dumps that refer to this disk'),
    INS('virtual_size', 'int', doc='size of disk as presented to the guest (in bytes). Note that, depending on storage backend type, requested size may not be respected exactly'),
    RUN('physical_utilisation', 'int', doc='amount of physical space that the disk image is currently taking up on the storage repository (in bytes)'),
    INS('type', 'enum vdi_type', doc='type of the VDI'),
    INS('sharable', 'bool', doc='true if this disk may be shared'),
    INS('read_only', 'bool', doc='true if this disk may ONLY be mounted read-only'),
    RW('other_config', '(string -> string) map', doc='additional configuration'),
    RUN('storage_lock', 'bool', doc='true if this disk is locked at the storage level'),
    RUN('location', 'string', '', doc='location information'),
    RUN('managed', 'bool', doc=''),
    RUN('missing', 'bool', doc='true if SR scan operation reported this VDI as not present on disk'),
    RUN('parent', 'VDI ref', doc='This field is always null. Deprecated'),
    RW('xenstore_data', '(string -> string) map', {}, doc='data to be inserted into the xenstore tree (/local/domain/0/backend/vbd/<domid>/<device-id>/sm-data) after the VDI is attached. This is generally set by the SM backends on vdi_attach.'),
    RW('sm_config', '(string -> string) map', {}, doc='SM dependent data'),
    RUN('is_a_snapshot', 'bool', False, doc='true if this is a snapshot.'),
    RUN('snapshot_of', 'VDI ref', 'Null', doc='Ref pointing to the VDI this snapshot is of.'),
    RUN('snapshots', 'VDI ref set', doc='List pointing to all the VDIs snapshots.'),
    RUN('snapshot_time', 'datetime', '19700101T00:00:00Z', doc='Date/time when this snapshot was created.'),
    RW('tags', 'string set', [], role=Role.VM_OPERATOR, doc='user-specified tags for categorization purposes'),
    RUN('allow_caching', 'bool', False, doc='true if this VDI is to be cached in the local cache SR'),
    RUN('on_boot', 'enum on_boot', 'persist', doc='The behaviour of this VDI on a VM boot'),
    RUN('metadata_of_pool', 'pool ref', 'OpaqueRef:NULL', doc='The pool whose metadata is contained in this VDI'),
    RUN('metadata_latest', 'bool', False, doc='Whether this VDI contains the latest known accessible metadata for the pool'),
    RUN('is_tools_iso', 'bool', False, doc='Whether this VDI is a Tools ISO'),
    RUN('cbt_enabled', 'bool', False, doc='True if changed blocks are tracked for this VDI'),
)

ENUMS = (
    EnumDef('vdi_operations', ('clone', 'copy', 'resize', 'resize_online', 'snapshot', 'mirror', 'destroy', 'forget', 'update', 'force_unlock', 'generate_config', 'enable_cbt', 'disable_cbt', 'data_destroy', 'list_changed_blocks', 'set_on_boot', 'blocked')),
    EnumDef('vdi_type', ('system', 'user', 'ephemeral', 'suspend', 'crashdump', 'ha_statefile', 'metadata', 'redo_log', 'rrd', 'pvs_cache', 'cbt_metadata')),
    EnumDef('on_boot', ('reset', 'persist')),
)

VDI = ClassDef(
    'VDI',
    'A virtual disk image',
    FIELDS,
    messages=(
    Message(
        'resize',
        (P('VDI ref', 'vdi', 'The VDI to resize'), P('int', 'size', 'The new size of the VDI')),
        result='void',
        doc='Resize the VDI.',
        min_role=Role.VM_ADMIN,
        is_async=True,
    ),
    Message(
        'clone',
        (P('VDI ref', 'vdi', 'The VDI to clone'), P('(string -> string) map', 'driver_params', 'Optional parameters that are passed through to the backend driver in order to specify storage-type-specific clone options', default={})),
        result='VDI ref',
        doc='Take an exact copy of the VDI and return a reference to the new disk. If any driver_params are specified then these are passed through to the storage-specific substrate driver that implements the clone operation. NB the clone lives in the same Storage Repository as its parent.',
        min_role=Role.VM_ADMIN,
        is_async=True,
    ),
    Message(
        'snapshot',
        (P('VDI ref', 'vdi', 'The VDI to snapshot'), P('(string -> string) map', 'driver_params', 'Optional parameters that can be passed through to backend driver in order to specify storage-type-specific snapshot options', default={})),
        result='VDI ref',
        doc='Take a read-only snapshot of the VDI, returning a reference to the snapshot. If any driver_params are specified then these are passed through to the storage-specific substrate driver that takes the snapshot. NB the snapshot lives in the same Storage Repository as its parent.',
        min_role=Role.VM_ADMIN,
        is_async=True,
    ),
    ),
    enums=ENUMS,
    has_constructor=True,
    ctor_role=Role.VM_ADMIN,
    has_destructor=True,
)
