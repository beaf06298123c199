"""Several board processes on one PostgreSQL store, and nginx in front of them."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.support import (
    ROOT,
    Seeded,
    Server,
    drop_target,
    free_port,
    healthy,
    seed_database,
    target_of,
)

NGINX_CONF = ROOT / "deploy" / "nginx.conf"


@dataclass
class Cluster:
    seeded: Seeded
    workers: list[Server]
    proxy: Nginx | None = None

    @property
    def url(self) -> str:
        return target_of(self.seeded.db_path)

    async def listener_pid(self, worker: Server) -> int:
        """The PostgreSQL backend of a worker's change feed (its LISTEN connection)."""
        assert worker.process is not None
        connection = await asyncpg.connect(self.url)
        try:
            pid = await connection.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
                f"board-changes-{worker.process.pid}",
            )
        finally:
            await connection.close()
        assert pid is not None, "the worker has no listening connection"
        return int(pid)

    async def terminate(self, backend_pid: int) -> None:
        connection = await asyncpg.connect(self.url)
        try:
            assert await connection.fetchval("SELECT pg_terminate_backend($1)", backend_pid)
        finally:
            await connection.close()


@contextmanager
def cluster(tmp_path: Path, workers: int = 2) -> Iterator[Cluster]:
    """``workers`` board processes on one freshly seeded PostgreSQL database."""
    db_path = tmp_path / "board.db"
    seeded = seed_database(db_path, postgres=True)
    running: list[Server] = []
    try:
        for _ in range(workers):
            running.append(Server(db_path).start())
        yield Cluster(seeded, running)
    finally:
        for server in running:
            server.stop()
        drop_target(db_path)


@dataclass
class Nginx:
    """nginx from deploy/nginx.conf, its upstreams and port replaced by the test's."""

    prefix: Path
    upstreams: list[int]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _log: Any = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        conf = NGINX_CONF.read_text(encoding="utf-8")
        servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", conf, flags=re.M)
        assert len(servers) >= len(self.upstreams)
        lines = [
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
            for port in self.upstreams
        ]
        conf = conf.replace("\n".join(servers), "\n".join(lines))
        conf = conf.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{self.port};")
        path = self.prefix / "nginx.conf"
        path.write_text(conf, encoding="utf-8")
        log = self._log = (self.prefix / "nginx.log").open("ab")
        self.process = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(path)], stdout=log, stderr=log
        )
        if healthy(self.base, self.process, seconds=10):
            return self
        self.stop()  # not left running behind the failed test
        raise RuntimeError((self.prefix / "nginx.log").read_text(errors="replace"))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


async def all_events(client: httpx.AsyncClient, meeting_id: int = 1) -> list[dict[str, Any]]:
    """The whole event log, page by page."""
    found: list[dict[str, Any]] = []
    while True:
        after = found[-1]["seq"] if found else 0
        response = await client.get(f"/api/meetings/{meeting_id}/events?after={after}")
        assert response.status_code == 200, response.text
        page = response.json()["events"]
        if not page:
            return found
        found.extend(page)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def until(predicate: Any, seconds: float = 10.0, step: float = 0.02) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the condition did not come true in time")
        await asyncio.sleep(step)
