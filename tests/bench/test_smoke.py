"""A smoke run of the benchmark: it works end to end and every device receives every event.
No timing is asserted here; the figures belong in README, measured with `python -m bench`."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import asyncpg
import pytest

from bench.__main__ import main
from tests.support import PG_BASE

pytestmark = pytest.mark.slow


def test_the_smoke_run_delivers_every_event_to_every_device(tmp_path: Path) -> None:
    out = tmp_path / "smoke.json"
    assert main(["--smoke", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))

    assert result["summary"]["errors"] == []
    runs = result["runs"]
    assert {run["system"] for run in runs if run["workload"] == "Smoke"} == {"board", "b0", "b2"}
    for run in runs:
        for stage in run["stages"]:
            assert stage["connect"]["failed"] == 0, (run["system"], stage["connect"])
            assert stage["devices"] == int(stage["name"])
            delivery = stage["delivery"]
            ok = stage["http"]["ok"]
            assert ok > 0
            # Every answered event reached every device, in order.
            assert delivery["recipients"] == ok * stage["devices"]
            assert delivery["missed"] == 0, (run["system"], delivery)
            assert delivery["order_violations"] == 0
            if "writes" in stage:
                assert stage["writes"]["committed"] > 0
                assert stage["writes"]["lost"] == 0
                assert stage["writes"]["in_log"] == stage["writes"]["committed"]


def test_the_postgresql_smoke_run_delivers_across_two_processes(tmp_path: Path) -> None:
    """board-pg and board-pg2 on databases the bench makes on the test server, and drops."""
    out = tmp_path / "smoke-pg.json"
    assert main(["--smoke", "--db", PG_BASE, "--workers", "2", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))

    assert result["summary"]["errors"] == []
    runs = [run for run in result["runs"] if run["system"] in ("board-pg", "board-pg2")]
    assert {run["system"] for run in runs} == {"board-pg", "board-pg2"}
    for run in runs:
        for stage in run["stages"]:
            assert stage["connect"]["failed"] == 0, (run["system"], stage["connect"])
            delivery = stage["delivery"]
            assert delivery["recipients"] == stage["http"]["ok"] * stage["devices"]
            assert delivery["missed"] == 0, (run["system"], delivery)
            assert delivery["order_violations"] == 0
            if run["system"] == "board-pg2":  # half the devices were on the other process
                processes = delivery["by_process"]
                assert processes["same"]["n"] > 0 and processes["other"]["n"] > 0
            if "writes" in stage:
                assert stage["writes"]["lost"] == 0
    assert not _bench_databases()


def test_the_driver_comparison_commits_through_both_drivers(tmp_path: Path) -> None:
    # Imported here: psycopg (the test extras) is needed by this test only.
    from bench import drivers

    out = tmp_path / "drivers.json"
    argv = ["--db", PG_BASE, "--writers", "3", "--seconds", "0.5", "--rounds", "1"]
    assert drivers.main([*argv, "--cpu", "-1", "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))

    assert {result["driver"] for result in results} == {"asyncpg", "psycopg"}
    for result in results:
        assert result["committed"] > 0, result
        assert result["lost"] == 0
        assert result["refused"] == 0, result["first_refusals"]
    assert not _bench_databases()


def _bench_databases() -> list[str]:
    """What this process's bench left on the server (it must drop all it made)."""

    async def names() -> list[str]:
        connection = await asyncpg.connect(PG_BASE)
        try:
            rows = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"bench_{os.getpid()}_%"
            )
        finally:
            await connection.close()
        return [row[0] for row in rows]

    return asyncio.run(names())
