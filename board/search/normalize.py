"""One normalisation for indexing and querying: NFKC width folding and case folding.

Text is cut into segments (a starter with what combines with it, or a run of white
space) and each segment is normalised on its own, so every character of the normalised
text comes from one known stretch of the original: snippets mark the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Half-width voiced and semi-voiced sound marks combine with the kana before them (ｶﾞ = ガ).
_JOINERS = frozenset("\uff9e\uff9f\u3099\u309a")


def _joins(char: str) -> bool:
    return char in _JOINERS or unicodedata.combining(char) != 0


def _segments(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index < len(text):
            char, before = text[index], text[index - 1]
            if _joins(char) or (char.isspace() and before.isspace()):
                continue
        found.append((start, index))
        start = index
    return found


def _fold(segment: str) -> str:
    if segment.isspace():
        return " "
    once = unicodedata.normalize("NFKC", segment)
    return unicodedata.normalize("NFKC", once.casefold())


@dataclass(frozen=True, slots=True)
class Folded:
    """Normalised text and, for each of its characters, the original stretch it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text behind normalised characters [start, end)."""
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _segments(text):
        piece = _fold(text[start:end])
        pieces.append(piece)
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))
    return Folded("".join(pieces), tuple(starts), tuple(ends))


def normalize(text: str) -> str:
    """The form both the index and the query are compared in (５Ｇ -> 5g, ｶﾀｶﾅ -> カタカナ)."""
    return "".join(_fold(text[start:end]) for start, end in _segments(text))


def is_gram_char(char: str) -> bool:
    """Characters the gram index holds: anything but white space and ASCII punctuation."""
    return not char.isspace() and (ord(char) > 127 or char.isalnum())


def gram_term(term: str) -> bool:
    """A normalised term the gram index answers exactly (no white space or punctuation)."""
    return bool(term) and all(is_gram_char(char) for char in term)


def bigrams(norm: str) -> list[str]:
    """Each pair of indexable neighbours once, in a stable order."""
    return sorted(
        {
            norm[i : i + 2]
            for i in range(len(norm) - 1)
            if is_gram_char(norm[i]) and is_gram_char(norm[i + 1])
        }
    )


def unigrams(norm: str) -> list[str]:
    """Each indexable character once, in a stable order."""
    return sorted({char for char in norm if is_gram_char(char)})


def grams(norm: str) -> list[str]:
    """What the index holds of a text: its characters and its bigrams, each once."""
    return unigrams(norm) + bigrams(norm)
