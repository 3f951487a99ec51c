"""task: client-made tasks, cancellation and the setters xapi offers for tasks run outside it.

Every call that changes a task checks xapi's rule (``TaskHelper.assert_op_valid``):
the caller may act on its own tasks -- those whose session belongs to the same
user -- and on anyone's only with the ``task.destroy/any`` permission, which
xapi gives to pool-operator and pool-admin.  Otherwise RBAC_PERMISSION_DENIED,
naming that permission, as xapi.
"""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.api.tasks import TaskManager
from xenia.datamodel.errors import ApiError
from xenia.datamodel.meta import Role

#: xapi's ``Datamodel.Task.extra_permission_task_destroy_any`` and the roles it is granted to
PERMISSION_ANY = "task.destroy/any"
ROLES_ANY = Role.POOL_OPERATOR


def _tasks(call: Call) -> TaskManager:
    tasks: TaskManager = call.app.services["tasks"]
    return tasks


def _owner(call: Call, task: str) -> str | None:
    """The user name of the session that made ``task`` (None once that session is gone, or no such task:
    xapi then asks for the permission before it finds the task missing)."""
    if not call.db.exists("task", task):
        return None
    session = call.db.get("task", task)["session"]
    if not call.db.exists("session", session):
        return None
    owner: str = call.db.get("session", session)["auth_user_name"]
    return owner


def assert_may_operate(call: Call, task: str) -> None:
    """xapi's rule: one's own task, or any task with ``task.destroy/any`` (HANDLE_INVALID for no task then)."""
    session = call.session
    if session is None or session.superuser or session.role >= ROLES_ANY:
        call.db.get("task", task)
        return
    if _owner(call, task) != session.user:
        roles = ", ".join(ROLES_ANY.allowed())
        raise ApiError(
            "RBAC_PERMISSION_DENIED", PERMISSION_ANY,
            f"No permission in user session. (Roles with this permission: {roles})",
        )  # fmt: skip


@handler("task.create")
def create(call: Call, label: str, description: str) -> str:
    return _tasks(call).create(call.session_ref, label, description)


@handler("task.destroy")
def destroy(call: Call, task: str) -> None:
    assert_may_operate(call, task)
    _tasks(call).destroy(task)


@handler("task.cancel")
def cancel(call: Call, task: str) -> None:
    assert_may_operate(call, task)
    _tasks(call).cancel(task)


@handler("task.set_status")
def set_status(call: Call, task: str, value: str) -> None:
    assert_may_operate(call, task)
    _tasks(call).set_status(task, value)


@handler("task.set_progress")
def set_progress(call: Call, task: str, value: float) -> None:
    assert_may_operate(call, task)
    call.db.set("task", task, "progress", value)


@handler("task.set_result")
def set_result(call: Call, task: str, value: str) -> None:
    assert_may_operate(call, task)
    call.db.set("task", task, "result", value)


@handler("task.set_error_info")
def set_error_info(call: Call, task: str, value: list[str]) -> None:
    assert_may_operate(call, task)
    call.db.set("task", task, "error_info", value)
