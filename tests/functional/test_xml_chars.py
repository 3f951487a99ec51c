"""A string XML 1.0 cannot carry (stored over JSON-RPC) still reads back as a well-formed XML-RPC answer.

Found by the codec fuzzer: a control character set through JSON-RPC made every later XML-RPC
``get_record`` of that VM unparseable for the SDK. It goes out as U+FFFD (docs/api.md, Encodings).
"""

from __future__ import annotations

import XenAPI

from xenia.client import Session
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def test_a_control_character_reads_back_over_xml_rpc(daemon: DaemonProcess) -> None:
    with Session(daemon.url) as js:
        js.login("root", ROOT_PASSWORD)
        vm = js.xenapi.VM.clone(js.xenapi.VM.get_by_name_label("Other install media")[0], "ctl")
        js.xenapi.VM.set_name_description(vm, "a\x01b")
        sdk = XenAPI.Session(daemon.url)
        sdk.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xml-chars")
        assert sdk.xenapi.VM.get_record(vm)["name_description"] == "a\ufffdb"
        assert js.xenapi.VM.get_name_description(vm) == "a\x01b"  # JSON carries it as it is
        js.xenapi.VM.destroy(vm)
