from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Seeded, Server, seed_database


@pytest.fixture
def seeded(tmp_path: Path) -> Seeded:
    return seed_database(tmp_path / "board.db")


@pytest.fixture
def server(seeded: Seeded) -> Iterator[Server]:
    running = Server(seeded.db_path).start()
    try:
        yield running
    finally:
        running.stop()
