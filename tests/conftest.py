from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import (
    Seeded,
    Server,
    drop_all_targets,
    drop_target,
    seed_database,
    sweep_stale_databases,
)


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Seeded]:
    db_path = tmp_path / "board.db"
    try:
        yield seed_database(db_path)
    finally:
        drop_target(db_path)


@pytest.fixture
def server(seeded: Seeded) -> Iterator[Server]:
    running = Server(seeded.db_path).start()
    try:
        yield running
    finally:
        running.stop()


def pytest_sessionstart(session: pytest.Session) -> None:
    sweep_stale_databases()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_all_targets()  # PostgreSQL databases of module-wide servers, and the template
