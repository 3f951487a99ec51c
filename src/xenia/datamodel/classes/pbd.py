"""XenAPI class ``PBD``: The physical block devices through which hosts access SRs"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    INS('host', 'host ref', doc='physical machine on which the pbd is available'),
    INS('SR', 'SR ref', doc='the storage repository that the pbd realises'),
    INS('device_config', '(string -> string) map', doc="a config string to string map that is provided to the host's SR-backend-driver"),
    RUN('currently_attached', 'bool', doc='is the SR currently attached on this host?'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='additional configuration'),
)

ENUMS = (
)

PBD = ClassDef(
    'PBD',
    'The physical block devices through which hosts access SRs',
    FIELDS,
    messages=(),
    enums=ENUMS,
    has_constructor=True,
    ctor_role=Role.POOL_OPERATOR,
    has_destructor=True,
)
