"""xenia.client as a library: sync and asyncio sessions on one core, typed errors, settings, framing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from xenia.client import (
    AsyncSession,
    ConfigError,
    ConnectionFailed,
    Failure,
    ProtocolError,
    Session,
    connect,
    parse_result,
    resolve_settings,
)
from xenia.client.protocol import ResponseParser, parse_url
from xenia.testing.daemon import ROOT_PASSWORD, DaemonProcess, free_port


def test_sync_session_calls_and_typed_failures(daemon: DaemonProcess) -> None:
    with connect(daemon.url, "root", ROOT_PASSWORD) as s:
        assert len(s.xenapi.pool.get_all()) == 1
        with pytest.raises(Failure) as info:
            s.xenapi.VM.get_by_uuid("nope")
        assert info.value.code == "UUID_INVALID"
        assert info.value.params == ["VM", "nope"]
        assert info.value.details == ["UUID_INVALID", "VM", "nope"]
        assert s.has_method("VM.clone") and not s.has_method("VM.no_such_message")


def test_task_result_follows_an_async_call(daemon: DaemonProcess) -> None:
    with connect(daemon.url, "root", ROOT_PASSWORD) as s:
        template = s.xenapi.VM.get_by_name_label("Other install media")[0]
        seen: list[tuple[float, str]] = []
        vm = s.task_result(s.xenapi.Async.VM.clone(template, "from-task"), lambda f, st: seen.append((f, st)))
        assert s.xenapi.VM.get_name_label(vm) == "from-task"
        assert seen[-1] == (1.0, "success")
        failing = s.xenapi.Async.VM.clone("OpaqueRef:NULL", "x")
        with pytest.raises(Failure) as info:
            s.task_result(failing)
        assert info.value.code == "HANDLE_INVALID"


def test_async_session_runs_calls_concurrently(daemon: DaemonProcess) -> None:
    async def main() -> None:
        async with AsyncSession(str(daemon.socket_path)) as s:
            await s.login()
            refs = await s.xenapi.VM.get_all()
            names = await asyncio.gather(*(s.xenapi.VM.get_name_label(r) for r in refs))
            assert "Other install media" in names
            template = (await s.xenapi.VM.get_by_name_label("Other install media"))[0]
            vm = await s.task_result(await s.xenapi.Async.VM.clone(template, "async-clone"))
            assert await s.xenapi.VM.get_name_label(vm) == "async-clone"
            with pytest.raises(Failure) as info:
                await s.xenapi.VM.get_record("OpaqueRef:NULL")
            assert info.value.code == "HANDLE_INVALID"

    asyncio.run(main())


def test_connection_failures_are_typed_and_oserrors(tmp_path: Path) -> None:
    for url in (f"http://127.0.0.1:{free_port()}", str(tmp_path / "none.sock")):
        with pytest.raises(ConnectionFailed) as info:
            Session(url).call("system.listMethods")
        assert isinstance(info.value, OSError)
        assert info.value.url == url

    async def main() -> None:
        with pytest.raises(ConnectionFailed):
            await AsyncSession(str(tmp_path / "none.sock")).call("system.listMethods")

    asyncio.run(main())


def test_keepalive_connection_survives_a_daemon_restart(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    daemon = DaemonProcess(state_dir=state)
    daemon.start()
    try:
        s = Session(daemon.url)
        s.login("root", ROOT_PASSWORD)
        daemon.stop()
        with pytest.raises(ConnectionFailed):
            s.call("system.listMethods")
        daemon.proc = None
        daemon.start()
        assert "VM.clone" in s.call("system.listMethods")  # a fresh connection after the dead one
    finally:
        daemon.cleanup()


def test_settings_precedence(tmp_path: Path) -> None:
    conf = tmp_path / "xenia" / "cli.toml"
    conf.parent.mkdir()
    conf.write_text('url = "http://file:1"\nuser = "fileuser"\npassword = "filepw"\ntimeout = 5\n')
    env = {"XDG_CONFIG_HOME": str(tmp_path), "XENIA_USER": "envuser"}
    s = resolve_settings(env=env, password="flagpw")
    assert (s.url, s.user, s.password, s.timeout) == ("http://file:1", "envuser", "flagpw", 5.0)
    assert s.sources["url"].startswith("config file") and s.sources["password"] == "command line"
    empty = resolve_settings(env={"HOME": str(tmp_path / "nohome")})
    assert empty.user == "root" and empty.password == "" and empty.url.endswith("xapi.sock")
    with pytest.raises(ConfigError):
        resolve_settings(env={}, config=tmp_path / "missing.toml")
    conf.write_text("timeout = true\n")
    with pytest.raises(ConfigError):
        resolve_settings(env=env)


def test_url_forms() -> None:
    assert parse_url("https://h").port == 443 and parse_url("https://h").tls
    assert parse_url("http://h:8080").port == 8080
    assert parse_url("/run/x.sock").unix_path == "/run/x.sock"
    assert parse_url("unix:///run/x.sock").unix_path == "/run/x.sock"
    # host:port without a scheme is http, as a user typing an address means it; paths stay socket paths
    for address, host, port in (("127.0.0.1:8080", "127.0.0.1", 8080), ("xenia.example.org:80", "xenia.example.org", 80),
                                 ("[::1]:8443", "::1", 8443)):  # fmt: skip
        ep = parse_url(address)
        assert (ep.unix_path, ep.host, ep.port, ep.tls) == (None, host, port, False)
    assert parse_url("xapi.sock").unix_path == "xapi.sock"
    assert parse_url("var/x:1").unix_path == "var/x:1"
    for bad in ("ftp://h", "", "http://:80"):
        with pytest.raises(ConfigError):
            parse_url(bad)


def test_response_parser_framings() -> None:
    raw = b'HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\n{"id": 1}  '
    p = ResponseParser()
    got = [p.feed(raw[i : i + 1]) for i in range(len(raw))]
    assert [r for r in got if r] and got[-1] is not None and got[-1].body == b'{"id": 1}  '
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2;x=y\r\nef\r\n0\r\n\r\n"
    r = ResponseParser().feed(chunked)
    assert r is not None and r.body == b"abcdef"
    p = ResponseParser()
    assert p.feed(b"HTTP/1.0 500 Oops\r\n\r\npartial") is None
    r = p.eof()
    assert r.status == 500 and r.close and r.body == b"partial"
    with pytest.raises(ProtocolError):
        ResponseParser().feed(b"SSH-2.0-OpenSSH\r\n\r\n")
    with pytest.raises(ProtocolError):
        ResponseParser().eof()


def test_parse_result() -> None:
    assert parse_result("<value>OpaqueRef:abc</value>") == "OpaqueRef:abc"
    assert parse_result("<value></value>") == ""
    assert parse_result("") == ""
    assert parse_result("<value><array><data><value>a</value></data></array></value>") == ["a"]
    with pytest.raises(ProtocolError):
        parse_result("<value><oops")
