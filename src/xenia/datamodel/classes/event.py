"""XenAPI class ``event``: Asynchronous event registration and handling"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('snapshot', '<class> record', doc='The record of the database object that was added, changed or deleted'),
    INS('id', 'int', doc='An ID, monotonically increasing, and local to the current session'),
    INS('timestamp', 'datetime', doc='The time at which the event occurred'),
    INS('class', 'string', doc='The name of the class of the object that changed'),
    INS('operation', 'enum event_operation', doc='The operation that was performed'),
    INS('ref', 'string', doc='A reference to the object that changed'),
    INS('obj_uuid', 'string', doc='The uuid of the object that changed'),
)

ENUMS = (
    EnumDef('event_operation', ('add', 'del', 'mod')),
)

EVENT = ClassDef(
    'event',
    'Asynchronous event registration and handling',
    FIELDS,
    messages=(),
    enums=ENUMS,
    has_get_all=False,
    client_cert=False,
    in_db=False,
)
