"""XenAPI class ``session``: A session"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role  # noqa: F401

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
    # xenia-internal: the role of the logged-in user, and whether the session came over the local socket
    RUN('role', 'string', '', hidden=True),
)

ENUMS = (
)

SESSION = ClassDef(
    'session',
    'A session',
    FIELDS,
    messages=(
    Message(
        'login_with_password',
        (P('string', 'uname', 'Username for login.'), P('string', 'pwd', 'Password for login.'), P('string', 'version', 'Client API version.', default='1.1'), P('string', 'originator', 'Key string for distinguishing different API users sharing the same login name.', default='')),
        result='session ref',
        doc='Attempt to authenticate the user, returning a session reference if successful',
        errors=('SESSION_AUTHENTICATION_FAILED', 'HOST_IS_SLAVE',),
        min_role=Role.READ_ONLY,
        client_cert=True,
        session_first=False,
    ),
    Message(
        'logout',
        (),
        result='void',
        doc='Log out of a session',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'change_password',
        (P('string', 'old_pwd', 'Old password for account'), P('string', 'new_pwd', 'New password for account')),
        result='void',
        doc='Change the account password; if your session is authenticated with root privileges then the old_pwd is validated and the new_pwd is set regardless',
        min_role=Role.POOL_ADMIN,
        root_only=True,
    ),
    Message(
        'local_logout',
        (),
        result='void',
        doc='Log out of local session.',
        min_role=Role.POOL_ADMIN,
    ),
    Message(
        'get_all_subject_identifiers',
        (),
        result='string set',
        doc='Return a list of all the user subject-identifiers of all existing sessions',
        min_role=Role.READ_ONLY,
        client_cert=True,
        is_async=True,
    ),
    Message(
        'logout_subject_identifier',
        (P('string', 'subject_identifier', 'User subject-identifier of the sessions to be destroyed'),),
        result='void',
        doc='Log out all sessions associated to a user subject-identifier, except the session associated with the context calling this function',
        min_role=Role.POOL_OPERATOR,
        is_async=True,
    ),
    ),
    enums=ENUMS,
    has_get_all=False,
    persistent=False,
)
