"""XenAPI class ``SR``: A storage repository"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    INS('name_label', 'string', '', doc='a human-readable name'),
    INS('name_description', 'string', '', doc='a notes field containing human-readable description'),
    RUN('allowed_operations', 'enum storage_operations set', [], doc='list of the operations allowed in this state. This list is advisory only and the server state may have changed by the time this field is read by a client.'),
    RUN('current_operations', '(string -> enum storage_operations) map', {}, doc='links each of the running tasks using this object (by reference) to a current_operation enum which describes the nature of the task.'),
    RUN('VDIs', 'VDI ref set', doc='all virtual disks known to this storage repository'),
    RUN('PBDs', 'PBD ref set', doc='describes how particular hosts can see this storage repository'),
    RUN('virtual_allocation', 'int', doc='sum of virtual_sizes of all VDIs in this storage repository (in bytes)'),
    RUN('physical_utilisation', 'int', doc='physical space currently utilised on this storage repository (in bytes). Note that for sparse disk formats, physical_utilisation may be less than virtual_allocation'),
    INS('physical_size', 'int', doc='total physical size of the repository (in bytes)'),
    INS('type', 'string', doc='type of the storage repository'),
    INS('content_type', 'string', doc="the type of the SR's content, if required (e.g. ISOs)"),
    RUN('shared', 'bool', doc='true if this SR is (capable of being) shared between multiple hosts'),
    RW('other_config', '(string -> string) map', role=Role.POOL_OPERATOR, doc='additional configuration'),
    RW('tags', 'string set', [], role=Role.VM_OPERATOR, doc='user-specified tags for categorization purposes'),
    RW('sm_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='SM dependent data'),
    RUN('blobs', '(string -> blob ref) map', {}, doc='Binary blobs associated with this SR'),
    RUN('local_cache_enabled', 'bool', False, doc='True if this SR is assigned to be the local cache for its host'),
    RUN('introduced_by', 'DR_task ref', 'OpaqueRef:NULL', doc='The disaster recovery task which introduced this SR'),
    RUN('clustered', 'bool', False, doc='True if the SR is using aggregated local storage'),
    RUN('is_tools_sr', 'bool', False, doc='True if this is the SR that contains the Tools ISO VDIs'),
)

ENUMS = (
    EnumDef('storage_operations', ('scan', 'destroy', 'forget', 'plug', 'unplug', 'update', 'vdi_create', 'vdi_introduce', 'vdi_destroy', 'vdi_resize', 'vdi_clone', 'vdi_snapshot', 'vdi_mirror', 'vdi_enable_cbt', 'vdi_disable_cbt', 'vdi_data_destroy', 'vdi_list_changed_blocks', 'vdi_set_on_boot', 'pbd_create', 'pbd_destroy')),
)

SR = ClassDef(
    'SR',
    'A storage repository',
    FIELDS,
    messages=(
    Message(
        'scan',
        (P('SR ref', 'sr', 'The SR to scan'),),
        result='void',
        doc='Refreshes the list of VDIs associated with an SR',
        min_role=Role.VM_POWER_ADMIN,
        is_async=True,
    ),
    Message(
        'set_name_label',
        (P('SR ref', 'sr', 'The SR'), P('string', 'value', 'The name label for the SR')),
        result='void',
        doc='Set the name label of the SR',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'set_name_description',
        (P('SR ref', 'sr', 'The SR'), P('string', 'value', 'The name description for the SR')),
        result='void',
        doc='Set the name description of the SR',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'set_physical_size',
        (P('SR ref', 'self', 'The SR to modify'), P('int', 'value', "The new value of the SR's physical_size")),
        result='void',
        doc="Sets the SR's physical_size field",
        min_role=Role.POOL_OPERATOR,
    ),
    Message(
        'set_shared',
        (P('SR ref', 'sr', 'The SR'), P('bool', 'value', 'True if the SR is shared')),
        result='void',
        doc='Sets the shared flag on the SR',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    ),
    enums=ENUMS,
)
