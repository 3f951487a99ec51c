"""A pool's db on an etcd that speaks TLS only and wants a client certificate (``--client-cert-auth``).

The test makes a CA, etcd's certificate (for 127.0.0.1) and a member's client certificate with the
``cryptography`` package, as an administrator would with any CA tool.
"""

from __future__ import annotations

import datetime
import ipaddress
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import XenAPI
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.pool.conftest import etcd_root
from xenia.datamodel import MODEL
from xenia.datamodel.errors import ApiError
from xenia.db import Db
from xenia.db.etcd import EtcdBackend, EtcdTls
from xenia.pool.localetcd import EtcdCluster, ServerTls
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _issue(directory: Path, name: str, subject: str, ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
           usage: list[x509.ObjectIdentifier]) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1)))  # fmt: skip
    if ca is None:
        builder = builder.issuer_name(_name(subject)).add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        signer = key
    else:
        builder = builder.issuer_name(ca[0].subject).add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                        False)  # fmt: skip
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), False)
        signer = ca[1]
    cert = builder.sign(signer, hashes.SHA256())
    (directory / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / f"{name}.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                              serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption()))  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def etcd_tls() -> Iterator[tuple[EtcdCluster, Path]]:
    root = etcd_root()
    pki = root / "pki"
    pki.mkdir()
    ca = _issue(pki, "ca", "xenia test CA", None, [])
    # etcd's JSON gateway calls etcd's own gRPC port with etcd's certificate: it is a client's too
    _issue(pki, "etcd", "etcd", ca, [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH])
    _issue(pki, "member", "xenia member", ca, [ExtendedKeyUsageOID.CLIENT_AUTH])
    tls = ServerTls(pki / "etcd.pem", pki / "etcd.key", pki / "ca.pem", pki / "member.pem", pki / "member.key")
    cluster = EtcdCluster(root, 1, tls=tls)
    try:
        yield cluster.start(), pki
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_the_db_goes_through_tls_with_a_client_certificate(etcd_tls: tuple[EtcdCluster, Path]) -> None:
    cluster, pki = etcd_tls
    assert cluster.endpoints.startswith("https://")
    tls = EtcdTls(str(pki / "ca.pem"), str(pki / "member.pem"), str(pki / "member.key"))
    first = Db(MODEL, EtcdBackend(cluster.endpoints, "tls", tls=tls))
    first.load()
    vm = first.create("VM", {"name_label": "over tls"})
    second = Db(MODEL, EtcdBackend(cluster.endpoints, "tls", tls=tls))
    second.load()
    assert second.get("VM", vm)["name_label"] == "over tls"
    stranger = EtcdBackend(cluster.endpoints, "tls", tls=EtcdTls(str(pki / "ca.pem")))  # no client certificate
    with pytest.raises(ApiError) as err:
        list(stranger.load())
    assert err.value.code == "INTERNAL_ERROR" and "unreachable" in err.value.args[1]
    with pytest.raises(ValueError):  # TLS files with a plain endpoint: a mistake, said at once
        EtcdBackend(cluster.endpoints.replace("https://", "http://"), "tls", tls=tls)


def test_a_member_daemon_runs_on_etcd_over_tls(etcd_tls: tuple[EtcdCluster, Path]) -> None:
    cluster, pki = etcd_tls
    daemon = DaemonProcess(extra_args=["--etcd", cluster.endpoints, "--etcd-prefix", "tls-pool",
                                       "--etcd-cacert", str(pki / "ca.pem"), "--etcd-cert", str(pki / "member.pem"),
                                       "--etcd-key", str(pki / "member.key")])  # fmt: skip
    with daemon:
        session = XenAPI.Session(daemon.url)
        session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "xenia-tests")
        api = session.xenapi
        host = api.session.get_this_host(session._session)
        assert api.host_metrics.get_live(api.host.get_metrics(host)) is True  # its lease, over TLS too
        (template,) = api.VM.get_by_name_label("Debian Bookworm 12")
        vm = api.VM.clone(template, "written over tls")
        session.xenapi.session.logout()
    reader = Db(MODEL, EtcdBackend(cluster.endpoints, "tls-pool",
                                   tls=EtcdTls(str(pki / "ca.pem"), str(pki / "member.pem"), str(pki / "member.key"))))
    reader.load()
    assert reader.get("VM", vm)["name_label"] == "written over tls"
