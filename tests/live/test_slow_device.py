"""A device that stops reading is dropped (close code 1013) and never holds up the others."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import struct
import time

import pytest

from board.live.hub import CLOSE_TRY_AGAIN
from tests.live.test_push import Device
from tests.support import Seeded, Server, act, api

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


def stalled_socket(server: Server, token: str) -> socket.socket:
    """A WebSocket handshake on a raw socket with a tiny receive buffer, then no reading."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /meetings/1/live HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert response.startswith(b"HTTP/1.1 101"), response
    return sock


def how_it_ended(sock: socket.socket) -> str:
    """Read everything the server sent: "close 1013" when a close frame came, "eof" when
    the server closed the connection without one (its close could not get past the full
    buffer), "open" when the connection is still open."""
    sock.settimeout(5)
    data = b""
    ended = "open"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(1 << 20)
        except TimeoutError:
            break
        if not chunk:
            ended = "eof"
            break
        data += chunk
    offset = 0
    while offset + 2 <= len(data):
        opcode = data[offset] & 0x0F
        length = data[offset + 1] & 0x7F
        offset += 2
        if length == 126:
            (length,) = struct.unpack("!H", data[offset : offset + 2])
            offset += 2
        elif length == 127:
            (length,) = struct.unpack("!Q", data[offset : offset + 8])
            offset += 8
        if opcode == 0x8:
            return f"close {struct.unpack('!H', data[offset : offset + 2])[0]}"
        offset += length
    return ended


async def test_a_stalled_device_is_dropped_and_the_others_keep_up(
    server: Server, seeded: Seeded
) -> None:
    chair = api(server, seeded.chair)
    act(chair, 1, "meeting.start")
    for token in seeded.members[10:30]:  # a long queue makes every message bigger
        act(api(server, token), 1, "floor.request")
    # The chair's page carries controls for every request: the largest messages.
    stalled = stalled_socket(server, seeded.chair)
    devices = [Device(server, token) for token in seeded.members[1:6]]
    # A second chair page that reads normally sees what the stalled one was sent.
    watcher = Device(server, seeded.chair)
    devices.append(watcher)
    for device in devices:
        await device.__aenter__()
    try:
        last = 0
        # Push until far more has been sent than any socket buffers hold (the publisher
        # coalesces under load, at most one push per 25 ms: count bytes, not actions).
        deadline = time.monotonic() + 90
        round_number = 0
        while watcher.received_bytes <= 24 * 1024 * 1024:
            assert time.monotonic() < deadline, f"only {watcher.received_bytes} bytes pushed"
            name = "agenda.next" if round_number % 2 == 0 else "agenda.prev"
            response = await asyncio.to_thread(act, chair, 1, name)
            assert response.status_code == 200
            last = response.json()["seq"]
            round_number += 1
        for device in devices:
            await device.wait_for("current", lambda html: f'data-seq="{last}"' in html, 10)
        # Either way the device's hx-ws reconnects (1013 and 1006 are both retried) and
        # gets the full state; what matters is that the server let it go. On a slow
        # machine uvicorn's keepalive (no pong within 20 s) may close it first: 1011.
        assert how_it_ended(stalled) in (f"close {CLOSE_TRY_AGAIN}", "eof", "close 1011")
    finally:
        stalled.close()
        for device in devices:
            await device.__aexit__()
