"""TLS for the API listener: the user's certificate, or one generated at first start as xapi does.

xapi serves HTTPS on 443 with a self-signed certificate it makes on first boot
(``gencert``), naming the host by its names and management addresses.  xenia
does the same with the ``cryptography`` package (no shell-out to openssl): an
RSA-2048 key and a ten-year certificate whose subjectAltNames are the host
name, its fully qualified name, ``localhost``, the loopback addresses, the
listen address and the addresses the host name resolves to.  The pair is kept
in the state directory (``xapi-ssl.key`` mode 0600, ``xapi-ssl.pem``) and
reused on later starts; ``--tls-cert``/``--tls-key`` use the user's own.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import socket
import ssl
from pathlib import Path

CERT_FILE = "xapi-ssl.pem"
KEY_FILE = "xapi-ssl.key"


def server_context(state_dir: Path, cert: Path | None, key: Path | None, listen_host: str) -> ssl.SSLContext:
    """A server context from the user's files, or from the generated pair (made now if missing)."""
    cert, key = server_files(state_dir, cert, key, listen_host)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


def server_files(state_dir: Path, cert: Path | None, key: Path | None, listen_host: str) -> tuple[Path, Path]:
    """The certificate and key files to serve: the user's, or the generated pair (made now if missing)."""
    if (cert is None) != (key is None):
        raise ValueError("--tls-cert and --tls-key go together")
    if cert is None or key is None:
        cert, key = state_dir / CERT_FILE, state_dir / KEY_FILE
        if not (cert.exists() and key.exists()):
            write_self_signed(cert, key, host_names(), host_addresses(listen_host))
    return cert, key


def host_names() -> list[str]:
    names = [socket.gethostname(), socket.getfqdn(), "localhost"]
    return list(dict.fromkeys(n for n in names if n))


def host_addresses(listen_host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Loopbacks, the listen address (unless a wildcard), the host name's addresses and the outgoing one."""
    found = ["127.0.0.1", "::1", listen_host]
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)]
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent, the kernel only picks a route
        found.append(probe.getsockname()[0])
    out: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    for text in found:
        try:
            addr = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue  # a name, not an address
        if not addr.is_unspecified and addr not in out:
            out.append(addr)
    return out


def write_self_signed(cert_path: Path, key_path: Path, names: list[str],
                      addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> None:  # fmt: skip
    # imported here: cryptography loads when a certificate is made or read, not at every start (issue 12: 50 ms of a restart)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    alt_names: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    alt_names += [x509.IPAddress(a) for a in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
    write_private(key_path, key_pem)
    write_public(cert_path, cert.public_bytes(serialization.Encoding.PEM))


def write_public(path: Path, data: bytes) -> None:
    """Replace a file in one step (a reader sees the old bytes or the new, never half)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_private(path: Path, data: bytes) -> None:
    """Write a file that is 0600 from its first byte (no window where others could read the key)."""
    tmp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
