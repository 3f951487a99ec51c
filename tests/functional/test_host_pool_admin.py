"""Trusted CA certificates and CRLs, licence files, RRD backups, telemetry, extensions and test posts,
through the official SDK against a real daemon.

Expected answers are xapi's (``certificates.ml``, ``xapi_host.ml``, ``xapi_pool.ml``,
``xapi_extensions.ml``, ``remote_requests.ml``): a certificate name is ``[A-Za-z0-9._-]+.pem`` not
starting with a dot, an existing name is refused, a missing one on uninstall is an error, a CA
certificate must be valid now; licence contents are base64; the next telemetry collection may be
at most 14 days ahead with the default weekly frequency; an unknown extension is
MESSAGE_METHOD_UNKNOWN; ``send_test_post`` posts the body over HTTPS and answers the response body.
"""

from __future__ import annotations

import base64
import datetime
import http.server
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.functional.test_new_user_defects import finished
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    """RRDs saved on the daemon's own schedule only every hour: a saved RRD is backup_rrds' work."""
    with DaemonProcess(extra_args=["--metrics-save-interval", "3600"]) as d:
        yield d


@pytest.fixture(scope="module")
def session(daemon: DaemonProcess) -> Iterator[XenAPI.Session]:
    s = XenAPI.Session(daemon.url)
    s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "host-pool-admin")
    yield s
    s.xenapi.session.logout()


def error(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def self_signed(days_from: int, days_to: int) -> tuple[str, str]:
    """A CA certificate valid from ``days_from`` to ``days_to`` days from now, and its key (PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xenia test CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + datetime.timedelta(days=days_from))
            .not_valid_after(now + datetime.timedelta(days=days_to))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))  # fmt: skip
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def test_ca_certificates_install_list_uninstall(session: XenAPI.Session, daemon: DaemonProcess) -> None:
    api = session.xenapi
    cert, _ = self_signed(-1, 30)
    assert api.pool.certificate_list() == []
    api.pool.install_ca_certificate("corp-ca.pem", cert)
    api.pool.certificate_install("other_CA-2.pem", cert)
    assert sorted(api.pool.certificate_list()) == ["corp-ca.pem", "other_CA-2.pem"]
    assert error(api.pool.certificate_install, "corp-ca.pem", cert) == ["CERTIFICATE_ALREADY_EXISTS", "corp-ca.pem"]
    for bad in ("../escape.pem", ".hidden.pem", "no-suffix", "sp ace.pem"):
        assert error(api.pool.install_ca_certificate, bad, cert) == ["CERTIFICATE_NAME_INVALID", bad]
    assert error(api.pool.install_ca_certificate, "junk.pem", "not a certificate") == ["CA_CERTIFICATE_INVALID"]
    expired, _ = self_signed(-30, -1)
    assert error(api.pool.install_ca_certificate, "old.pem", expired)[0] == "CA_CERTIFICATE_EXPIRED"
    future, _ = self_signed(2, 30)
    assert error(api.pool.install_ca_certificate, "future.pem", future)[0] == "CA_CERTIFICATE_NOT_VALID_YET"
    assert sorted(api.pool.certificate_list()) == ["corp-ca.pem", "other_CA-2.pem"]  # refusals left nothing

    task = api.Async.pool.certificate_sync()  # xapi serves these as tasks too
    assert finished(api, task)["status"] == "success"
    api.task.destroy(task)
    task = api.Async.pool.install_ca_certificate("corp-ca.pem", cert)
    rec = finished(api, task)
    assert (rec["status"], rec["error_info"]) == ("failure", ["CERTIFICATE_ALREADY_EXISTS", "corp-ca.pem"])
    api.task.destroy(task)
    api.pool.uninstall_ca_certificate("corp-ca.pem")
    assert error(api.pool.certificate_uninstall, "corp-ca.pem") == ["CERTIFICATE_DOES_NOT_EXIST", "corp-ca.pem"]
    api.pool.certificate_uninstall("other_CA-2.pem")
    assert api.pool.certificate_list() == []


def test_crls_install_list_uninstall(session: XenAPI.Session) -> None:
    api = session.xenapi
    crl = "-----BEGIN X509 CRL-----\nnot parsed by xapi either\n-----END X509 CRL-----\n"
    assert api.pool.crl_list() == []
    api.pool.crl_install("corp.pem", crl)
    assert api.pool.crl_list() == ["corp.pem"]
    assert error(api.pool.crl_install, "corp.pem", crl) == ["CRL_ALREADY_EXISTS", "corp.pem"]
    assert error(api.pool.crl_install, "a/b.pem", crl) == ["CRL_NAME_INVALID", "a/b.pem"]
    api.pool.crl_uninstall("corp.pem")
    assert error(api.pool.crl_uninstall, "corp.pem") == ["CRL_DOES_NOT_EXIST", "corp.pem"]
    assert api.pool.crl_list() == []


def test_the_trust_store_survives_a_restart() -> None:
    cert, _ = self_signed(-1, 30)
    with DaemonProcess() as d:
        s = XenAPI.Session(d.url)
        s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "restart")
        s.xenapi.pool.install_ca_certificate("kept.pem", cert)
        d.stop()
        d.start()
        s = XenAPI.Session(d.url)
        s.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "restart")
        assert s.xenapi.pool.certificate_list() == ["kept.pem"]


def test_licence_files(session: XenAPI.Session) -> None:
    api = session.xenapi
    host = api.host.get_all()[0]
    edition = api.host.get_edition(host)
    assert error(api.host.license_add, host, "%%% not base64 %%%") == ["LICENSE_PROCESSING_ERROR"]
    licence = base64.b64encode(b"<license>not one xenia can check</license>").decode()
    assert error(api.host.license_add, host, licence) == ["LICENSE_PROCESSING_ERROR"]
    assert error(api.host.license_apply, host, licence) == ["LICENSE_PROCESSING_ERROR"]
    assert api.host.get_edition(host) == edition  # a refused licence changes nothing
    api.host.license_remove(host)
    assert api.host.get_edition(host) == api.host.get_editions(host)[0]  # the unlicensed edition
    assert error(api.host.license_remove, "OpaqueRef:NULL") == ["HANDLE_INVALID", "host", "OpaqueRef:NULL"]


def test_backup_rrds_saves_the_hosts_rrd(session: XenAPI.Session, daemon: DaemonProcess) -> None:
    """The daemon saves RRDs hourly here; a backup with no delay saves the host's now."""
    api = session.xenapi
    host = api.host.get_all()[0]
    uuid = api.host.get_uuid(host)
    saved = list((daemon.state_dir / "rrd").rglob(f"*{uuid}*"))
    assert saved == []  # nothing saved yet: the first scheduled save is an hour away
    for _ in range(120):  # the host's RRD has its first sample once the first tick ran
        api.host.backup_rrds(host, 0.0)
        saved = list((daemon.state_dir / "rrd").rglob(f"*{uuid}*"))
        if saved:
            break
        time.sleep(0.5)
    assert saved, "host.backup_rrds saved no RRD of the host"


def test_sync_data_numa_policy_and_external_auth_check(session: XenAPI.Session) -> None:
    api = session.xenapi
    host, pool = api.host.get_all()[0], api.pool.get_all()[0]
    api.host.sync_data(host)  # a pool of one: no other host to copy blobs to
    api.pool.detect_nonhomogeneous_external_auth(pool)  # the coordinator agrees with itself
    for policy in ("best_effort", "any", "default_policy"):
        api.host.set_numa_affinity_policy(host, policy)
        assert api.host.get_numa_affinity_policy(host) == policy
    with pytest.raises(XenAPI.Failure):  # not a value of the enum
        api.host.set_numa_affinity_policy(host, "nearest")
    assert api.host.get_numa_affinity_policy(host) == "default_policy"


def test_telemetry_next_collection(session: XenAPI.Session) -> None:
    api = session.xenapi
    pool = api.pool.get_all()[0]
    assert api.pool.get_telemetry_frequency(pool) == "weekly"  # xapi's default: 14 days ahead at most

    def ahead(days: int) -> datetime.datetime:
        return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)).replace(microsecond=0)

    soon = ahead(10)
    api.pool.set_telemetry_next_collection(pool, soon.strftime("%Y%m%dT%H:%M:%SZ"))
    assert api.pool.get_telemetry_next_collection(pool).value == soon.strftime("%Y%m%dT%H:%M:%SZ")
    late = ahead(20)
    assert error(api.pool.set_telemetry_next_collection, pool, late.strftime("%Y%m%dT%H:%M:%SZ")) == \
        ["TELEMETRY_NEXT_COLLECTION_TOO_LATE", late.strftime("%Y-%m-%dT%H:%M:%SZ")]  # fmt: skip
    assert api.pool.get_telemetry_next_collection(pool).value == soon.strftime("%Y%m%dT%H:%M:%SZ")


def test_call_extension_names_an_unknown_extension(session: XenAPI.Session) -> None:
    api = session.xenapi
    host = api.host.get_all()[0]
    assert api.host.has_extension(host, "Test.hello") is False
    request = '{"jsonrpc": "2.0", "method": "Test.hello", "params": [], "id": 1}'
    assert error(api.host.call_extension, host, request) == ["MESSAGE_METHOD_UNKNOWN", "Test.hello"]
    assert error(api.host.call_extension, host, "not json")[0] == "INTERNAL_ERROR"


@pytest.fixture(scope="module")
def https_echo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """An HTTPS server with a self-signed certificate that answers each POST with what it received."""
    cert, key = self_signed(-1, 30)
    d: Path = tmp_path_factory.mktemp("echo")
    (d / "cert.pem").write_text(cert)
    (d / "key.pem").write_text(key)

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = b"path=" + self.path.encode() + b" host=" + self.headers["Host"].encode() + b" body=" + body
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Echo)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "cert.pem", d / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_send_test_post(session: XenAPI.Session, https_echo: int) -> None:
    api = session.xenapi
    assert api.pool.send_test_post("127.0.0.1", str(https_echo), "hello over TLS") == \
        "path=/ host=127.0.0.1 body=hello over TLS"  # fmt: skip
    plain = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    port = plain.server_address[1]
    plain.server_close()  # a port nothing listens on
    assert error(api.pool.send_test_post, "127.0.0.1", str(port), "x")[0] == "INTERNAL_ERROR"
    assert error(api.pool.send_test_post, "no such\r\nhost", str(https_echo), "x")[0] == "INTERNAL_ERROR"
    assert error(api.pool.send_test_post, "127.0.0.1", "70000", "x")[0] == "INTERNAL_ERROR"
    assert api.pool.send_test_post("127.0.0.1", str(https_echo), "still serving").endswith("body=still serving")
