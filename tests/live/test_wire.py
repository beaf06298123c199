"""A push framed once and written straight to a connection: the bytes are the frame the
server's own send would write (read back by a real websockets client protocol), and the
direct write steps aside whenever the server's send would not write at once."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
import uvicorn
import websockets
from websockets.frames import Opcode
from websockets.protocol import Protocol, Side, State

from board.app import create_app
from board.config import Settings
from board.live.wire import Push, Wire
from run import SERVER_OPTIONS
from tests.support import Seeded, free_port, server_env, target_of

pytestmark = pytest.mark.asyncio

HTML = '<section id="floor" data-seq="7">発言者：山田 花子 🎤</section>'


class Transport:
    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return self.closing


class WebSocketsSansIOProtocol:
    """Named as uvicorn's websockets-sansio protocol, with the fields of it that a Wire
    reads, around a real sans-I/O websockets connection."""

    def __init__(self) -> None:
        self.conn = Protocol(Side.SERVER, state=State.OPEN)
        self.transport = Transport()
        self.writable = asyncio.Event()
        self.writable.set()
        self.disconnected = False
        self.close_sent = False
        self.asgi_sent: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> None:
        self.asgi_sent.append(message)


def received(data: bytes) -> list[str]:
    client = Protocol(Side.CLIENT, state=State.OPEN)
    client.receive_data(data)
    frames = client.events_received()
    assert all(frame.opcode is Opcode.TEXT and frame.fin for frame in frames)
    return [bytes(frame.data).decode() for frame in frames]


async def test_the_frame_is_what_a_client_reads_as_the_text() -> None:
    push = Push(HTML)
    assert received(push.data + push.data) == [HTML, HTML]
    assert push.message == {"type": "websocket.send", "text": HTML}


async def test_a_large_push_uses_the_long_length_forms() -> None:
    for size in (200, 70_000):
        html = "議" * size
        assert received(Push(html).data) == [html]


async def test_an_open_connection_gets_the_bytes_directly() -> None:
    server = WebSocketsSansIOProtocol()
    wire = Wire.of(server.send)
    assert wire is not None
    push = Push(HTML)
    assert wire.write(push)
    assert server.transport.written == [push.data]


async def test_the_wire_steps_aside_whenever_the_server_would_not_write_at_once() -> None:
    push = Push(HTML)
    cases = {
        "paused by flow control": lambda s: s.writable.clear(),
        "closing transport": lambda s: setattr(s.transport, "closing", True),
        "close sent": lambda s: setattr(s, "close_sent", True),
        "disconnected": lambda s: setattr(s, "disconnected", True),
        "an extension (deflate)": lambda s: s.conn.extensions.append(object()),
        "not open": lambda s: setattr(s.conn, "state", State.CLOSING),
        "fragmented message": lambda s: setattr(s.conn, "expect_continuation_frame", True),
    }
    for name, change in cases.items():
        server = WebSocketsSansIOProtocol()
        wire = Wire.of(server.send)
        assert wire is not None
        change(server)
        assert not wire.write(push), name
        assert server.transport.written == [], name


async def test_an_unknown_server_gets_no_wire() -> None:
    async def send(message: dict[str, Any]) -> None:
        return None

    assert Wire.of(send) is None
    client_side = WebSocketsSansIOProtocol()
    client_side.conn = Protocol(Side.CLIENT, state=State.OPEN)
    assert Wire.of(client_side.send) is None


async def test_the_board_under_uvicorn_writes_pushes_on_the_wire(seeded: Seeded) -> None:
    """The board served by uvicorn with its own options (run.SERVER_OPTIONS), in this
    process so that its hub can be looked at: every device's pushes take the Wire, and
    the device reads them as text."""
    environ = {**os.environ, **server_env(seeded.db_path)}
    app = create_app(Settings.from_env(environ, db_path=target_of(seeded.db_path)))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **SERVER_OPTIONS)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.01)
        url = f"ws://127.0.0.1:{port}/meetings/1/live"
        headers = {"Authorization": f"Bearer {seeded.chair}"}
        async with websockets.connect(url, additional_headers=headers) as device:
            full = await asyncio.wait_for(device.recv(), 5)
            assert 'id="agenda"' in full
            board = app.state.board
            subscribers = [s for group in board.hub.rooms[1].audiences.values() for s in group]
            assert len(subscribers) == 1
            assert subscribers[0].wire is not None
    finally:
        server.should_exit = True
        await serving
