"""The QMP client: framing (pure) and the client against a real QEMU (firmware only, paused)."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from xenia.drivers.qemu.process import bind_listener
from xenia.drivers.qemu.qmp import (
    ConnectError,
    DisconnectedError,
    EventQueue,
    ExecuteError,
    ProtocolError,
    QMPClient,
    Runstate,
    StateError,
)
from xenia.drivers.qemu.qmp.framing import Decoder, ErrorReply, Event, Greeting, Return, encode_command

GREETING = (
    b'{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "x"}, "capabilities": ["oob"]}}'
)


def test_decoder_handles_any_chunking() -> None:
    stream = (
        GREETING
        + b'\r\n{"return": {}, "id": 1}\r\n'
        + b'{"timestamp": {"seconds": 10, "microseconds": 500000}, "event": "STOP"}\r\n'
        + b'{"error": {"class": "CommandNotFound", "desc": "nope"}, "id": 2}\r\n'
    )
    expected = [
        Greeting((7, 2, 22), "x", ("oob",)),
        Return(1, {}),
        Event("STOP", {}, 10.5),
        ErrorReply(2, "CommandNotFound", "nope"),
    ]
    for size in (1, 2, 7, 64, len(stream)):
        decoder = Decoder()
        got = []
        for i in range(0, len(stream), size):
            got += decoder.feed(stream[i : i + size])
        assert got == expected and decoder.pending == 0


def test_decoder_rejects_garbage() -> None:
    with pytest.raises(ProtocolError):
        Decoder().feed(b"not json\n")
    with pytest.raises(ProtocolError):
        Decoder().feed(b'{"something": "else"}\n')


def test_encode_command() -> None:
    assert encode_command("stop", None, 3) == b'{"execute":"stop","id":3}\n'
    assert encode_command("eject", {"id": "cd0"}, 4) == b'{"execute":"eject","id":4,"arguments":{"id":"cd0"}}\n'


def runstate_of(client: QMPClient) -> Runstate:
    """Read the runstate afresh (keeps mypy from narrowing it across awaits)."""
    return client.runstate


@pytest_asyncio.fixture
async def qemu(tmp_path: Path) -> AsyncIterator[tuple[Path, subprocess.Popen[bytes]]]:
    path = tmp_path / "qmp.sock"
    sock = bind_listener(path)
    proc = subprocess.Popen(
        ["qemu-system-x86_64", "-machine", "q35,accel=tcg", "-nodefaults", "-display", "none", "-m", "64", "-S",
         "-chardev", f"socket,id=qmp,fd={sock.fileno()},server=on,wait=off", "-mon", "chardev=qmp,mode=control"],
        pass_fds=[sock.fileno()],
        start_new_session=True,
    )  # fmt: skip
    sock.close()
    try:
        yield path, proc
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.asyncio
async def test_client_against_real_qemu(qemu: tuple[Path, subprocess.Popen[bytes]]) -> None:
    path, proc = qemu
    ended: list[BaseException | None] = []
    client = QMPClient("test", on_disconnect=ended.append)
    with pytest.raises(StateError) as info:
        await client.execute("query-status")
    assert info.value.state is Runstate.IDLE and info.value.required is Runstate.RUNNING
    await client.connect(str(path))
    assert client.runstate is Runstate.RUNNING
    assert client.greeting is not None and client.greeting.version[0] >= 7
    assert (await client.execute("query-status"))["status"] == "prelaunch"

    events = EventQueue(("STOP", "RESUME"))
    detach = events.attach(client)
    await client.execute("cont")
    await client.execute("stop")
    assert (await events.get()).name == "RESUME"
    assert (await events.get()).name == "STOP"
    detach()

    with pytest.raises(ExecuteError) as err:
        await client.execute("no-such-command")
    assert err.value.error_class == "CommandNotFound"
    with pytest.raises(ExecuteError) as err:
        await client.execute("eject", {"id": "nope"})
    assert err.value.error_class == "DeviceNotFound"

    # Many commands in flight at once are matched to their replies by id.
    results = await asyncio.gather(*(client.execute("query-status") for _ in range(50)))
    assert all(r["status"] == "paused" for r in results)

    await client.execute("quit")
    await asyncio.wait_for(asyncio.to_thread(proc.wait), 30)
    async with asyncio.timeout(30):
        while runstate_of(client) is not Runstate.IDLE:
            await asyncio.sleep(0.01)
    assert len(ended) == 1 and isinstance(ended[0], EOFError | ConnectionResetError)
    with pytest.raises(StateError):
        await client.execute("query-status")
    await client.disconnect()  # idempotent, never raises


@pytest.mark.asyncio
async def test_a_command_in_flight_when_qemu_dies_fails_with_disconnected(
    qemu: tuple[Path, subprocess.Popen[bytes]],
) -> None:
    path, proc = qemu
    client = QMPClient("test")
    await client.connect(str(path))
    proc.kill()
    with pytest.raises((DisconnectedError, StateError)):
        while True:  # keeps sending until the reader notices the EOF
            await client.execute("query-status")
    await client.disconnect()
    assert client.runstate is Runstate.IDLE


@pytest.mark.asyncio
async def test_connect_error_keeps_its_cause(tmp_path: Path) -> None:
    client = QMPClient("test")
    with pytest.raises(ConnectError) as info:
        await client.connect(str(tmp_path / "missing.sock"))
    assert isinstance(info.value.exc, FileNotFoundError)
    assert client.runstate is Runstate.IDLE
