"""The search language of municipal minutes systems: words separated by spaces must all
occur (AND), ``OR`` between words lets either do, ``-word`` excludes, and "quoted words"
are one exact phrase. Every term is compared in normalised form (``normalize``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from board.search.normalize import normalize

MAX_TERMS = 10
OR_WORDS = frozenset({"OR", "|", "または"})
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Query:
    """Each group must match (one of its terms is in the text); no excluded term may."""

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """The terms to find and mark, in order, without repeats."""
        return tuple(dict.fromkeys(term for group in self.groups for term in group))

    def __bool__(self) -> bool:
        return bool(self.groups)

    def matches(self, norm: str) -> bool:
        """The meaning of the query for one normalised text (the index answers the same)."""
        return all(any(term in norm for term in group) for group in self.groups) and not any(
            term in norm for term in self.excluded
        )


def parse(text: str) -> Query:
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    count = 0
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word in OR_WORDS:
            join_next = bool(groups)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        raw = phrase if word is None else word
        term = normalize(raw).strip()
        if not term or count >= MAX_TERMS:
            join_next = False
            continue
        count += 1
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))
