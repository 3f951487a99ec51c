"""host.call_plugin through the official SDK, with plugins written the way XenAPIPlugin writes them.

xapi (``xapi_plugins.ml``): the plugin gets one argument, an XML-RPC call of ``fn`` with the
session and the args struct, and answers an XML-RPC response on stdout: ``{Status: Success,
Value}`` gives the value, ``{Status: Failure, ErrorDescription}`` that error; a name not in
the plugin directory is XENAPI_MISSING_PLUGIN [name], a plugin that fails is
XENAPI_PLUGIN_FAILURE [status, stdout, stderr].
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from tests.functional.test_new_user_defects import finished
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

#: the dispatch XenAPIPlugin does, in plain Python: functions by name, answers as Status structs
PLUGIN = '''#!{python}
import sys, xmlrpc.client
(session, args), fn = xmlrpc.client.loads(sys.argv[1])
def answer(struct):
    sys.stdout.write(xmlrpc.client.dumps((struct,), methodresponse=True))
if fn == "echo":
    answer({{"Status": "Success", "Value": ",".join(f"{{k}}={{v}}" for k, v in sorted(args.items()))}})
elif fn == "session":
    answer({{"Status": "Success", "Value": session}})
elif fn == "refuse":
    answer({{"Status": "Failure", "ErrorDescription": ["VM_BAD_POWER_STATE", "x", "running", "halted"]}})
elif fn == "crash":
    sys.stderr.write("it broke")
    sys.exit(3)
else:
    sys.stdout.write("this is not XML-RPC")
'''


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    plugins = daemon.state_dir / "plugins"
    plugins.mkdir(exist_ok=True)
    script = plugins / "demo.py"
    script.write_text(PLUGIN.format(python=sys.executable))
    script.chmod(0o755)
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "plugins")
    yield s
    s.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def test_a_plugin_answers_with_the_call_it_was_given(session: XenAPI.Session) -> None:
    api = session.xenapi
    host = api.host.get_all()[0]
    assert api.host.call_plugin(host, "demo.py", "echo", {"b": "2", "a": "1"}) == "a=1,b=2"
    assert api.host.call_plugin(host, "demo.py", "session", {}) == session._session


def test_plugin_errors(session: XenAPI.Session, daemon: DaemonProcess) -> None:
    api = session.xenapi
    host = api.host.get_all()[0]
    call = api.host.call_plugin
    assert error(call, host, "demo.py", "refuse", {}) == ["VM_BAD_POWER_STATE", "x", "running", "halted"]
    assert error(call, host, "demo.py", "crash", {}) == ["XENAPI_PLUGIN_FAILURE", "non-zero exit", "", "it broke"]
    assert error(call, host, "demo.py", "garbage", {}) == \
        ["XENAPI_PLUGIN_FAILURE", "unexpected XMLRPC result", "this is not XML-RPC"]  # fmt: skip
    assert error(call, host, "absent", "echo", {}) == ["XENAPI_MISSING_PLUGIN", "absent"]
    outside = daemon.state_dir / "outside.py"  # only what is in the plugin directory runs
    outside.write_text(PLUGIN.format(python=sys.executable))
    outside.chmod(0o755)
    assert error(call, host, "../outside.py", "echo", {}) == ["XENAPI_MISSING_PLUGIN", "../outside.py"]
    assert api.host.call_plugin(host, "demo.py", "echo", {}) == ""  # still serving


def test_async_call_plugin(session: XenAPI.Session) -> None:
    api = session.xenapi
    host = api.host.get_all()[0]
    task = api.Async.host.call_plugin(host, "demo.py", "echo", {"k": "v"})
    record = finished(api, task)
    assert record["status"] == "success"
    assert "k=v" in record["result"]
    api.task.destroy(task)
