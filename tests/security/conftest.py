"""Helpers for the security tests: devices signed in by cookie or token, sockets whose
close code is kept; and the Hypothesis profiles of the fuzz test: ``ci`` (the default,
bounded to a minute or two on two cores) and ``fuzz`` (``make fuzz``: many more examples).
Pick one with HYPOTHESIS_PROFILE."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets
from hypothesis import HealthCheck, settings
from websockets.exceptions import ConnectionClosed

from board.app import SESSION_COOKIE
from tests.support import Server


def signed_in_device(server: Server, token: str) -> httpx.Client:
    """A browser-like client that opened its personal link: it holds the session cookie."""
    device = httpx.Client(base_url=server.base, timeout=30)
    server.clients.append(device)
    assert device.get(f"/join/{token}").status_code == 303
    assert device.cookies.get(SESSION_COOKIE)
    return device


def cookie_of(device: httpx.Client) -> str:
    value = device.cookies.get(SESSION_COOKIE)
    assert value
    return value


@dataclass
class Socket:
    """A live socket that records every message and how it was closed."""

    socket: Any
    messages: list[str] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    code: int | None = None
    reader: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls, server: Server, meeting_id: int = 1, *, token: str = "", cookie: str = ""
    ) -> Socket:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if cookie:
            headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
        raw = await websockets.connect(
            f"{server.ws_base}/meetings/{meeting_id}/live",
            additional_headers=headers,
            origin=server.base,  # type: ignore[arg-type]
        )
        opened = cls(raw)
        opened.reader = asyncio.create_task(opened._read())
        return opened

    async def _read(self) -> None:
        try:
            async for message in self.socket:
                self.messages.append(str(message))
                self.arrived.set()
        except ConnectionClosed:
            pass
        finally:
            self.code = self.socket.close_code
            self.closed.set()

    async def wait_closed(self, seconds: float = 3) -> int | None:
        async with asyncio.timeout(seconds):
            await self.closed.wait()
        return self.code

    async def wait_for(self, text: str, seconds: float = 5) -> None:
        async with asyncio.timeout(seconds):
            while not any(text in message for message in self.messages):
                self.arrived.clear()
                await self.arrived.wait()

    async def close(self) -> None:
        await self.socket.close()
        if self.reader is not None:
            await self.reader


_QUIET = dict(
    deadline=None,  # a real server on a busy machine: time is not the property
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("ci", max_examples=12, **_QUIET)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=200, **_QUIET)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
