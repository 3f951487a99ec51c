"""A XenAPI task as the migration library's progress callback and cancel token.

Shared by everything the daemon runs through :mod:`xenia.migration` (VM.migrate_send,
VM.pool_migrate, vm-save/vm-restore, VM.suspend/VM.resume).
"""

from __future__ import annotations

from xenia.migration import CancelToken
from xenia.migration.progress import Progress, ProgressCallback
from xenia.ops.steps import TaskControl

__all__ = ["TaskCancel", "progress_to"]


def progress_to(task: TaskControl, lo: float = 0.0, hi: float = 1.0) -> ProgressCallback:
    """Report the library's progress as the task's, scaled into ``lo``..``hi`` (an operation's
    step that is one part of the task); the task stops being cancellable at the switch-over."""
    state = {"cancellable": True}

    def report(p: Progress) -> None:
        task.progress(lo + (hi - lo) * p.fraction)
        if state["cancellable"] and not p.cancellable:
            state["cancellable"] = False
            task.set_cancellable(False)

    return report


class TaskCancel(CancelToken):
    """``task.cancel`` as the library's cancel token: read at every check point, none missed.

    The task refuses cancels from the switch-over on (``set_cancellable(False)`` in the same
    callback that reports the phase), so a cancel accepted by the task is always seen here.
    """

    def __init__(self, task: TaskControl) -> None:
        super().__init__()
        self._task = task

    @property
    def cancelled(self) -> bool:
        return super().cancelled or self._task.cancelling
