"""pool: the next telemetry collection and the external-auth homogeneity check, as ``xapi_pool.ml``.

- ``set_telemetry_next_collection``: xapi only records when the next collection may run (the
  collector is a separate tool that reads it), refusing a time later than the pool's
  ``telemetry_frequency`` allows from now (2 days for daily, 14 for weekly, 62 for monthly) with
  ``TELEMETRY_NEXT_COLLECTION_TOO_LATE [rfc3339 timestamp]``.  xenia does the same.
- ``detect_nonhomogeneous_external_auth``: xapi compares each pool member's external-auth
  configuration with the coordinator's and raises alerts for those that differ; the coordinator
  is homogeneous with itself by definition, so on a pool of one host there is nothing to compare.
- ``send_test_post``: an HTTPS ``POST /`` of the body to ``host:port`` (30 s timeout, else
  ``WLB_TIMEOUT ["30.0"]``), answering the response's body, for debugging TLS.  xapi verifies the
  peer against the pool's bundle only while ``pool.tls_verification_enabled`` is true, which it
  never is on xenia (it has no pool members to verify), so the peer is not verified, as xapi does
  then.  It uses the standard library's ``http.client`` in a worker thread: one short request.
"""

from __future__ import annotations

import asyncio
import http.client
import ssl
import time

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError
from xenia.util.clock import parse_xapi_time, xapi_time

#: how far ahead the next collection may be set, by ``telemetry_frequency`` (xapi's ``max_days``)
MAX_DAYS = {"daily": 2, "weekly": 14, "monthly": 62}


@handler("pool.set_telemetry_next_collection")
def set_telemetry_next_collection(call: Call, self: str, value: str) -> None:
    frequency = call.db.get("pool", self)["telemetry_frequency"]
    when = parse_xapi_time(value)
    if when > time.time() + MAX_DAYS[frequency] * 24 * 3600:
        raise ApiError("TELEMETRY_NEXT_COLLECTION_TOO_LATE", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)))
    call.db.set("pool", self, "telemetry_next_collection", xapi_time(when))


@handler("pool.detect_nonhomogeneous_external_auth")
def detect_nonhomogeneous_external_auth(call: Call, pool: str) -> None:
    call.db.get("pool", pool)


#: xapi's ``Remote_requests`` timeout for ``send_test_post``
TEST_POST_TIMEOUT = 30.0


def _post(host: str, port: int, body: str) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn: http.client.HTTPSConnection | None = None
    try:
        conn = http.client.HTTPSConnection(host, port, timeout=TEST_POST_TIMEOUT, context=context)
        headers = {"Host": host, "Connection": "close"}
        conn.request("POST", "/", body=body.encode("utf-8", "surrogatepass"), headers=headers)
        return conn.getresponse().read().decode(errors="replace")
    except TimeoutError:
        raise ApiError("WLB_TIMEOUT", str(TEST_POST_TIMEOUT)) from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # ValueError: a name or header it cannot send
        raise ApiError("INTERNAL_ERROR", f"send_test_post to {host}:{port}: {e}") from None
    finally:
        if conn is not None:
            conn.close()


@handler("pool.send_test_post")
async def send_test_post(call: Call, host: str, port: int, body: str) -> str:
    if not 0 < port < 65536:
        raise ApiError("INTERNAL_ERROR", f"send_test_post: port {port} is out of range")
    return await asyncio.to_thread(_post, host, port, body)
