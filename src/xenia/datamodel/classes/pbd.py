"""XenAPI class ``PBD``: The physical block devices through which hosts access SRs"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role  # noqa: F401

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
    messages=(
    Message(
        'plug',
        (P('PBD ref', 'self', 'The PBD to activate'),),
        result='void',
        doc='Activate the specified PBD, causing the referenced SR to be attached and scanned',
        errors=('SR_UNKNOWN_DRIVER',),
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'unplug',
        (P('PBD ref', 'self', 'The PBD to deactivate'),),
        result='void',
        doc='Deactivate the specified PBD, causing the referenced SR to be detached and nolonger scanned',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    Message(
        'set_device_config',
        (P('PBD ref', 'self', 'The PBD to modify'), P('(string -> string) map', 'value', "The new value of the PBD's device_config")),
        result='void',
        doc="Sets the PBD's device_config field",
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    ),
    enums=ENUMS,
    has_constructor=True,
    ctor_role=Role.POOL_OPERATOR,
    has_destructor=True,
)
