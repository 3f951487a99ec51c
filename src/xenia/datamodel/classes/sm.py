"""XenAPI class ``SM``: A storage manager plugin"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('name_label', 'string', '', doc='a human-readable name'),
    RUN('name_description', 'string', '', doc='a notes field containing human-readable description'),
    RUN('type', 'string', doc='SR.type'),
    RUN('vendor', 'string', doc='Vendor who created this plugin'),
    RUN('copyright', 'string', doc='Entity which owns the copyright of this plugin'),
    RUN('version', 'string', doc='Version of the plugin'),
    RUN('required_api_version', 'string', doc='Minimum SM API version required on the server'),
    RUN('configuration', '(string -> string) map', doc='names and descriptions of device config keys'),
    RUN('capabilities', 'string set', [], doc='capabilities of the SM plugin'),
    RUN('features', '(string -> int) map', {}, doc='capabilities of the SM plugin, with capability version numbers'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='additional configuration'),
    RUN('driver_filename', 'string', '', doc='filename of the storage driver'),
    RUN('required_cluster_stack', 'string set', [], doc='The storage plugin requires that one of these cluster stacks is configured and running.'),
)

ENUMS = (
)

SM = ClassDef(
    'SM',
    'A storage manager plugin',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
