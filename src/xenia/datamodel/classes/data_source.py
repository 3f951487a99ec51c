"""XenAPI class ``data_source``: Data sources for logging in RRDs"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('name_label', 'string', '', doc='a human-readable name'),
    RUN('name_description', 'string', '', doc='a notes field containing human-readable description'),
    RUN('enabled', 'bool', doc='true if the data source is being logged'),
    RUN('standard', 'bool', doc='true if the data source is enabled by default. Non-default data sources cannot be disabled'),
    RUN('units', 'string', doc='the units of the value'),
    RUN('min', 'float', doc='the minimum value of the data source'),
    RUN('max', 'float', doc='the maximum value of the data source'),
    RUN('value', 'float', doc='current value of the data source'),
)

ENUMS = (
)

DATA_SOURCE = ClassDef(
    'data_source',
    'Data sources for logging in RRDs',
    FIELDS,
    messages=(),
    enums=ENUMS,
    has_get_all=False,
    client_cert=False,
    in_db=False,
    implicit=False,
    has_get_by_name_label=False,
    persistent=False,
)
