"""A small run of the vote benchmark: it works end to end, every ballot is counted and
every device gets the announcement, on the board and on B0. No timing is asserted here;
the figures belong in README, measured with `python -m bench.votes`."""

from __future__ import annotations

import pytest

from bench.votes import main

pytestmark = pytest.mark.slow


def test_a_small_vote_run_counts_every_ballot() -> None:
    result = main(["--members", "20", "--rounds", "2", "--seconds", "0.5", "--senders", "5"])
    assert result["all_counted"] is True
    assert [entry["voted"] for entry in result["rounds"]] == [20, 20]
    assert result["board"]["p99_last_device_ms"] > 0 and result["b0"]["p99_last_device_ms"] > 0
