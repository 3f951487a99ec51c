"""XML-RPC encoding of values whose datamodel type is not known, checked by the decoder every
Python XenAPI client uses (``xmlrpc.client.loads``): what goes out must read back as what went in,
except that integers travel as strings, as xapi sends its int64s (``<value>5</value>``)."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from xenia.api.codec import xmlrpc as codec


@pytest.mark.parametrize(
    "value",
    [True, False, 0, -5, 2**31 - 1, 1.5, "", "a<b>&c", [], [1, "x", True], ("t", 2), {}, {"k": [1, {"n": "v"}]}],
)
def test_encode_any_reads_back_with_the_sdks_decoder(value: Any) -> None:
    (got,), _ = xmlrpc.client.loads(codec.bare(codec.encode_any(value)))
    assert got == as_xapi_sends(value) and type(got) is type(as_xapi_sends(value))


def as_xapi_sends(value: Any) -> Any:
    if isinstance(value, bool | float | str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {k: as_xapi_sends(v) for k, v in value.items()}
    return [as_xapi_sends(v) for v in value]


def test_bare_reply_is_a_method_response_with_one_param() -> None:
    params, method = xmlrpc.client.loads(codec.bare(codec.encode_any("OK")))
    assert (params, method) == (("OK",), None)


def test_success_wraps_the_value_in_xapis_status_struct() -> None:
    (doc,), _ = xmlrpc.client.loads(codec.success(codec.encode_any({"a": 1})))
    assert doc == {"Status": "Success", "Value": {"a": "1"}}
