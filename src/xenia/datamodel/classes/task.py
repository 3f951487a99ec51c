"""XenAPI class ``task``: A long-running asynchronous task"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('name_label', 'string', '', doc='a human-readable name'),
    RUN('name_description', 'string', '', doc='a notes field containing human-readable description'),
    RUN('allowed_operations', 'enum task_allowed_operations set', [], doc='list of the operations allowed in this state. This list is advisory only and the server state may have changed by the time this field is read by a client.'),
    RUN('current_operations', '(string -> enum task_allowed_operations) map', {}, doc='links each of the running tasks using this object (by reference) to a current_operation enum which describes the nature of the task.'),
    RUN('created', 'datetime', doc='Time task was created'),
    RUN('finished', 'datetime', doc='Time task finished (i.e. succeeded or failed). If task-status is pending, then the value of this field has no meaning'),
    RUN('status', 'enum task_status_type', doc='current status of the task'),
    RUN('resident_on', 'host ref', doc='the host on which the task is running'),
    RUN('progress', 'float', doc='This field contains the estimated fraction of the task which is complete. This field should not be used to determine whether the task is complete - for this the status field of the task should be used.'),
    RUN('type', 'string', doc='if the task has completed successfully, this field contains the type of the encoded result (i.e. name of the class whose reference is in the result field). Undefined otherwise.'),
    RUN('result', 'string', doc='if the task has completed successfully, this field contains the result value (either Void or an object reference). Undefined otherwise.'),
    RUN('error_info', 'string set', doc='if the task has failed, this field contains the set of associated error strings. Undefined otherwise.'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='additional configuration'),
    RUN('subtask_of', 'task ref', 'Null', doc='Ref pointing to the task this is a substask of.'),
    RUN('subtasks', 'task ref set', doc='List pointing to all the substasks.'),
    RUN('backtrace', 'string', '()', doc='Function call trace for debugging.'),
    # xenia-internal: the session that owns the task (xapi hides this field too)
    RUN('session', 'session ref', 'OpaqueRef:NULL', hidden=True),
)

ENUMS = (
    EnumDef('task_allowed_operations', ('cancel', 'destroy')),
    EnumDef('task_status_type', ('pending', 'success', 'failure', 'cancelling', 'cancelled')),
)

TASK = ClassDef(
    'task',
    'A long-running asynchronous task',
    FIELDS,
    messages=(
    Message(
        'set_error_info',
        (P('task ref', 'self', 'Reference to the task object'), P('string set', 'value', 'Task error info to be set')),
        result='void',
        doc='Set the task error info',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'set_result',
        (P('task ref', 'self', 'Reference to the task object'), P('string', 'value', 'Task result to be set')),
        result='void',
        doc='Set the task result',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'set_progress',
        (P('task ref', 'self', 'Reference to the task object'), P('float', 'value', 'Task progress value to be set')),
        result='void',
        doc='Set the task progress',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'set_status',
        (P('task ref', 'self', 'Reference to the task object'), P('enum task_status_type', 'value', 'task status value to be set')),
        result='void',
        doc='Set the task status',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'cancel',
        (P('task ref', 'task', 'The task'),),
        result='void',
        doc='Request that a task be cancelled. Note that a task may fail to be cancelled and may complete or fail normally and note that, even when a task does cancel, it might take an arbitrary amount of time.',
        errors=('OPERATION_NOT_ALLOWED',),
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'destroy',
        (P('task ref', 'self', 'Reference to the task object'),),
        result='void',
        doc='Destroy the task object',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    Message(
        'create',
        (P('string', 'label', 'short label for the new task'), P('string', 'description', 'longer description for the new task')),
        result='task ref',
        doc='Create a new task object which must be manually destroyed.',
        min_role=Role.READ_ONLY,
        client_cert=True,
    ),
    ),
    enums=ENUMS,
    persistent=False,
)
