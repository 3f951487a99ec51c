"""XenAPI class ``session``: A session"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('this_host', 'host ref', doc='Currently connected host'),
    RUN('this_user', 'user ref', doc='Currently connected user'),
    RUN('last_active', 'datetime', doc='Timestamp for last time session was active'),
    RUN('pool', 'bool', doc='True if this session relates to a intra-pool login, false otherwise'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_ADMIN, doc='additional configuration'),
    RUN('is_local_superuser', 'bool', False, doc='true iff this session was created using local superuser credentials'),
    RUN('subject', 'subject ref', 'OpaqueRef:NULL', doc='references the subject instance that created the session. If a session instance has is_local_superuser set, then the value of this field is undefined.'),
    RUN('validation_time', 'datetime', '19700101T00:00:00Z', doc='time when session was last validated'),
    RUN('auth_user_sid', 'string', '', doc='the subject identifier of the user that was externally authenticated. If a session instance has is_local_superuser set, then the value of this field is undefined.'),
    RUN('auth_user_name', 'string', '', doc='the subject name of the user that was externally authenticated. If a session instance has is_local_superuser set, then the value of this field is undefined.'),
    INS('rbac_permissions', 'string set', [], doc='list with all RBAC permissions for this session'),
    RUN('tasks', 'task ref set', doc='list of tasks created using the current session'),
    INS('parent', 'session ref', 'OpaqueRef:NULL', doc='references the parent session that created this session'),
    RUN('originator', 'string', '', doc='a key string provided by a API user to distinguish itself from other users sharing the same login name'),
    RUN('client_certificate', 'bool', False, doc='indicates whether this session was authenticated using a client certificate'),
)

ENUMS = (
)

SESSION = ClassDef(
    'session',
    'A session',
    FIELDS,
    messages=(),
    enums=ENUMS,
    has_get_all=False,
)
