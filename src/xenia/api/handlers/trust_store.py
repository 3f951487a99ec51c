"""pool: the trusted CA certificates and certificate revocation lists, as xapi's ``certificates.ml``.

xapi keeps them as files, one per name, in ``/etc/stunnel/certs`` and ``/etc/stunnel/crls``;
xenia keeps them the same way under its state directory (``trusted-certs/``, ``trusted-crls/``),
so they survive a restart and an administrator can read them.  The checks and errors are
xapi's: a name is ``[A-Za-z0-9._-]+`` ending in ``.pem`` and not starting with a dot
(``CERTIFICATE_NAME_INVALID`` / ``CRL_NAME_INVALID``), an existing name is refused rather
than overwritten, a CA certificate must parse and be valid now (``CA_CERTIFICATE_*``), a CRL
is stored as given (xapi does not parse it either).  ``certificate_list`` lists the installed
certificates' names (xapi reads its Certificate objects of type ``ca``, a class xenia does not
serve; the names are the same).  With one host there is nothing to copy to other members, so
``certificate_sync`` only checks the store can be read, as xapi's local sync does.
"""

from __future__ import annotations

import asyncio
import datetime
import re
from pathlib import Path

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.errors import ApiError

CERTS_DIR = "trusted-certs"
CRLS_DIR = "trusted-crls"
_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+\.pem")


def _store(call: Call, kind: str) -> Path:
    path = call.app.state_dir / kind
    try:
        path.mkdir(mode=0o755, exist_ok=True)
    except OSError:
        raise ApiError("CERTIFICATE_LIBRARY_CORRUPT") from None
    return path


def _prefix(kind: str) -> str:
    return "CERTIFICATE" if kind == CERTS_DIR else "CRL"


def _checked_name(kind: str, name: str) -> str:
    if name.startswith(".") or _SAFE_NAME.fullmatch(name) is None:
        raise ApiError(f"{_prefix(kind)}_NAME_INVALID", name)
    return name


def _rfc3339(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_ca_certificate(cert: str) -> None:
    """Gencertlib's ``validate_not_expired``: one PEM certificate, valid now."""
    # imported here: cryptography loads when a certificate is made or read, not at every start (issue 12)
    from cryptography import x509

    try:
        parsed = x509.load_pem_x509_certificate(cert.encode())
    except ValueError:
        raise ApiError("CA_CERTIFICATE_INVALID") from None
    now = datetime.datetime.now(datetime.UTC)
    if now < parsed.not_valid_before_utc:
        raise ApiError("CA_CERTIFICATE_NOT_VALID_YET", _rfc3339(now), _rfc3339(parsed.not_valid_before_utc))
    if now > parsed.not_valid_after_utc:
        raise ApiError("CA_CERTIFICATE_EXPIRED", _rfc3339(now), _rfc3339(parsed.not_valid_after_utc))


def _install(call: Call, kind: str, name: str, content: str) -> None:
    path = _store(call, kind) / _checked_name(kind, name)
    try:
        with path.open("xb") as f:  # exclusive: two installs of one name cannot both win
            f.write(content.encode("utf-8", "surrogatepass"))
    except FileExistsError:
        raise ApiError(f"{_prefix(kind)}_ALREADY_EXISTS", name) from None
    except OSError:
        raise ApiError("CERTIFICATE_LIBRARY_CORRUPT") from None
    path.chmod(0o644)


def _uninstall(call: Call, kind: str, name: str, force: bool) -> None:
    path = _store(call, kind) / _checked_name(kind, name)
    try:
        path.unlink()
    except FileNotFoundError:
        if not force:
            raise ApiError(f"{_prefix(kind)}_DOES_NOT_EXIST", name) from None
    except OSError:
        raise ApiError(f"{_prefix(kind)}_CORRUPT", name) from None


def _list(call: Call, kind: str) -> list[str]:
    store = _store(call, kind)
    try:
        return sorted(p.name for p in store.iterdir() if p.is_file() and not p.is_symlink())
    except OSError:
        raise ApiError("CERTIFICATE_LIBRARY_CORRUPT") from None


@handler("pool.certificate_install")
async def certificate_install(call: Call, name: str, cert: str) -> None:
    await asyncio.to_thread(_check_ca_certificate, cert)
    _install(call, CERTS_DIR, name, cert)


@handler("pool.install_ca_certificate")
async def install_ca_certificate(call: Call, name: str, cert: str) -> None:
    """xapi's newer name for ``certificate_install``: the same function."""
    await certificate_install(call, name, cert)


@handler("pool.uninstall_ca_certificate")
def uninstall_ca_certificate(call: Call, name: str) -> None:
    _uninstall(call, CERTS_DIR, name, force=False)


@handler("pool.certificate_uninstall")
def certificate_uninstall(call: Call, name: str) -> None:
    _uninstall(call, CERTS_DIR, name, force=False)


@handler("pool.certificate_list")
def certificate_list(call: Call) -> list[str]:
    return _list(call, CERTS_DIR)


@handler("pool.crl_install")
def crl_install(call: Call, name: str, cert: str) -> None:
    _install(call, CRLS_DIR, name, cert)


@handler("pool.crl_uninstall")
def crl_uninstall(call: Call, name: str) -> None:
    _uninstall(call, CRLS_DIR, name, force=False)


@handler("pool.crl_list")
def crl_list(call: Call) -> list[str]:
    return _list(call, CRLS_DIR)


@handler("pool.certificate_sync")
def certificate_sync(call: Call) -> None:
    """One host: no member to copy the store to; reading it is what remains of xapi's local sync."""
    _list(call, CERTS_DIR)
    _list(call, CRLS_DIR)
