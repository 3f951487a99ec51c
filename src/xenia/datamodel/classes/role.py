"""XenAPI class ``role``: A set of permissions associated with a subject"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    INS('name_label', 'string', '', doc='a short user-friendly name for the role'),
    INS('name_description', 'string', '', doc='what this role is for'),
    INS('subroles', 'role ref set', [], doc='a list of pointers to other roles or permissions'),
    RUN('is_internal', 'bool', False, doc='Indicates whether the role is only to be assigned internally by xapi, or can be used by clients'),
)

ENUMS = (
)

ROLE = ClassDef(
    'role',
    'A set of permissions associated with a subject',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
