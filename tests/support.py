"""Helpers shared by the tests: a real server in a subprocess, a seeded database, clients."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from board.demo import seed
from board.store import Database

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Seeded:
    """The demo roster with a personal token for every person, by role."""

    db_path: Path
    links: dict[str, list[tuple[str, str]]]

    def token(self, role: str, index: int = 0) -> str:
        return self.links[role][index][1]

    @property
    def chair(self) -> str:
        return self.token("chair")

    @property
    def secretariat(self) -> str:
        return self.token("secretariat")

    @property
    def members(self) -> list[str]:
        return [token for _, token in self.links["member"]]

    @property
    def observer(self) -> str:
        return self.token("observer")


def seed_database(db_path: Path) -> Seeded:
    async def run() -> dict[str, list[tuple[str, str]]]:
        db = Database(db_path)
        await db.open()
        try:
            return await seed(db)
        finally:
            await db.close()

    return Seeded(db_path, asyncio.run(run()))


@dataclass
class Server:
    db_path: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    clients: list[httpx.Client] = field(default_factory=list)
    _log: Any = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, *extra: str) -> Server:
        self.log_path = self.db_path.parent / f"server-{self.port}.log"
        if self._log is not None:
            self._log.close()
        log = self._log = self.log_path.open("ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "run.py"),
                "--port",
                str(self.port),
                "--db",
                str(self.db_path),
                "--log-level",
                "warning",
                *extra,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.clients.clear()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def api(server: Server, token: str) -> httpx.Client:
    """A client acting as the token's person; closed when the server fixture stops."""
    client = httpx.Client(
        base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    server.clients.append(client)
    return client


def async_api(server: Server, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=server.base,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        limits=httpx.Limits(max_connections=100),
    )


def act(client: httpx.Client, meeting_id: int, name: str, **payload: Any) -> httpx.Response:
    return client.post(f"/api/meetings/{meeting_id}/actions/{name}", json=payload)


def state(client: httpx.Client, meeting_id: int = 1) -> dict[str, Any]:
    response = client.get(f"/api/meetings/{meeting_id}/state")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def events(client: httpx.Client, meeting_id: int = 1) -> list[dict[str, Any]]:
    response = client.get(f"/api/meetings/{meeting_id}/events")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["events"]
    return found
