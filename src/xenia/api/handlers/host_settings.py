"""host and pool settings: ``host.set_power_on_mode`` (recorded for the tools that act on it) and
``pool.set_local_auth_max_threads`` (the threads that check local passwords)."""

from __future__ import annotations

from xenia.api import auth
from xenia.api.context import Call
from xenia.api.methods import handler


@handler("host.set_power_on_mode")
def set_power_on_mode(call: Call, self: str, power_on_mode: str, power_on_config: dict[str, str]) -> None:
    """How another host would power this one on (``wake-on-lan``, ``iLO``, ``DRAC``, a plugin's name, or
    "" for none), as xapi stores it: unchecked, both fields together (``xe host-set-power-on-mode``
    checks the mode and keeps a password in a secret before it calls this)."""
    call.db.get("host", self)
    call.db.update("host", self, power_on_mode=power_on_mode, power_on_config=power_on_config)


@handler("pool.set_local_auth_max_threads")
def set_local_auth_max_threads(call: Call, self: str, value: int) -> None:
    """The number of local password checks (scrypt, 16 MiB each) that run at once; xenia starts with 2."""
    call.db.get("pool", self)
    auth.set_max_threads(value)
