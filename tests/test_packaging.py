"""A non-editable install ships every package of the board (a package missing from
pyproject's list works in a checkout and fails on a server)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_board_package_is_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "board").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages"
