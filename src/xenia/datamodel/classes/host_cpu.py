"""XenAPI class ``host_cpu``: A physical CPU"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('host', 'host ref', doc='the host the CPU is in'),
    RUN('number', 'int', doc='the number of the physical CPU within the host'),
    RUN('vendor', 'string', doc='the vendor of the physical CPU'),
    RUN('speed', 'int', doc='the speed of the physical CPU'),
    RUN('modelname', 'string', doc='the model name of the physical CPU'),
    RUN('family', 'int', doc='the family (number) of the physical CPU'),
    RUN('model', 'int', doc='the model number of the physical CPU'),
    RUN('stepping', 'string', doc='the stepping of the physical CPU'),
    RUN('flags', 'string', doc='the flags of the physical CPU (a decoded version of the features field)'),
    RUN('features', 'string', doc='the physical CPU feature bitmap'),
    RUN('utilisation', 'float', doc='the current CPU utilisation'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='additional configuration'),
)

ENUMS = (
)

HOST_CPU = ClassDef(
    'host_cpu',
    'A physical CPU',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
