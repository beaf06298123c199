"""Sign-in tokens never appear in the server's output, access log included."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest

from tests.support import Seeded, Server, seed_database


@pytest.fixture
def talkative(tmp_path: Path) -> tuple[Server, Seeded]:
    seeded = seed_database(tmp_path / "board.db")
    return Server(seeded.db_path), seeded


def test_no_sign_in_token_reaches_the_log(talkative: tuple[Server, Seeded]) -> None:
    server, seeded = talkative
    server.start("--log-level", "info")
    guesses = [secrets.token_urlsafe(32) for _ in range(5)]
    valid = [token for links in seeded.links.values() for _, token in links]
    try:
        for token in valid[:6]:
            with httpx.Client(base_url=server.base, timeout=30) as device:
                assert device.get(f"/join/{token}").status_code == 303
        with httpx.Client(base_url=server.base, timeout=30) as stranger:
            for guess in guesses:
                assert stranger.get(f"/join/{guess}").status_code == 404
            assert stranger.get(f"/join/{guesses[0]}?lang=ja").status_code == 404
            assert stranger.get(f"/setup/{guesses[1]}").status_code == 404
    finally:
        server.stop()
    output = server.log()
    assert "/join/[redacted]" in output  # the access log was on and wrote the requests
    for token in [*valid, *guesses]:
        assert token not in output
