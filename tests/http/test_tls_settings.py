"""TLS settings through the SDK over HTTPS: host.get/install/reset_server_certificate, checked on the
TLS handshake, and host/pool.set_https_only, checked on the plain listener.

What is accepted and the errors for what is not come from xapi's ``ocaml/gencert/lib.ml``
(RSA keys of 2048 to 4096 bits, SHA256/SHA512 signatures, a certificate valid now and
matching the key, a PEM chain).  ``set_https_only`` closes port 80 and keeps HTTPS
(``xapi_host.ml``); xenia's port 80 is its plain ``--listen`` address.
"""

from __future__ import annotations

import datetime
import socket
from collections.abc import Iterator

import pytest
import XenAPI
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.functional.test_errors import still_serving
from tests.http.test_tls import TlsDaemon, unverified
from xenia.testing.daemon import ROOT_PASSWORD

DAY = datetime.timedelta(days=1)
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@pytest.fixture(scope="module")
def daemon() -> Iterator[TlsDaemon]:
    with TlsDaemon() as d:
        yield d


@pytest.fixture
def sdk(daemon: TlsDaemon) -> Iterator[XenAPI.Session]:
    session = login(daemon)
    yield session
    session.xenapi.session.logout()


def served(daemon: TlsDaemon) -> x509.Certificate:
    """The certificate a new TLS connection gets."""
    with socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=30) as raw, \
            unverified().wrap_socket(raw) as s:  # fmt: skip
        der = s.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der)


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key: PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()  # fmt: skip


def certificate(key: PrivateKey, name: str, issuer: tuple[x509.Name, PrivateKey] | None = None,
                start: datetime.datetime | None = None, days: int = 30,
                algorithm: hashes.SHA256 | hashes.SHA384 | hashes.SHA512 | None = None) -> x509.Certificate:  # fmt: skip
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, signer = issuer if issuer is not None else (subject, key)
    start = start or datetime.datetime.now(datetime.UTC) - DAY
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + days * DAY)
            .sign(signer, algorithm or hashes.SHA256()))  # fmt: skip


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


KEYS = (rsa_key(), rsa_key())  # made once: key generation is most of these tests' time


def host(sdk: XenAPI.Session) -> str:
    return str(sdk.xenapi.host.get_all()[0])


def failure(call: object, *args: object) -> list[str]:
    with pytest.raises(XenAPI.Failure) as err:
        call(*args)  # type: ignore[operator]
    return list(err.value.details)


def test_get_server_certificate_is_the_one_served(daemon: TlsDaemon, sdk: XenAPI.Session) -> None:
    got = x509.load_pem_x509_certificate(sdk.xenapi.host.get_server_certificate(host(sdk)).encode())
    assert got == served(daemon)


def login(daemon: TlsDaemon) -> XenAPI.Session:
    session = XenAPI.Session(daemon.https_url, ignore_ssl=True)
    session.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "cert-test")
    return session


def test_install_restart_reset(daemon: TlsDaemon) -> None:
    sdk = login(daemon)
    h = host(sdk)
    ca_key, leaf_key = KEYS[0], rsa_key(3072)
    ca = certificate(ca_key, "xenia test CA", days=365)
    leaf = certificate(leaf_key, "xenia.example", issuer=(ca.subject, ca_key), algorithm=hashes.SHA512())
    sdk.xenapi.host.install_server_certificate(h, pem(leaf), key_pem(leaf_key), pem(ca))
    assert served(daemon) == leaf  # new connections get it at once
    assert x509.load_pem_x509_certificate(sdk.xenapi.host.get_server_certificate(h).encode()) == leaf
    still_serving(daemon)

    daemon.stop()  # it is the certificate the daemon serves from now on, not only until it stops
    daemon.start()
    assert served(daemon) == leaf
    session = login(daemon)
    session.xenapi.host.reset_server_certificate(h)
    fresh = served(daemon)
    assert fresh != leaf
    assert fresh.issuer == fresh.subject  # self-signed again
    alt = fresh.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in alt.get_values_for_type(x509.DNSName)
    assert x509.load_pem_x509_certificate(session.xenapi.host.get_server_certificate(h).encode()) == fresh
    session.xenapi.session.logout()


def test_install_refuses_what_xapi_refuses_and_keeps_serving(daemon: TlsDaemon, sdk: XenAPI.Session) -> None:
    h = host(sdk)
    before = served(daemon)
    install = sdk.xenapi.host.install_server_certificate
    good_key = KEYS[0]
    good = certificate(good_key, "good")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    short_key = rsa_key(1024)
    now = datetime.datetime.now(datetime.UTC)

    assert failure(install, h, pem(good), "not a key", "") == ["SERVER_CERTIFICATE_KEY_INVALID"]
    assert failure(install, h, pem(certificate(ec_key, "ec")), key_pem(ec_key), "") == \
        ["SERVER_CERTIFICATE_KEY_ALGORITHM_NOT_SUPPORTED", "P256"]  # fmt: skip
    assert failure(install, h, pem(certificate(short_key, "short")), key_pem(short_key), "") == \
        ["SERVER_CERTIFICATE_KEY_RSA_LENGTH_NOT_SUPPORTED", "1024"]  # fmt: skip
    assert failure(install, h, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                   key_pem(good_key), "") == ["SERVER_CERTIFICATE_INVALID"]  # fmt: skip
    late = failure(install, h, pem(certificate(good_key, "late", start=now + 2 * DAY)), key_pem(good_key), "")
    assert late[0] == "SERVER_CERTIFICATE_NOT_VALID_YET" and len(late) == 3 and late[1] < late[2]
    old = failure(install, h, pem(certificate(good_key, "old", start=now - 40 * DAY)), key_pem(good_key), "")
    assert old[0] == "SERVER_CERTIFICATE_EXPIRED" and len(old) == 3 and old[1] > old[2]
    assert failure(install, h, pem(good), key_pem(KEYS[1]), "") == ["SERVER_CERTIFICATE_KEY_MISMATCH"]
    sha384 = certificate(good_key, "sha384", algorithm=hashes.SHA384())
    assert failure(install, h, pem(sha384), key_pem(good_key), "") == ["SERVER_CERTIFICATE_SIGNATURE_NOT_SUPPORTED"]
    assert failure(install, h, pem(good), key_pem(good_key), "garbage") == ["SERVER_CERTIFICATE_CHAIN_INVALID"]

    assert served(daemon) == before  # nothing refused was installed
    still_serving(daemon)


def test_an_unknown_host_is_refused(daemon: TlsDaemon, sdk: XenAPI.Session) -> None:
    h = host(sdk)
    before = sdk.xenapi.host.get_server_certificate(h)
    assert failure(sdk.xenapi.host.reset_server_certificate, "OpaqueRef:NULL") == \
        ["HANDLE_INVALID", "host", "OpaqueRef:NULL"]  # fmt: skip
    assert sdk.xenapi.host.get_server_certificate(h) == before


def plain_refused(daemon: TlsDaemon) -> bool:
    try:
        socket.create_connection(("127.0.0.1", daemon.port), timeout=30).close()
    except ConnectionRefusedError:
        return True
    return False


def test_https_only_closes_and_opens_plain_http(daemon: TlsDaemon) -> None:
    sdk = login(daemon)
    h, pool = host(sdk), sdk.xenapi.pool.get_all()[0]
    assert sdk.xenapi.host.get_https_only(h) is False and not plain_refused(daemon)
    plain = XenAPI.Session(daemon.url)  # a client on plain HTTP keeps the connection it has
    plain.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "plain")

    sdk.xenapi.pool.set_https_only(pool, True)
    assert sdk.xenapi.host.get_https_only(h) is True
    assert plain_refused(daemon)
    sdk.xenapi.host.set_https_only(h, True)  # the same again changes nothing
    sdk.xenapi.session.logout()

    daemon.stop()  # a restart keeps it closed
    daemon.wait_port = daemon.tls_port
    try:
        daemon.start()
    finally:
        daemon.wait_port = None
    assert plain_refused(daemon)
    sdk = login(daemon)
    assert sdk.xenapi.host.get_https_only(h) is True
    sdk.xenapi.host.set_https_only(h, False)
    assert sdk.xenapi.host.get_https_only(h) is False
    plain = XenAPI.Session(daemon.url)
    plain.xenapi.login_with_password("root", ROOT_PASSWORD, "2.0", "plain")
    plain.xenapi.session.logout()
    sdk.xenapi.session.logout()
