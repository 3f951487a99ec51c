"""host.call_plugin: run an executable an administrator put in the plugin directory, as xapi does.

xapi runs ``/etc/xapi.d/plugins/<plugin>`` with one argument, an XML-RPC method call
(method ``fn``, parameters the session reference and ``args`` as a struct), and reads an
XML-RPC method response from its standard output; plugins written with ``XenAPIPlugin``
answer a ``{Status, Value}`` or ``{Status, ErrorDescription}`` struct (``xapi_plugins.ml``).
xenia's plugin directory is ``<state-dir>/plugins``; only names listed in it can be called
(``XENAPI_MISSING_PLUGIN [name]`` otherwise, so no path leaves it), and a plugin that exits
non-zero, dies or answers something else is ``XENAPI_PLUGIN_FAILURE [status, stdout, stderr]``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import xmlrpc.client
from pathlib import Path
from xml.parsers.expat import ExpatError

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError

PLUGIN_DIR = "plugins"


def _find(state_dir: Path, name: str) -> Path:
    directory = state_dir / PLUGIN_DIR
    try:
        listed = set(os.listdir(directory))
    except OSError:
        listed = set()
    if name not in listed:
        raise ApiError("XENAPI_MISSING_PLUGIN", name)
    return directory / name


def _answer(stdout: str) -> str:
    """The plugin's XML-RPC response: its string, its XenAPI failure, or a protocol failure."""
    try:
        (value,), _ = xmlrpc.client.loads(stdout)
    except xmlrpc.client.Fault as fault:
        raise ApiError("XENAPI_PLUGIN_FAILURE", "fault", fault.faultCode, fault.faultString) from None
    except (ExpatError, ValueError, TypeError):
        raise ApiError("XENAPI_PLUGIN_FAILURE", "unexpected XMLRPC result", stdout) from None
    if isinstance(value, dict) and value.get("Status") == "Success" and isinstance(value.get("Value"), str):
        result: str = value["Value"]
        return result
    if isinstance(value, dict) and value.get("Status") == "Failure":
        description = value.get("ErrorDescription")
        if isinstance(description, list) and description:
            raise ApiError(str(description[0]), *description[1:])
    if isinstance(value, str):
        return value
    raise ApiError("XENAPI_PLUGIN_FAILURE", "unexpected XMLRPC result", stdout)


@handler("host.call_plugin")
async def call_plugin(call: Call, host: str, plugin: str, fn: str, args: dict[str, str]) -> str:
    call.db.get("host", host)
    path = _find(call.app.state_dir, plugin)
    request = xmlrpc.client.dumps((call.session_ref, args), methodname=fn)
    try:
        proc = await asyncio.create_subprocess_exec(
            str(path), request, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
    except OSError as e:  # not executable, or not a program
        raise ApiError("XENAPI_PLUGIN_FAILURE", "non-zero exit", "", str(e)) from None
    out, err = await proc.communicate()
    stdout, stderr = out.decode(errors="replace"), err.decode(errors="replace")
    if proc.returncode is not None and proc.returncode < 0:
        raise ApiError("XENAPI_PLUGIN_FAILURE", f"signal: {signal.Signals(-proc.returncode).name}", stdout, stderr)
    if proc.returncode != 0:
        raise ApiError("XENAPI_PLUGIN_FAILURE", "non-zero exit", stdout, stderr)
    return _answer(stdout)
