"""XenAPI class ``message``: An message for the attention of the administrator"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

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
    messages=(),
    enums=ENUMS,
)
