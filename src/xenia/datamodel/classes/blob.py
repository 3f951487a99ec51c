"""XenAPI class ``blob``: A placeholder for a binary blob"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RW('name_label', 'string', '', role=Role.POOL_OPERATOR, doc='a human-readable name'),
    RW('name_description', 'string', '', role=Role.POOL_OPERATOR, doc='a notes field containing human-readable description'),
    RUN('size', 'int', doc='Size of the binary data, in bytes'),
    RW('public', 'bool', False, role=Role.POOL_OPERATOR, doc='True if the blob is publicly accessible'),
    INS('last_updated', 'datetime', doc='Time at which the data in the blob was last updated'),
    INS('mime_type', 'string', doc="The mime type associated with this object. Defaults to 'application/octet-stream' if the empty string is supplied"),
)

ENUMS = (
)

BLOB = ClassDef(
    'blob',
    'A placeholder for a binary blob',
    FIELDS,
    messages=(
    Message(
        'create',
        (P('string', 'mime_type', "The mime-type of the blob. Defaults to 'application/octet-stream' if the empty string is supplied"), P('bool', 'public', 'True if the blob should be publicly available')),
        result='blob ref',
        doc='Create a placeholder for a binary blob',
        min_role=Role.POOL_OPERATOR,
    ),
    Message(
        'destroy',
        (P('blob ref', 'self', 'The reference of the blob to destroy'),),
        result='void',
        doc='',
        min_role=Role.POOL_OPERATOR,
    ),
    ),
    enums=ENUMS,
)
