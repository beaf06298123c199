"""Helpers shared by the tests: a real server in a subprocess, a seeded database, clients."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from board.demo import seed
from board.store.db import Store, open_store

ROOT = Path(__file__).resolve().parent.parent

# BOARD_TEST_STORE=postgres runs the suite on PostgreSQL (at BOARD_TEST_PG): each test gets
# a database of its own, made from a migrated template and dropped afterwards. The tests
# still name a test's store by its folder's db_path; TARGETS maps it to the URL. The
# several-process tests use PostgreSQL whichever store the rest of the suite runs on.
PG_BASE = os.environ.get("BOARD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ON_POSTGRES = os.environ.get("BOARD_TEST_STORE", "sqlite") == "postgres"
TEST_SECRET = "test-secret-shared-by-every-worker-of-a-test"
TARGETS: dict[Path, str] = {}


def target_of(db_path: Path) -> str:
    """The --db of a test's store: its SQLite file, or its PostgreSQL database."""
    return TARGETS.get(db_path, str(db_path))


def store_for(db_path: Path, **options: Any) -> Store:
    return open_store(target_of(db_path), **options)


def peek(db_path: Path, sql: str) -> tuple[Any, ...]:
    """One row read straight from a test's store, beside its running server (a read-only
    SQLite connection, or a plain PostgreSQL one)."""
    url = TARGETS.get(db_path)
    if url is None:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as lite:
            found = lite.execute(sql).fetchone()
    else:
        import psycopg

        with psycopg.connect(url) as pg:
            found = pg.execute(sql).fetchone()
    assert found is not None
    return tuple(found)


def server_env(db_path: Path) -> dict[str, str]:
    """What a board process needs for the test's store (PostgreSQL: the shared secret and
    the shared files folder)."""
    if db_path not in TARGETS:
        return {}
    return {"BOARD_SECRET": TEST_SECRET, "BOARD_DATA_DIR": str(db_path.parent / "files")}


def _pg_url(name: str) -> str:
    return PG_BASE.rsplit("/", 1)[0] + "/" + name


async def _pg_admin(*statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_BASE)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


_TEMPLATE: list[str] = []


async def _pg_database() -> str:
    """A new database for one test, copied from a migrated template (made once per run)."""
    if not _TEMPLATE:
        template = f"board_template_{os.getpid()}"
        await _pg_admin(f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template}")
        store = open_store(_pg_url(template))
        await store.open()
        await store.close()
        _TEMPLATE.append(template)
    name = f"board_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    await _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE[0]}")
    return name


def new_target(db_path: Path, *, postgres: bool = ON_POSTGRES) -> str:
    """Register a fresh store for a test folder (a PostgreSQL database when the suite runs
    on PostgreSQL, or when asked) and return its --db value."""
    if postgres and db_path not in TARGETS:
        TARGETS[db_path] = _pg_url(asyncio.run(_pg_database()))
    return target_of(db_path)


def sweep_stale_databases() -> None:
    """Test databases left by a run that was killed (its pid is in their names)."""

    async def sweep() -> None:
        import asyncpg

        try:
            connection = await asyncpg.connect(PG_BASE, timeout=5)
        except (OSError, asyncpg.PostgresError):
            return  # no PostgreSQL here: its tests say so themselves
        try:
            names = await connection.fetch(
                "SELECT datname FROM pg_database "
                "WHERE datname LIKE 'board\\_test\\_%' OR datname LIKE 'board\\_template\\_%'"
            )
            for (name,) in names:
                pid = int(name.split("_")[2])
                if pid != os.getpid() and not _alive(pid):
                    await connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await connection.close()

    asyncio.run(sweep())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_all_targets() -> None:
    """At the end of a run: every test database still there, and the template."""
    for db_path in list(TARGETS):
        drop_target(db_path)
    if _TEMPLATE:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {_TEMPLATE.pop()} WITH (FORCE)"))


def drop_target(db_path: Path) -> None:
    url = TARGETS.pop(db_path, None)
    if url is not None:
        name = url.rsplit("/", 1)[1]
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


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


def seed_database(db_path: Path, *, postgres: bool = ON_POSTGRES) -> Seeded:
    new_target(db_path, postgres=postgres)

    async def run() -> dict[str, list[tuple[str, str]]]:
        db = store_for(db_path)
        await db.open()
        try:
            return await seed(db)
        finally:
            await db.close()

    return Seeded(db_path, asyncio.run(run()))


def healthy(base: str, process: subprocess.Popen[bytes], *, seconds: float) -> bool:
    """Poll ``base``/healthz until it answers 200 (True), the process exits or time runs
    out (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.05)
    return False


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
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **server_env(self.db_path), **self.env}
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "run.py"),
                "--port",
                str(self.port),
                "--db",
                target_of(self.db_path),
                "--log-level",
                "warning",
                *extra,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        # A busy CI machine starts slowly.
        if healthy(self.base, self.process, seconds=60):
            return self
        if self.process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{self.log()}")
        self.stop()  # not left running behind the failed test
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
