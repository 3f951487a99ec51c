"""XenAPI class ``message``: An message for the attention of the administrator"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('name', 'string', doc='The name of the message'),
    RUN('priority', 'int', doc='The message priority, 0 being low priority'),
    RUN('cls', 'enum cls', doc='The class of the object this message is associated with'),
    RUN('obj_uuid', 'string', doc='The uuid of the object this message is associated with'),
    RUN('timestamp', 'datetime', doc='The time at which the message was created'),
    RUN('body', 'string', doc='The body of the message'),
)

ENUMS = (
    EnumDef('cls', ('VM', 'Host', 'SR', 'Pool', 'VMPP', 'VMSS', 'PVS_proxy', 'VDI', 'Certificate')),
)

MESSAGE = ClassDef(
    'message',
    'An message for the attention of the administrator',
    FIELDS,
    messages=(
    Message(
        'get_all',
        (),
        result='message ref set',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'get_all_records',
        (),
        result='(message ref -> message record) map',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'get_record',
        (P('message ref', 'self', 'The reference to the message'),),
        result='message record',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'get_by_uuid',
        (P('string', 'uuid', 'The uuid of the message'),),
        result='message ref',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'destroy',
        (P('message ref', 'self', 'The reference of the message to destroy'),),
        result='void',
        doc='',
        min_role=Role.POOL_OPERATOR,
    ),
    Message(
        'get_all_records_where',
        (P('string', 'expr', 'The expression to match (not currently used)'),),
        result='(message ref -> message record) map',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'get_since',
        (P('datetime', 'since', 'The cutoff time'),),
        result='(message ref -> message record) map',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'create',
        (P('string', 'name', 'The name of the message'), P('int', 'priority', 'The priority of the message'), P('enum cls', 'cls', 'The class of object this message is associated with'), P('string', 'obj_uuid', 'The uuid of the object this message is associated with'), P('string', 'body', 'The body of the message')),
        result='message ref',
        doc='',
        min_role=Role.POOL_OPERATOR,
    ),
    Message(
        'get',
        (P('enum cls', 'cls', 'The class of object'), P('string', 'obj_uuid', 'The uuid of the object'), P('datetime', 'since', 'The cutoff time')),
        result='(message ref -> message record) map',
        doc='',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'destroy_many',
        (P('message ref set', 'messages', 'Messages to destroy'),),
        result='void',
        doc='',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    ),
    implicit=False,
    enums=ENUMS,
)
