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
    Message(
        'get_supported_types',
        (),
        result='string set',
        doc='Return a set of all the SR types supported by the system',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'create',
        (P('host ref', 'host', 'The host to create/make the SR on'), P('(string -> string) map', 'device_config', 'The device config string that will be passed to backend SR driver'), P('int', 'physical_size', 'The physical size of the new storage repository'), P('string', 'name_label', 'The name of the new storage repository'), P('string', 'name_description', 'The description of the new storage repository'), P('string', 'type', 'The type of the SR; used to specify the SR backend driver to use'), P('string', 'content_type', 'The type of the new SRs content, if required (e.g. ISOs)'), P('bool', 'shared', 'True if the SR (is capable of) being shared by multiple hosts'), P('(string -> string) map', 'sm_config', 'Storage backend specific configuration options')),
        result='SR ref',
        doc='Create a new Storage Repository and introduce it into the managed system, creating both SR record and PBD record to attach it to current host (with specified device_config parameters)',
        errors=('SR_UNKNOWN_DRIVER',),
        min_role=Role.POOL_OPERATOR,
        # is_async: some classes' create are async, some not: look in ocaml/idl
        is_async=True,
    ),
    Message(
        'introduce',
        (P('string', 'uuid', 'The uuid assigned to the introduced SR'), P('string', 'name_label', 'The name of the new storage repository'), P('string', 'name_description', 'The description of the new storage repository'), P('string', 'type', 'The type of the SR; used to specify the SR backend driver to use'), P('string', 'content_type', 'The type of the new SRs content, if required (e.g. ISOs)'), P('bool', 'shared', 'True if the SR (is capable of) being shared by multiple hosts'), P('(string -> string) map', 'sm_config', 'Storage backend specific configuration options')),
        result='SR ref',
        doc='Introduce a new Storage Repository into the managed system',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'forget',
        (P('SR ref', 'sr', 'The SR to destroy'),),
        result='void',
        doc='Removing specified SR-record from database, without attempting to remove SR from disk',
        errors=('SR_HAS_PBD',),
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'destroy',
        (P('SR ref', 'sr', 'The SR to destroy'),),
        result='void',
        doc="Destroy specified SR, removing SR-record from database and remove SR from disk. (In order to affect this operation the appropriate device_config is read from the specified SR's PBD on current host)",
        errors=('SR_HAS_PBD',),
        min_role=Role.POOL_OPERATOR,
        # is_async: some classes' destroy are async, some not: look in ocaml/idl
        is_async=True,
    ),
    Message(
        'update',
        (P('SR ref', 'sr', 'The SR whose fields should be refreshed'),),
        result='void',
        doc='Refresh the fields on the SR object',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    ),
    enums=ENUMS,
)
