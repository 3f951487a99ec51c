"""Driver registry: name -> factory.

Built-in drivers are listed as ``"module:attribute"`` strings and imported only when asked for,
so importing xenia never imports (let alone opens) a hypervisor backend, and the ``qemu`` driver's
dependencies are not needed to run the simulator. Adding a built-in driver is one line in
:data:`_BUILTIN`. Tests and plug-ins may :func:`register` further factories at run time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path

from xenia.drivers.base import Driver, DriverConfig
from xenia.drivers.errors import InvalidArgument

__all__ = ["DriverFactory", "create", "get_factory", "names", "register", "unregister"]

#: A factory builds an unopened driver from its configuration.
DriverFactory = Callable[[DriverConfig], Driver]

#: Built-in drivers, imported lazily. The attribute is a :data:`DriverFactory` (often the class).
_BUILTIN: dict[str, str] = {
    "sim": "xenia.drivers.sim:SimDriver",
    "qemu": "xenia.drivers.qemu:QemuDriver",
}

_registered: dict[str, DriverFactory] = {}


def register(name: str, factory: DriverFactory) -> None:
    """Register (or replace) a driver factory under ``name``."""
    _registered[name] = factory


def unregister(name: str) -> None:
    """Forget a factory registered with :func:`register` (built-ins stay)."""
    _registered.pop(name, None)


def names() -> list[str]:
    """All known driver names, sorted (built-ins whose module is absent are still listed)."""
    return sorted(set(_BUILTIN) | set(_registered))


def get_factory(name: str) -> DriverFactory:
    """Return the factory for ``name``.

    :raises InvalidArgument: unknown name, or a built-in whose module cannot be imported (the
        ImportError is kept as the cause).
    """
    if name in _registered:
        return _registered[name]
    target = _BUILTIN.get(name)
    if target is None:
        raise InvalidArgument(f"unknown driver {name!r}; known: {', '.join(names())}")
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InvalidArgument(f"driver {name!r} is not available: {exc}", cause=exc) from exc
    factory: DriverFactory = getattr(module, attr)
    return factory


def create(name: str, state_dir: Path | str, options: Mapping[str, str] | None = None) -> Driver:
    """Build an unopened driver; the caller must ``await driver.open()`` before using it."""
    config = DriverConfig(state_dir=Path(state_dir), options=dict(options or {}))
    return get_factory(name)(config)
