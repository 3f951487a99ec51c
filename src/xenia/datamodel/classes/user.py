"""XenAPI class ``user``: A user of the system"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    INS('short_name', 'string', doc='short name (e.g. userid)'),
    RW('fullname', 'string', role=Role.POOL_ADMIN, doc='full name'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_ADMIN, doc='additional configuration'),
    # xenia-internal: the password hash and role; never on the wire
    RUN('password_hash', 'string', '', hidden=True),
    RUN('role', 'string', 'read-only', hidden=True),
)

ENUMS = (
)

USER = ClassDef(
    'user',
    'A user of the system',
    FIELDS,
    messages=(),
    enums=ENUMS,
    has_get_all=False,
    has_constructor=True,
    ctor_role=Role.POOL_ADMIN,
    has_destructor=True,
)
