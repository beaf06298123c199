"""Runs a plan: seeds the databases, starts each server and a generator per run, with the
systems interleaved within each repeat and the repeats in the outer loop."""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from bench import pg
from bench.plan import (
    B0,
    B2,
    BOARD,
    BOARD_DEFLATE,
    BOARD_PG2,
    BOARD_REF,
    BOARDS,
    DATABASES,
    POSTGRES,
    PRESENTING,
    Workload,
)
from bench.seed import Room, seed
from bench.serve import LAG_PATH
from bench.stats import machine_cpu

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WRITE = "opinion.write"
QUIET = 0.3  # cores that other processes may use while a run starts
QUIET_WAIT = 60.0
QUIET_SAMPLE = 0.3
RETRIES = 2
# {spread_item_id}: each post of a writer on the next agenda item (at most 10 opinions per
# member and item); {item_id} would be the current item.
DEFAULT_PAYLOAD = {
    "item_id": "{spread_item_id}",
    "stance": "support",
    "text": "ベンチマークの意見 {n}",
}


@dataclass
class Options:
    plan: list[Workload]
    workdir: Path
    repeats: int = 3
    pin: bool = True
    write_action: str = DEFAULT_WRITE
    write_payload: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PAYLOAD))
    log: Callable[[str], None] = print
    board: Path | None = None  # another checkout's board, to compare before and after
    timed: bool = True  # False (smoke): no waiting for a quiet machine, no second tries
    postgres: str | None = None  # a PostgreSQL server's URL, for board-pg and board-pg2
    reference: Path | None = None  # another checkout's board on SQLite, as board-ref
    synchronous_commit: str = "on"  # PostgreSQL's, for the board's databases
    quiet_wait: float = QUIET_WAIT  # at most this long for a quiet machine before a run
    retries: int = RETRIES  # runs again when other processes disturbed it


# What every board process on PostgreSQL needs: one signing key, one files folder.
PG_SECRET = "bench-secret-shared-by-every-worker"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("uvicorn", "websockets", "starlette", "uvloop", "httptools", "jinja2"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
    }


class Server:
    """One server process under test, pinned to its core."""

    def __init__(
        self,
        system: str,
        args: list[str],
        log: Path,
        cpu: int | None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "bench.serve", system, "--port", str(self.port), *args]
        if cpu is not None:
            command += ["--cpu", str(cpu)]
        profiles = os.environ.get("BENCH_PROFILE")  # a folder: profile every board server
        if profiles and system == BOARD:
            command += ["--profile", str(Path(profiles) / f"board-{self.port}.prof")]
        self.log = log
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        url = f"http://127.0.0.1:{self.port}{LAG_PATH}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not start within 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Bench:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.workdir = options.workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.rooms: dict[str, list[Room]] = {}  # "sqlite:NAME" or "postgres:NAME"
        self.samples: dict[str, tuple[Path, Path]] = {}
        self.postgres = (
            pg.Server(options.postgres, synchronous_commit=options.synchronous_commit)
            if options.postgres
            else None
        )
        pinning = options.pin and (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity")
        self.server_cpu: int | None = 0 if pinning else None
        self.generator_cpu: int | None = 1 if pinning else None
        self.records: list[dict[str, Any]] = []

    def database(self, name: str, *, postgres: bool = False) -> tuple[str, list[Room]]:
        """The seeded database ``name`` (a SQLite file, or a PostgreSQL database used as the
        template of each run's copy) and its rooms; seeded on first use."""
        key = f"{'postgres' if postgres else 'sqlite'}:{name}"
        if postgres:
            assert self.postgres is not None, "board-pg needs --db postgresql://..."
            target = self.postgres.url(self.postgres.name(name))
        else:
            target = str(self.workdir / f"{name}.db")
        if key not in self.rooms:
            bodies, members, items = DATABASES[name]
            presenting = name in PRESENTING
            started = time.monotonic()
            if postgres:
                assert self.postgres is not None
                self.postgres.create(self.postgres.name(name))
                rooms = seed(
                    target, bodies=bodies, members=members, items=items, presenting=presenting
                )
            else:
                rooms = seed(
                    Path(target),
                    bodies=bodies,
                    members=members,
                    items=items,
                    presenting=presenting,
                )
            self.rooms[key] = rooms
            self.options.log(
                f"  seeded {key}: {bodies} x {members} in {time.monotonic() - started:.1f} s"
            )
        return target, self.rooms[key]

    def _servers(self, system: str, database: str) -> tuple[list[Server], str | None]:
        """The server processes of a run (the first takes the actions) and, on PostgreSQL,
        the name of the run's database."""
        log = self.workdir / "servers.log"
        if system in POSTGRES:
            return self._pg_servers(system, database, log), self._run_database(database)
        if system not in BOARDS:
            message, full = self.sample(database)
            args = ["--message", str(message), "--full", str(full)]
            return [Server(system, args, log, self.server_cpu)], None
        path, _ = self.database(database)
        # Every run starts from the seeded database, not from what earlier runs wrote
        # (the Writes runs add thousands of opinions: the next repeat would measure a
        # bigger meeting).
        fresh = self.workdir / f"{database}-run.db"
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(path, fresh)
        args = ["--db", str(fresh)] + (["--deflate"] if system == BOARD_DEFLATE else [])
        board = self.options.reference if system == BOARD_REF else self.options.board
        if board is not None:
            args += ["--board", str(board)]
        # Another checkout must not get this one's bytecode in its folders.
        env = {"PYTHONDONTWRITEBYTECODE": "1"} if board is not None else None
        return [Server(BOARD, args, log, self.server_cpu, env)], None

    def _run_database(self, database: str) -> str:
        assert self.postgres is not None
        return self.postgres.name(f"{database}_run")

    def _pg_servers(self, system: str, database: str, log: Path) -> list[Server]:
        """One or two board processes on a fresh copy of the seeded PostgreSQL database.
        Two share the server core: the same CPU as one, so what they add is the hop."""
        assert self.postgres is not None
        self.database(database, postgres=True)
        url = self.postgres.create(
            self._run_database(database), template=self.postgres.name(database)
        )
        env = {
            "BOARD_SECRET": PG_SECRET,
            "BOARD_DATA_DIR": str(self.workdir / "files"),
            # The board sets its sessions' synchronous_commit itself: say which to use.
            "BOARD_PG_SYNCHRONOUS_COMMIT": self.options.synchronous_commit,
        }
        servers: list[Server] = []
        try:
            for _ in range(2 if system == BOARD_PG2 else 1):
                servers.append(Server(BOARD, ["--db", url], log, self.server_cpu, env))
        except RuntimeError:
            for server in servers:
                server.stop()
            raise
        return servers

    def close(self) -> None:
        """Drop every PostgreSQL database the bench made."""
        if self.postgres is not None:
            self.postgres.drop_all()

    def sample(self, database: str) -> tuple[Path, Path]:
        """Record the board's own push and full state for the baselines to send."""
        if database not in self.samples:
            _, rooms = self.database(database)
            servers, _ = self._servers(BOARD, database)
            try:
                spec = self._spec(BOARD, servers, rooms[:1], devices=1, writers=0)
                spec["keep_samples"] = True
                spec["stages"] = [
                    {
                        "name": "probe",
                        "devices_per_room": 1,
                        "settle": 0.1,
                        "streams": [{"kind": "chair", "rate": 2, "duration": 1}],
                    }
                ]
                result = self._generate(spec, timeout=60)
            finally:
                for server in servers:
                    server.stop()
            samples = result["samples"]
            message = self.workdir / f"{database}-message.html"
            full = self.workdir / f"{database}-full.html"
            message.write_text(samples["message"], encoding="utf-8")
            full.write_text(samples["full"], encoding="utf-8")
            self.samples[database] = (message, full)
        return self.samples[database]

    def _spec(
        self,
        system: str,
        servers: list[Server],
        rooms: list[Room],
        *,
        devices: int,
        writers: int,
        store_database: str | None = None,
    ) -> dict[str, Any]:
        if system in BOARDS:
            specs = [
                {
                    "ws_path": f"/meetings/{room.meeting_id}/live",
                    "meeting_id": room.meeting_id,
                    "chair": room.chair,
                    "devices": room.members[:devices],
                    "writers": room.members[:writers],
                    # Page turns instead of the chair's agenda moves (W7).
                    "present": (
                        {"token": room.presenter, "version_id": room.version_id}
                        if room.presenter
                        else None
                    ),
                }
                for room in rooms
            ]
        else:
            specs = [
                {"ws_path": f"/rooms/{index}/live", "trigger_path": f"/rooms/{index}/trigger"}
                for index in range(len(rooms))
            ]
        return {
            "system": BOARD if system in BOARDS else system,
            # Actions go to the first server; devices take the servers in turn.
            "port": servers[0].port,
            "device_ports": [server.port for server in servers],
            "server_pids": [server.process.pid for server in servers],
            # Its backends' CPU is the board's too, not other processes' (PostgreSQL).
            "store_database": store_database,
            "cpu": self.generator_cpu,
            "rooms": specs,
            "deflate": system == BOARD_DEFLATE,
            "timed": self.options.timed,
            "write_action": self.options.write_action,
            "write_payload": self.options.write_payload,
        }

    def _generate(self, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
        path = self.workdir / "spec.json"
        path.write_text(json.dumps(spec))
        done = subprocess.run(
            [sys.executable, "-m", "bench.generator", str(path)],
            cwd=ROOT,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"generator failed:\n{done.stderr.decode()[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    def wait_quiet(self) -> None:
        """Start a run only when other processes leave the machine to us (or after
        ``quiet_wait`` seconds)."""
        deadline = time.monotonic() + self.options.quiet_wait
        warned = False
        while True:
            before = machine_cpu()
            time.sleep(QUIET_SAMPLE)
            busy = (machine_cpu() - before) / QUIET_SAMPLE
            if busy < QUIET or time.monotonic() > deadline:
                return
            if not warned:
                self.options.log(f"  waiting for a quiet machine (others use {busy:.1f} cores)")
                warned = True

    def run_one(self, workload: Workload, variant: str, system: str, repeat: int) -> None:
        """One run; again (at most twice) when other processes disturbed it."""
        retries = self.options.retries if self.options.timed else 0
        for attempt in range(1 + retries):
            if self.options.timed:
                self.wait_quiet()
            record = self._attempt(workload, variant, system, repeat)
            record["attempt"] = attempt + 1
            disturbed = any(stage.get("disturbed") for stage in record.get("stages", []))
            if not disturbed or attempt == retries:
                break
            self.options.log(_one_line(record) + " (disturbed: again)")
        self.records.append(record)
        self.options.log(_one_line(record))

    def _attempt(
        self, workload: Workload, variant: str, system: str, repeat: int
    ) -> dict[str, Any]:
        _, rooms = self.database(workload.database, postgres=system in POSTGRES)
        record: dict[str, Any] = {
            "workload": workload.key,
            "variant": variant,
            "system": system,
            "repeat": repeat,
        }
        started = time.monotonic()
        try:
            servers, store_database = self._servers(system, workload.database)
        except RuntimeError as error:
            record["error"] = str(error)
            return record
        try:
            spec = self._spec(
                system,
                servers,
                rooms[: workload.rooms],
                devices=workload.devices,
                writers=workload.writers,
                store_database=store_database,
            )
            extra = workload.variants[variant]
            spec["stages"] = [{**stage, **extra} for stage in workload.stages]
            budget = 120 + sum(_stage_seconds(stage) for stage in spec["stages"])
            result = self._generate(spec, timeout=budget)
            record["stages"] = result["stages"]
        except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
            record["error"] = str(error)
        finally:
            for server in servers:
                server.stop()
            if store_database is not None and self.postgres is not None:
                self.postgres.drop(store_database)
        record["seconds"] = round(time.monotonic() - started, 1)
        return record

    def run(self) -> list[dict[str, Any]]:
        plan = self.options.plan
        for workload in plan:  # seed and record the samples before any timing
            self.database(workload.database)
            if any(system in POSTGRES for system in workload.systems):
                self.database(workload.database, postgres=True)
            if any(system in (B0, B2) for system in workload.systems):
                self.sample(workload.database)
        most = max((workload.repeats or self.options.repeats for workload in plan), default=0)
        for repeat in range(most):
            for workload in plan:
                if repeat >= (workload.repeats or self.options.repeats):
                    continue
                systems = list(workload.systems)
                shift = repeat % len(systems)  # rotate the order: no system always goes first
                for variant in workload.variants:
                    for system in systems[shift:] + systems[:shift]:
                        self.run_one(workload, variant, system, repeat)
        return self.records


def _stage_seconds(stage: dict[str, Any]) -> float:
    streams = [item.get("start", 0) + item["duration"] for item in stage.get("streams", [])]
    writers = stage.get("writers") or {}
    return float(max([0.0, *streams, writers.get("duration", 0)])) + 10


def _one_line(record: dict[str, Any]) -> str:
    label = f"  {record['workload']:<7} {record['variant'] or '-':<12} {record['system']:<14}"
    label += f" #{record['repeat'] + 1} ({record.get('seconds', 0):.0f} s)"
    if "error" in record:
        return f"{label} ERROR {record['error'][:300]}"
    parts = []
    for stage in record["stages"]:
        delivery = stage.get("delivery") or {}
        last = (delivery.get("last_ms") or {}).get("p99")
        text = f"{stage['name']}: last p99 {last} ms" if last is not None else stage["name"]
        if not stage.get("valid", True):
            text += " INVALID"
        parts.append(text)
    return f"{label} " + "; ".join(parts)
