"""The archive search benchmark's --quick run (CI's smoke size): it builds, measures every
query class both ways, and the index finds what the old path finds where both apply. No
timing is asserted; the figures belong in README, measured with `python -m bench.search`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.search.__main__ import main

pytestmark = pytest.mark.slow


def test_the_quick_search_benchmark_runs_every_class(tmp_path: Path) -> None:
    out = tmp_path / "search.json"
    assert main(["--quick", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    classes = {row["class"]: row for row in result["classes"]}
    assert len(classes) == 14
    assert classes["2 chars, common"]["total"] > classes["2 chars, rare"]["total"] > 0
    assert classes["full-width ５Ｇ"]["total"] > 0  # the old path found nothing for ５Ｇ
    assert all(row["new_p99"] > 0 for row in classes.values())
    assert result["sizes_mib"]["search_grams"] > 0 and result["writes_per_second"] > 0
