"""XenAPI class ``VBD_metrics``: The metrics associated with a virtual block device"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('io_read_kbs', 'float', 0.0, doc='Read bandwidth (KiB/s)'),
    RUN('io_write_kbs', 'float', 0.0, doc='Write bandwidth (KiB/s)'),
    RUN('last_updated', 'datetime', '19700101T00:00:00Z', doc='Time at which this information was last updated'),
    RW('other_config', '(string -> string) map', {}, doc='additional configuration'),
)

ENUMS = (
)

VBD_METRICS = ClassDef(
    'VBD_metrics',
    'The metrics associated with a virtual block device',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
