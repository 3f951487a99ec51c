"""XenAPI class ``console``: A console"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('protocol', 'enum console_protocol', doc='the protocol used by this console'),
    RUN('location', 'string', doc='URI for the console service'),
    RUN('VM', 'VM ref', doc='VM to which this console is attached'),
    RW('other_config', '(string -> string) map', doc='additional configuration'),
)

ENUMS = (
    EnumDef('console_protocol', ('vt100', 'rfb', 'rdp')),
)

CONSOLE = ClassDef(
    'console',
    'A console',
    FIELDS,
    messages=(),
    enums=ENUMS,
    has_constructor=True,
    ctor_role=Role.VM_ADMIN,
    has_destructor=True,
)
