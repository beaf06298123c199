"""Docs are tested: every setting and every action is documented in README."""

from __future__ import annotations

import re
from pathlib import Path

from board.actions import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    settings: set[str] = set()
    for path in (ROOT / "board").rglob("*.py"):
        settings |= set(re.findall(r'"(BOARD_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    assert settings
    missing = [name for name in sorted(settings) if f"`{name}`" not in README]
    assert missing == []


def test_every_action_is_documented() -> None:
    missing = [name for name in sorted(REGISTRY) if f"`{name}`" not in README]
    assert missing == []


def test_the_quick_start_has_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_the_actions_table_is_one_table() -> None:
    section = README.split("### Actions", 1)[1]
    lines = section.strip().splitlines()
    table: list[str] = []
    for line in lines:
        if not line.startswith("|"):
            break
        table.append(line)
    rows = {
        name
        for line in table[2:]
        for name in re.findall(r"`([a-z_]+\.[a-z_]+)`", line.split("|")[1])
    }
    missing = [name for name in sorted(REGISTRY) if name not in rows]
    assert missing == []
