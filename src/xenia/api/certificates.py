"""The TLS listener's certificate as an API object: read it, replace it with the user's, or make a new one.

xapi's ``host.install_server_certificate`` checks the key, the certificate and the chain
(``ocaml/gencert/lib.ml``, in this order, with these errors) and then restarts stunnel;
``reset_server_certificate`` makes a new self-signed one.  xenia checks the same things
with the ``cryptography`` package and loads the new pair into the listener's
``SSLContext``: connections made from then on get it, open ones keep theirs.
"""

from __future__ import annotations

import datetime
import ssl
import threading
from pathlib import Path

from xenia.api import tls
from xenia.datamodel.errors import ApiError

#: the signature hashes xapi accepts on an installed certificate (names of ``cryptography``'s classes:
#: cryptography loads when a certificate is made or read, not at every start (issue 12: 50 ms of a restart))
SIGNATURE_HASHES = ("SHA256", "SHA512")


class ServerCertificate:
    """The pair the TLS listener serves, and the context it serves it from (None: no TLS listener)."""

    def __init__(self, state_dir: Path, listen_host: str) -> None:
        self.cert_path = state_dir / tls.CERT_FILE
        self.key_path = state_dir / tls.KEY_FILE
        self.listen_host = listen_host
        self.context: ssl.SSLContext | None = None
        self._lock = threading.Lock()

    def serve(self, context: ssl.SSLContext, cert: Path, key: Path) -> None:
        """The listener's context and the files it loaded (the user's, or the generated pair)."""
        self.context, self.cert_path, self.key_path = context, cert, key

    def pem(self) -> str:
        """The leaf certificate, in PEM form (the first one in the file; a chain may follow)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        with self._lock:
            if not self.cert_path.exists():
                tls.write_self_signed(self.cert_path, self.key_path, tls.host_names(),
                                      tls.host_addresses(self.listen_host))  # fmt: skip
            leaf = x509.load_pem_x509_certificates(self.cert_path.read_bytes())[0]
        return leaf.public_bytes(serialization.Encoding.PEM).decode()

    def install(self, certificate: str, private_key: str, chain: str) -> None:
        key_pem, cert_pem = _validated(certificate, private_key, chain)
        with self._lock:
            tls.write_private(self.key_path, key_pem)
            tls.write_public(self.cert_path, cert_pem)
            self._reload()

    def reset(self) -> None:
        with self._lock:
            tls.write_self_signed(self.cert_path, self.key_path, tls.host_names(), tls.host_addresses(self.listen_host))
            self._reload()

    def _reload(self) -> None:
        if self.context is not None:
            self.context.load_cert_chain(self.cert_path, self.key_path)


def _rfc3339(t: datetime.datetime) -> str:
    return t.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _key_type(key: object) -> str:
    """The name xapi's X509 library gives a key type (``ED25519``, ``P256``, ...)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519

    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"P{key.curve.key_size}"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ED25519"
    if isinstance(key, ed448.Ed448PrivateKey):
        return "ED448"
    return type(key).__name__.removeprefix("_").upper()


def _validated(certificate: str, private_key: str, chain: str) -> tuple[bytes, bytes]:
    """xapi's checks; returns the key (PKCS#8) and the leaf with its chain, re-encoded, as the files hold them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        key = serialization.load_pem_private_key(private_key.encode(), password=None)
    except (ValueError, TypeError):
        raise ApiError("SERVER_CERTIFICATE_KEY_INVALID") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ApiError("SERVER_CERTIFICATE_KEY_ALGORITHM_NOT_SUPPORTED", _key_type(key))
    if not 2048 <= key.key_size <= 4096:
        raise ApiError("SERVER_CERTIFICATE_KEY_RSA_LENGTH_NOT_SUPPORTED", key.key_size)
    try:
        leaf = x509.load_pem_x509_certificate(certificate.encode())
    except ValueError:
        raise ApiError("SERVER_CERTIFICATE_INVALID") from None
    now = datetime.datetime.now(datetime.UTC)
    if now < leaf.not_valid_before_utc:
        raise ApiError("SERVER_CERTIFICATE_NOT_VALID_YET", _rfc3339(now), _rfc3339(leaf.not_valid_before_utc))
    if now > leaf.not_valid_after_utc:
        raise ApiError("SERVER_CERTIFICATE_EXPIRED", _rfc3339(now), _rfc3339(leaf.not_valid_after_utc))
    if leaf.public_key() != key.public_key():
        raise ApiError("SERVER_CERTIFICATE_KEY_MISMATCH")
    accepted = tuple(getattr(hashes, name) for name in SIGNATURE_HASHES)
    if not isinstance(leaf.signature_hash_algorithm, accepted):
        raise ApiError("SERVER_CERTIFICATE_SIGNATURE_NOT_SUPPORTED")
    intermediates: list[x509.Certificate] = []
    if chain:
        try:
            intermediates = x509.load_pem_x509_certificates(chain.encode())
        except ValueError:
            raise ApiError("SERVER_CERTIFICATE_CHAIN_INVALID") from None
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
    cert_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [leaf, *intermediates])
    return key_pem, cert_pem
