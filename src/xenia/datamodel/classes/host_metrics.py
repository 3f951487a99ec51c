"""XenAPI class ``host_metrics``: The metrics associated with a host"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('memory_total', 'int', doc='Total host memory (bytes)'),
    RUN('memory_free', 'int', 0, doc='Free host memory (bytes)'),
    RUN('live', 'bool', doc='Pool master thinks this host is live'),
    RUN('last_updated', 'datetime', doc='Time at which this information was last updated'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='additional configuration'),
)

ENUMS = (
)

HOST_METRICS = ClassDef(
    'host_metrics',
    'The metrics associated with a host',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
