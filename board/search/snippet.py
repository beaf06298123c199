"""A window of the original text around the first hit, every hit in it marked, all of it
escaped. Hits are found in the normalised text and marked on the original characters."""

from __future__ import annotations

from markupsafe import Markup, escape

from board.search.normalize import fold

WINDOW = 30


def _spans(norm: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for term in terms:
        start = norm.find(term)
        while start >= 0:
            found.append((start, start + len(term)))
            start = norm.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def excerpt(content: str, terms: tuple[str, ...]) -> Markup:
    folded = fold(content)
    spans = [folded.original_span(start, end) for start, end in _spans(folded.text, terms)]
    first = spans[0][0] if spans else 0
    start = max(first - WINDOW, 0)
    end = min(first + WINDOW * 2, len(content))
    pieces, last = [], start
    for hit_start, hit_end in spans:
        if hit_end <= start or hit_start >= end:
            continue
        hit_start, hit_end = max(hit_start, last), min(hit_end, end)
        pieces.append(str(escape(content[last:hit_start])))
        pieces.append(f"<mark>{escape(content[hit_start:hit_end])}</mark>")
        last = hit_end
    pieces.append(str(escape(content[last:end])))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(content) else ""
    return Markup(prefix + "".join(pieces) + suffix)
