"""Bounded resources: sockets per person, a deadline for a connection's first request,
failed sign-ins per address."""

from __future__ import annotations

import asyncio
import secrets
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from board.live.hub import CLOSE_TOO_MANY
from board.serving import knows_requests, with_deadline
from tests.security.conftest import Socket
from tests.support import Seeded, Server, seed_database


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[tuple[Server, Seeded]]:
    seeded = seed_database(tmp_path / "board.db")
    server = Server(
        seeded.db_path,
        env={
            "BOARD_MAX_SOCKETS_PER_PERSON": "3",
            "BOARD_MAX_FAILED_SIGN_INS": "5",
            "BOARD_HANDSHAKE_TIMEOUT": "1",
        },
    ).start()
    try:
        yield server, seeded
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_one_person_holds_at_most_the_cap_of_sockets(strict: tuple[Server, Seeded]) -> None:
    server, seeded = strict
    token = seeded.members[0]
    opened = [await Socket.open(server, token=token) for _ in range(3)]
    try:
        for each in opened:
            await each.wait_for('id="floor"')
        extra = await Socket.open(server, token=token)
        assert await extra.wait_closed() == CLOSE_TOO_MANY
        # Another person is not counted against this one.
        other = await Socket.open(server, token=seeded.members[1])
        await other.wait_for('id="floor"')
        await other.close()
        # A closed socket frees its place.
        await opened.pop().close()
        await asyncio.sleep(0.2)
        again = await Socket.open(server, token=token)
        await again.wait_for('id="floor"')
        opened.append(again)
    finally:
        for each in opened:
            await each.close()


def test_an_incomplete_request_head_is_cut_off(strict: tuple[Server, Seeded]) -> None:
    server, _ = strict
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
        started = time.monotonic()
        assert slow.recv(1024) == b""  # the server closed it
        assert time.monotonic() - started < 5
    # A whole request on a new connection is served as ever.
    assert httpx.get(server.base + "/healthz", timeout=10).status_code == 200


def test_the_deadline_reads_this_uvicorns_request_state() -> None:
    """Names the path that runs: with this uvicorn the deadline is set (not the fallback
    without one)."""

    async def app(scope: object, receive: object, send: object) -> None:
        return None

    loop = asyncio.new_event_loop()
    try:
        protocol = with_deadline(1.0)(
            config=uvicorn.Config(app=app),
            server_state=uvicorn.server.ServerState(),
            app_state={},
            _loop=loop,
        )
    finally:
        loop.close()
    assert knows_requests(protocol)


def test_failed_sign_ins_are_limited_per_address(strict: tuple[Server, Seeded]) -> None:
    server, seeded = strict
    with httpx.Client(base_url=server.base, timeout=30) as guesser:
        for _ in range(5):
            assert guesser.get(f"/join/{secrets.token_urlsafe(32)}").status_code == 404
        refused = guesser.get(f"/join/{secrets.token_urlsafe(32)}")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 600
        assert "10" in refused.text  # minutes to wait, in the page
        # While refused, even a valid link waits: guessing must not go on.
        assert guesser.get(f"/join/{seeded.members[0]}").status_code == 429
        assert guesser.get(f"/setup/{secrets.token_urlsafe(32)}").status_code == 429
