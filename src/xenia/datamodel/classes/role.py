"""XenAPI class ``role``: A set of permissions associated with a subject"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role  # noqa: F401

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
    messages=(
    Message(
        'get_permissions_name_label',
        (P('role ref', 'self', 'a reference to a role'),),
        result='string set',
        doc='This call returns a list of permission names given a role',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'get_by_permission_name_label',
        (P('string', 'label', 'The short friendly name of the role'),),
        result='role ref set',
        doc='This call returns a list of roles given a permission name',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    ),
    enums=ENUMS,
)
