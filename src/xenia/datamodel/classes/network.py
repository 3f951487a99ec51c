"""XenAPI class ``network``: A virtual network"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RW('name_label', 'string', '', role=Role.POOL_OPERATOR, doc='a human-readable name'),
    RW('name_description', 'string', '', role=Role.POOL_OPERATOR, doc='a notes field containing human-readable description'),
    RUN('allowed_operations', 'enum network_operations set', [], doc='list of the operations allowed in this state. This list is advisory only and the server state may have changed by the time this field is read by a client.'),
    RUN('current_operations', '(string -> enum network_operations) map', {}, doc='links each of the running tasks using this object (by reference) to a current_operation enum which describes the nature of the task.'),
    RUN('VIFs', 'VIF ref set', doc='list of connected vifs'),
    RUN('PIFs', 'PIF ref set', doc='list of connected pifs'),
    RW('MTU', 'int', 1500, doc='MTU in octets'),
    RW('other_config', '(string -> string) map', role=Role.POOL_OPERATOR, doc='additional configuration'),
    INS('bridge', 'string', '', doc='name of the bridge corresponding to this network on the local host'),
    INS('managed', 'bool', True, doc='true if the bridge is managed by xapi'),
    RUN('blobs', '(string -> blob ref) map', {}, doc='Binary blobs associated with this network'),
    RW('tags', 'string set', [], role=Role.VM_OPERATOR, doc='user-specified tags for categorization purposes'),
    RUN('default_locking_mode', 'enum network_default_locking_mode', 'unlocked', doc='The network will use this value to determine the behaviour of all VIFs where locking_mode = default'),
    RUN('assigned_ips', '(VIF ref -> string) map', {}, doc='The IP addresses assigned to VIFs on networks that have active xapi-managed DHCP'),
    RUN('purpose', 'enum network_purpose set', [], doc='Set of purposes for which the server will use this network'),
)

ENUMS = (
    EnumDef('network_operations', ('attaching',)),
    EnumDef('network_default_locking_mode', ('unlocked', 'disabled')),
    EnumDef('network_purpose', ('nbd', 'insecure_nbd')),
)

NETWORK = ClassDef(
    'network',
    'A virtual network',
    FIELDS,
    messages=(
    Message(
        'create_new_blob',
        (P('network ref', 'network', 'The network'), P('string', 'name', 'The name associated with the blob'), P('string', 'mime_type', 'The mime type for the data. Empty string translates to application/octet-stream'), P('bool', 'public', 'True if the blob should be publicly available')),
        result='blob ref',
        doc='Create a placeholder for a named binary blob of data that is associated with this pool',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'set_default_locking_mode',
        (P('network ref', 'network', 'The network'), P('enum network_default_locking_mode', 'value', 'The default locking mode for VIFs attached to this network.')),
        result='void',
        doc='Set the default locking mode for VIFs attached to this network',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'add_purpose',
        (P('network ref', 'self', 'The network'), P('enum network_purpose', 'value', 'The purpose to add')),
        result='void',
        doc='Give a network a new purpose (if not present already)',
        errors=('NETWORK_INCOMPATIBLE_PURPOSES',),
        min_role=Role.POOL_ADMIN,
        is_async=True,
    ),
    Message(
        'remove_purpose',
        (P('network ref', 'self', 'The network'), P('enum network_purpose', 'value', 'The purpose to remove')),
        result='void',
        doc='Remove a purpose from a network (if present)',
        min_role=Role.POOL_ADMIN,
        is_async=True,
    ),
    ),
    enums=ENUMS,
    has_constructor=True,
    ctor_role=Role.VM_ADMIN,
    has_destructor=True,
)
