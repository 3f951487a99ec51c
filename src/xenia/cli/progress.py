"""Operations that run as tasks: ``--async`` prints the task, otherwise wait with a progress bar.

Every long operation is started as ``Async.<Class>.<message>``, so the same
path serves ``--async`` (print the task ref and return) and the default (follow
the task through the client, drawing its progress on stderr when that is a
terminal, or always with ``--progress``; never with ``--no-progress``).
"""

from __future__ import annotations

from typing import Any, TextIO

from xenia.cli.framework import Context
from xenia.client import Failure

BAR_WIDTH = 30


class ProgressBar:
    """``[#####-----]  42%  Async.VM.clone`` redrawn in place on stderr."""

    def __init__(self, err: TextIO, label: str, enabled: bool) -> None:
        self.err = err
        self.label = label
        self.enabled = enabled
        self.drawn = False

    def __call__(self, fraction: float, status: str) -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(round(fraction * BAR_WIDTH))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.err.write(f"\r[{bar}] {fraction * 100:3.0f}%  {self.label} ({status})")
        self.err.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.err.write("\n")
            self.err.flush()
            self.drawn = False


def wait(ctx: Context, task: str, label: str) -> Any:
    """Follow a task to its end and return its result (its error raises Failure)."""
    bar = ProgressBar(ctx.err, label, ctx.show_progress)
    try:
        return ctx.session.task_result(task, bar)
    except KeyboardInterrupt:
        bar.finish()
        ctx.err.write(f"xenia: stopped waiting; task {task} goes on (xenia task-cancel uuid={task})\n")
        raise
    finally:
        bar.finish()


def run_task(ctx: Context, method: str, *params: Any) -> Any:
    """Run ``method`` as a task; with ``--async`` print the task ref and return None.

    A server without the ``Async.`` form of a message gets the plain call (no
    progress) unless ``--async`` was asked for.
    """
    try:
        task: str = ctx.call(f"Async.{method}", *params)
    except Failure as e:
        if ctx.async_ or e.code != "MESSAGE_METHOD_UNKNOWN" or e.params[:1] != [f"Async.{method}"]:
            raise
        return ctx.call(method, *params)
    if ctx.async_:
        ctx.out.write(task + "\n")
        return None
    return wait(ctx, task, method)
