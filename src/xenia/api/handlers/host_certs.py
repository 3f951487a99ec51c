"""host: the TLS server certificate (``get``/``install``/``reset_server_certificate``), as ``xapi_host.ml``.

The work is :class:`xenia.api.certificates.ServerCertificate`'s; making or checking a key
takes a moment, so it runs in a worker thread and the loop keeps serving.
"""

from __future__ import annotations

import asyncio

from xenia.api.certificates import ServerCertificate
from xenia.api.context import Call
from xenia.api.methods import handler


def _certificate(call: Call, host: str) -> ServerCertificate:
    call.db.get("host", host)
    service: ServerCertificate = call.app.services["certificate"]
    return service


@handler("host.get_server_certificate")
async def get_server_certificate(call: Call, host: str) -> str:
    return await asyncio.to_thread(_certificate(call, host).pem)


@handler("host.install_server_certificate")
async def install_server_certificate(call: Call, host: str, certificate: str, private_key: str,
                                     certificate_chain: str) -> None:  # fmt: skip
    await asyncio.to_thread(_certificate(call, host).install, certificate, private_key, certificate_chain)


@handler("host.reset_server_certificate")
async def reset_server_certificate(call: Call, host: str) -> None:
    await asyncio.to_thread(_certificate(call, host).reset)
