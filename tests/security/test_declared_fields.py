"""Each action declares the fields it accepts, once (``board.actions.registry``): the
declaration is what refuses unknown fields and what the fuzz test generates, so it must
name every field the action's parser reads."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from board.actions import REGISTRY
from board.actions.errors import ActionError, Invalid
from board.actions.fields import Kind

SAMPLES = {
    Kind.TEXT: "text",
    Kind.MULTILINE: "two\nlines",
    Kind.INTEGER: 1,
    Kind.ID: 1,
    Kind.ID_LIST: [1, 2],
    Kind.BOOLEAN: False,
    Kind.DATE: "2026-04-15",
    Kind.CLOCK: "14:00",
    Kind.MOMENT: "2026-04-15T17:00",
    Kind.LINES: ["資料1"],
}


class Asked(dict[str, Any]):
    """A payload that remembers every field name its reader asked about."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_the_declaration_names_every_field_the_parser_reads(name: str) -> None:
    action = REGISTRY[name]
    declared = {field.name for field in action.fields}
    full = {
        field.name: field.options[0] if field.options else SAMPLES[field.kind]
        for field in action.fields
    }
    for payload in (Asked(), Asked(full)):
        with contextlib.suppress(ActionError):
            action.read(payload)
        assert payload.asked <= declared, f"{name} reads undeclared {payload.asked - declared}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_an_undeclared_field_is_refused_by_name(name: str) -> None:
    with pytest.raises(Invalid) as refused:
        REGISTRY[name].read({"no_such_field": 1})
    assert "no_such_field" in refused.value.message and name in refused.value.message


def test_the_action_list_shows_the_declared_fields() -> None:
    from board.views.api import action_fields

    listed = action_fields(REGISTRY["minutes.header"])
    assert {"name": "kind", "kind": "choice", "options": ["full", "summary", "excerpt"]} in listed
