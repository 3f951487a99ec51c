"""host: settings xapi only records, for the tools that act on them (``set_power_on_mode``)."""

from __future__ import annotations

from xenia.api.context import Call
from xenia.api.methods import handler


@handler("host.set_power_on_mode")
def set_power_on_mode(call: Call, self: str, power_on_mode: str, power_on_config: dict[str, str]) -> None:
    """How another host would power this one on (``wake-on-lan``, ``iLO``, ``DRAC``, a plugin's name, or
    "" for none), as xapi stores it: unchecked, both fields together (``xe host-set-power-on-mode``
    checks the mode and keeps a password in a secret before it calls this)."""
    call.db.get("host", self)
    call.db.update("host", self, power_on_mode=power_on_mode, power_on_config=power_on_config)
