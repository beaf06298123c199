"""A smoke run of the benchmark: it works end to end and every device receives every event.
No timing is asserted here; the figures belong in README, measured with `python -m bench`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main

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
