"""Connection settings from flags, environment and config file; exit codes for each kind of failure."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Xe
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess, free_port


def test_environment_url_and_password(xe: Xe) -> None:
    assert xe.ok("host-list", "--minimal").out.strip()


def test_wrong_password_is_an_api_failure(xe: Xe) -> None:
    r = xe("host-list", env={"XENIA_PASSWORD": "wrong"})
    assert r.rc == 1
    assert "Error code: SESSION_AUTHENTICATION_FAILED" in r.err


def test_unreachable_daemon_is_exit_3(xe: Xe, tmp_path: Path) -> None:
    r = xe("vm-list", env={"XENIA_URL": f"http://127.0.0.1:{free_port()}"})
    assert r.rc == 3 and "cannot talk to" in r.err
    r = xe("vm-list", env={"XENIA_URL": str(tmp_path / "no.sock")})
    assert r.rc == 3


def test_usage_errors_are_exit_2(xe: Xe) -> None:
    assert xe("vm-list", "justaword").rc == 2
    assert xe("vm-param-get", "uuid=x").rc == 2  # param-name= missing
    assert xe("vm-start", "colour=blue").rc == 2
    assert xe("no-such-command").rc == 2
    assert xe().rc == 2


def test_flags_override_environment(xe: Xe, daemon: DaemonProcess) -> None:
    bad = {"XENIA_URL": f"http://127.0.0.1:{free_port()}", "XENIA_PASSWORD": "wrong"}
    assert xe("host-list", env=bad).rc == 3
    xe.ok("--url", daemon.url, "--password", ROOT_PASSWORD, "host-list", env=bad)
    xe.ok("host-list", "--url", daemon.url, "-pw", ROOT_PASSWORD, env=bad)  # after the command too, as in xe


def test_local_socket_needs_no_password(xe: Xe, daemon: DaemonProcess) -> None:
    xe.ok("host-list", "--url", str(daemon.socket_path), drop=("XENIA_PASSWORD",))
    xe.ok("host-list", env={"XENIA_URL": f"unix://{daemon.socket_path}"}, drop=("XENIA_PASSWORD",))


def test_default_is_the_local_socket_under_var(xe: Xe, daemon: DaemonProcess, tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "xapi.sock").symlink_to(daemon.socket_path)
    r = xe.ok("host-list", "--minimal", cwd=tmp_path, drop=("XENIA_URL", "XENIA_PASSWORD"))
    assert r.out.strip()
    r = xe("host-list", cwd=tmp_path / "var", drop=("XENIA_URL", "XENIA_PASSWORD"))  # no ./var/xapi.sock here
    assert r.rc == 3 and "/var/lib/xenia/xapi.sock" in r.err


def test_config_file(xe: Xe, daemon: DaemonProcess, tmp_path: Path) -> None:
    conf = tmp_path / "xdg" / "xenia" / "cli.toml"
    conf.parent.mkdir(parents=True)
    conf.write_text(f'url = "{daemon.url}"\nuser = "root"\npassword = "{ROOT_PASSWORD}"\n')
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    xe.ok("host-list", env=env, drop=("XENIA_URL", "XENIA_PASSWORD"))
    # the environment wins over the file
    assert xe("host-list", env={**env, "XENIA_PASSWORD": "wrong"}, drop=("XENIA_URL",)).rc == 1
    other = tmp_path / "other.toml"
    other.write_text(f'url = "{daemon.url}"\npassword_file = "{tmp_path / "pw"}"\n')
    (tmp_path / "pw").write_text(ROOT_PASSWORD + "\n")
    xe.ok("--config", str(other), "host-list", drop=("XENIA_URL", "XENIA_PASSWORD"))
    xe.ok("host-list", env={"XENIA_CONFIG": str(other)}, drop=("XENIA_URL", "XENIA_PASSWORD"))


def test_bad_config_is_a_usage_error(xe: Xe, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('uri = "http://x"\n')
    r = xe("--config", str(bad), "host-list")
    assert r.rc == 2 and "unknown setting 'uri'" in r.err
    bad.write_text("url = [\n")
    assert xe("--config", str(bad), "host-list").rc == 2
    assert xe("--config", str(tmp_path / "missing.toml"), "host-list").rc == 2
    assert xe("host-list", env={"XENIA_URL": "ftp://host"}).rc == 2


def test_api_failure_prints_code_and_params_like_xe(xe: Xe) -> None:
    r = xe("vm-param-list", "uuid=00000000-0000-0000-0000-000000000000")
    assert r.rc == 1
    # then, as xe does for the errors it knows, each parameter under its name in xapi's datamodel
    assert r.err.splitlines() == ["Error code: UUID_INVALID",
                                  "Error parameters: VM, 00000000-0000-0000-0000-000000000000",
                                  "type: VM", "uuid: 00000000-0000-0000-0000-000000000000"]  # fmt: skip


def test_user_command_still_uses_the_local_socket(xe: Xe, daemon: DaemonProcess) -> None:
    xe.ok("user", "--socket", str(daemon.socket_path), "add", "cli-tester", "--role", "read-only",
          env={"XENIA_NEW_PASSWORD": "pw-cli"})  # fmt: skip
    assert "cli-tester\tread-only" in xe.ok("user", "--socket", str(daemon.socket_path), "list").out
    # and that user can read but not write through the CLI
    as_user = {"XENIA_USER": "cli-tester", "XENIA_PASSWORD": "pw-cli"}
    net = xe.ok("network-list", "--minimal", env=as_user).out.strip().split(",")[0]
    r = xe("network-param-set", f"uuid={net}", "name-description=nope", env=as_user)
    assert r.rc == 1 and "RBAC_PERMISSION_DENIED" in r.err


def test_no_server_given_says_how_to_give_one(xe: Xe, tmp_path: Path) -> None:
    # no --url, no XENIA_URL, no config, no ./var/xapi.sock, no installed daemon's socket
    r = xe("vm-list", cwd=tmp_path, drop=("XENIA_URL", "XENIA_PASSWORD"))
    assert r.rc == 3
    assert "/var/lib/xenia/xapi.sock" in r.err and "--url" in r.err and "XENIA_URL" in r.err
    # a server the user named gets no such hint: the user knows where they pointed it
    r = xe("vm-list", env={"XENIA_URL": str(tmp_path / "no.sock")})
    assert r.rc == 3 and "--url" not in r.err


def test_url_without_scheme_is_http(xe: Xe, daemon: DaemonProcess) -> None:
    assert xe.ok("host-list", "--minimal", "--url", f"127.0.0.1:{daemon.port}").out.strip()
    xe.ok("host-list", env={"XENIA_URL": f"localhost:{daemon.port}"})


def test_tcp_without_password_and_terminal_stops_at_once(xe: Xe, daemon: DaemonProcess) -> None:
    # stdin is not a terminal here (a pipe): nothing to ask, and an empty password would only be refused
    r = xe("vm-list", drop=("XENIA_PASSWORD",), input="")
    assert r.rc == 2
    assert "no password for root" in r.err and "XENIA_PASSWORD" in r.err
    assert "SESSION_AUTHENTICATION_FAILED" not in r.err


def test_user_command_honours_url(xe: Xe, daemon: DaemonProcess) -> None:
    # over TCP as root with the password, as every other command connects
    xe.ok("--url", daemon.url, "user", "add", "url-tester", "--role", "vm-operator", "--password", "pw-url")
    assert "url-tester\tvm-operator" in xe.ok("user", "list", env={"XENIA_URL": daemon.url}).out
    # the user exists for real: it can log in
    xe.ok("vm-list", env={"XENIA_USER": "url-tester", "XENIA_PASSWORD": "pw-url"})
    # a user who is not root may not manage users
    r = xe("user", "list", env={"XENIA_USER": "url-tester", "XENIA_PASSWORD": "pw-url"})
    assert r.rc == 1 and "RBAC_PERMISSION_DENIED" in r.err
    xe.ok("--url", daemon.url, "user", "del", "url-tester")


def test_unknown_command_names_the_nearest(xe: Xe) -> None:
    r = xe("vm-lst")
    assert r.rc == 2
    assert "did you mean vm-list" in r.err
    assert "template-param-remove" not in r.err  # not the whole list of commands
    r = xe("zzzz")
    assert r.rc == 2 and "unknown command 'zzzz'" in r.err and "vm-list" not in r.err
