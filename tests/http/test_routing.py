"""xapi's routing: per method, the handler of the longest matching path prefix (http_svr.ml, xapi.ml)."""

from __future__ import annotations

import XenAPI

from tests.functional.test_errors import post
from xenia.api.http import Handler, Request, Response
from xenia.api.server import Router
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess

from .wire import Reader, connect


def test_xml_rpc_answers_any_post_path_no_other_handler_claims(daemon: DaemonProcess) -> None:
    # Xen Orchestra's xen-api client posts XML-RPC to /xmlrpc
    for path in ("/xmlrpc", "/RPC2", "/anything/at/all"):
        session = XenAPI.Session(daemon.url + path)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "routing")
        assert session.xenapi.pool.get_all()
        session.xenapi.session.logout()


def test_json_rpc_on_its_prefixes(daemon: DaemonProcess) -> None:
    body = b'{"jsonrpc": "2.0", "method": "system.listMethods", "params": [], "id": 9}'
    for path in ("/jsonrpc", "/json", "/jsonrpc/sub"):
        status, data = post(daemon, path, body, "application/json")
        assert status == 200 and b'"id":9' in data.replace(b" ", b"")


def test_methods_and_paths_without_a_handler(daemon: DaemonProcess) -> None:
    for request, status in [
        (b"PUT /nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 403),  # xapi's default callback
        (b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", 501),  # a method xapi has no handler for
        (b"GET /no-such-file HTTP/1.1\r\nHost: x\r\n\r\n", 404),  # the file server under GET /
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200),
    ]:
        with connect(daemon) as s:
            s.sendall(request)
            answer = Reader(s).answer()
            assert answer is not None and answer.status == status, request


def _named(name: str) -> Handler:
    def handler(req: Request, local: bool) -> Response:
        return Response(200, name.encode())

    return handler


def test_longest_prefix_wins_whatever_the_order_of_registration() -> None:
    router = Router()
    router.add("GET", "/rrd", _named("rrd"))
    router.add("GET", "/", _named("root"))
    router.add("GET", "/rrd_updates", _named("updates"))
    router.add("PUT", "/import", _named("import"))

    def answer(method: str, path: str) -> tuple[int, bytes]:
        resp = router.handle(Request(method, path, "HTTP/1.1", {}), False)
        assert isinstance(resp, Response)
        return resp.status, resp.body

    assert answer("GET", "/rrd_updates") == (200, b"updates")
    assert answer("GET", "/rrd_updatesX") == (200, b"updates")  # a prefix of the string, as xapi's radix tree
    assert answer("GET", "/rrd") == (200, b"rrd")
    assert answer("GET", "/host_rrd") == (200, b"root")
    assert answer("PUT", "/import_raw_vdi") == (200, b"import")
    assert answer("PUT", "/blob")[0] == 403
    assert answer("CONNECT", "/console")[0] == 403
    assert answer("PATCH", "/")[0] == 501
