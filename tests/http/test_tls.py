"""HTTPS beside plain HTTP (issue 10 item 4): the SDK and JSON-RPC over TLS, the generated certificate, bad handshakes."""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import socket
import ssl
import stat
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import XenAPI
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.functional.test_errors import still_serving
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess, free_port


class TlsDaemon(DaemonProcess):
    def __init__(self, extra: list[str] | None = None, plain: bool = True) -> None:
        self.tls_port = free_port()
        args = ["--tls-listen", f"127.0.0.1:{self.tls_port}", *(extra or [])]
        super().__init__(extra_args=args if plain else [*args, "--listen", ""])
        if not plain:
            self.port = self.tls_port  # start() waits for this port to accept

    def __enter__(self) -> TlsDaemon:
        self.start()
        return self

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"


@pytest.fixture(scope="module")
def tls_daemon() -> Iterator[TlsDaemon]:
    with TlsDaemon() as d:
        yield d


def unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def test_sdk_over_https(tls_daemon: TlsDaemon) -> None:
    session = XenAPI.Session(tls_daemon.https_url, ignore_ssl=True)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "tls-test")
    host = session.xenapi.host.get_all()[0]
    assert session.xenapi.host.get_https_only(host) is False  # plain HTTP is open too
    session.xenapi.session.logout()


def test_json_rpc_over_tls(tls_daemon: TlsDaemon) -> None:
    conn = http.client.HTTPSConnection("127.0.0.1", tls_daemon.tls_port, timeout=30, context=unverified())
    body = orjson.dumps({"jsonrpc": "2.0", "method": "session.login_with_password",
                         "params": ["root", ROOT_PASSWORD, "2.0", "tls"], "id": 1})  # fmt: skip
    conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    answer = orjson.loads(resp.read())
    assert resp.status == 200 and answer["result"].startswith("OpaqueRef:")
    body = orjson.dumps({"jsonrpc": "2.0", "method": "pool.get_all", "params": [answer["result"]], "id": 2})
    conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})  # the same kept-alive connection
    resp = conn.getresponse()
    assert resp.status == 200 and len(orjson.loads(resp.read())["result"]) == 1


def test_generated_certificate_names_the_host_and_verifies(tls_daemon: TlsDaemon) -> None:
    key = tls_daemon.state_dir / "xapi-ssl.key"
    cert_path = tls_daemon.state_dir / "xapi-ssl.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", socket.gethostname()} <= set(alt.get_values_for_type(x509.DNSName))
    assert ipaddress.ip_address("127.0.0.1") in alt.get_values_for_type(x509.IPAddress)
    # a client that trusts this certificate verifies the daemon by its address and by name
    context = ssl.create_default_context(cafile=str(cert_path))
    for name in ("127.0.0.1", "localhost"):
        with socket.create_connection(("127.0.0.1", tls_daemon.tls_port), timeout=30) as raw, \
                context.wrap_socket(raw, server_hostname=name) as s:  # fmt: skip
            assert s.getpeercert() is not None


def test_bad_handshakes_do_not_hurt_the_daemon(tls_daemon: TlsDaemon) -> None:
    hello = b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 20  # a ClientHello cut short
    for data in [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\x00" * 1000, hello, b"\x16\x03\x01\xff\xff" + b"A" * 300, b""]:
        with socket.create_connection(("127.0.0.1", tls_daemon.tls_port), timeout=30) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            try:
                while s.recv(4096):
                    pass
            except ConnectionResetError:
                pass
    held = [socket.create_connection(("127.0.0.1", tls_daemon.tls_port)) for _ in range(20)]  # silent handshakes
    try:
        session = XenAPI.Session(tls_daemon.https_url, ignore_ssl=True)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "tls-test")
        session.xenapi.session.logout()
        still_serving(tls_daemon)
    finally:
        for s in held:
            s.close()


def _own_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xenia-own-cert")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))  # fmt: skip
    cert_path, key_path = directory / "own.pem", directory / "own.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def test_users_own_certificate_and_https_only(tmp_path: Path) -> None:
    cert_path, key_path = _own_certificate(tmp_path)
    with TlsDaemon(["--tls-cert", str(cert_path), "--tls-key", str(key_path)], plain=False) as d:
        with socket.create_connection(("127.0.0.1", d.tls_port), timeout=30) as raw, \
                unverified().wrap_socket(raw) as s:  # fmt: skip
            served = s.getpeercert(binary_form=True)
        own = x509.load_pem_x509_certificate(cert_path.read_bytes()).public_bytes(serialization.Encoding.DER)
        assert served == own
        assert not (d.state_dir / "xapi-ssl.key").exists()
        session = XenAPI.Session(d.https_url, ignore_ssl=True)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "tls-test")
        host = session.xenapi.host.get_all()[0]
        assert session.xenapi.host.get_https_only(host) is True  # no plain HTTP listener
        session.xenapi.session.logout()
