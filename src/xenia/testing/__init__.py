"""Helpers for testing against a real xenia daemon and real guests (shipped so other projects can use them too).

``xenia.testing.Simulator`` runs the daemon in-process (see :mod:`xenia.testing.simulator`); the
pytest plugin (:mod:`xenia.testing.pytest_plugin`) builds its fixtures on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xenia.testing.simulator import Simulator

__all__ = ["Simulator"]


def __getattr__(name: str) -> Any:
    """``Simulator`` loads the whole daemon: import it only when asked for."""
    if name == "Simulator":
        from xenia.testing.simulator import Simulator

        return Simulator
    raise AttributeError(f"module 'xenia.testing' has no attribute {name!r}")
