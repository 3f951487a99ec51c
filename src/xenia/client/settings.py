"""Connection settings: where the server is and who we are, from arguments, environment, config file.

Each setting is taken from the first place that has it:

1. the explicit argument (the CLI's ``--url``/``--user``/``--password`` flags);
2. the environment: ``XENIA_URL``, ``XENIA_USER``, ``XENIA_PASSWORD``;
3. the config file: ``--config``, else ``$XENIA_CONFIG``, else
   ``$XDG_CONFIG_HOME/xenia/cli.toml`` (``~/.config/xenia/cli.toml``);
4. the defaults: the local socket, user ``root``, empty password.

The default socket is ``var/xapi.sock`` under the current directory when it
exists (where ``xenia serve`` puts it by default, handy in a development tree),
else ``/var/lib/xenia/xapi.sock`` (an installed daemon's).  On the local socket
the daemon treats the caller as root, so no password is needed there.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xenia.client.errors import ConfigError

#: the development default (``xenia serve`` without --state-dir), relative to the current directory
DEV_SOCKET = Path("var/xapi.sock")
#: an installed daemon's socket
SYSTEM_SOCKET = Path("/var/lib/xenia/xapi.sock")

_CONFIG_KEYS: dict[str, type | tuple[type, ...]] = {"url": str, "user": str, "password": str, "password_file": str, "timeout": (int, float),
                "verify_tls": bool}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Everything needed to open a session."""

    #: ``http(s)://host:port`` or a unix socket path
    url: str
    user: str = "root"
    password: str = ""
    #: seconds to wait for one answer
    timeout: float = 600.0
    #: check the server's TLS certificate (https only)
    verify_tls: bool = True
    #: groups sessions on the server (per-originator session cap)
    originator: str = "xenia-client"
    #: where each setting came from, e.g. ``{"url": "environment (XENIA_URL)"}``, for error messages
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)


def default_url() -> str:
    """The local socket: ``./var/xapi.sock`` if present, else ``/var/lib/xenia/xapi.sock``."""
    return str(DEV_SOCKET) if DEV_SOCKET.exists() else str(SYSTEM_SOCKET)


def default_config_path(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "xenia" / "cli.toml"


def load_config(path: Path, *, required: bool) -> dict[str, Any]:
    """The settings in a ``cli.toml``; a missing file is empty unless it was asked for by name."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist") from None
        return {}
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read config file {path}: {e}") from e
    for key, value in data.items():
        expected = _CONFIG_KEYS.get(key.replace("-", "_"))
        if expected is None:
            raise ConfigError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(_CONFIG_KEYS))})")
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(f"{path}: setting {key!r} has the wrong type")
    return {k.replace("-", "_"): v for k, v in data.items()}


def _password_from_file(path: str) -> str:
    try:
        return Path(path).expanduser().read_text().rstrip("\n")
    except OSError as e:
        raise ConfigError(f"cannot read password file {path}: {e}") from e


def resolve_settings(*, url: str | None = None, user: str | None = None, password: str | None = None,
                     timeout: float | None = None, verify_tls: bool | None = None, config: str | Path | None = None,
                     originator: str = "xenia-client",
                     env: Mapping[str, str] | None = None) -> ConnectionSettings:  # fmt: skip
    """Settings from the arguments, then the environment, then the config file, then the defaults."""
    env = os.environ if env is None else env
    named = config or env.get("XENIA_CONFIG")
    path = Path(named).expanduser() if named else default_config_path(env)
    file = load_config(path, required=bool(named))
    if "password" not in file and "password_file" in file:
        file["password"] = _password_from_file(file["password_file"])
    sources: dict[str, str] = {}

    def pick(name: str, given: Any, env_name: str | None, default: Any) -> Any:
        if given is not None:
            sources[name] = "command line"
            return given
        if env_name and env.get(env_name) is not None:
            sources[name] = f"environment ({env_name})"
            return env[env_name]
        if name in file:
            sources[name] = f"config file ({path})"
            return file[name]
        sources[name] = "default"
        return default

    chosen_url = pick("url", url, "XENIA_URL", None) or default_url()
    return ConnectionSettings(
        url=str(chosen_url),
        user=str(pick("user", user, "XENIA_USER", "root")),
        password=str(pick("password", password, "XENIA_PASSWORD", "")),
        timeout=float(pick("timeout", timeout, None, 600.0)),
        verify_tls=bool(pick("verify_tls", verify_tls, None, True)),
        originator=originator,
        sources=sources,
    )


__all__ = ["DEV_SOCKET", "SYSTEM_SOCKET", "ConnectionSettings", "default_config_path", "default_url",
           "load_config", "resolve_settings"]  # fmt: skip
