"""A small, safe Markdown renderer for materials shown in the page.

Every piece of text is escaped first; only the markup this module writes itself reaches
the page, so raw HTML in a document is shown as text, never run. Supported: headings,
paragraphs (line breaks kept, as Japanese documents rely on them), bullet and numbered
lists, quotes, fenced code, rules, pipe tables, **bold**, *emphasis*, `code` and
http(s) links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,9}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")

_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")


def inline(text: str) -> str:
    """Escape, then add the few inline marks. Code spans are kept verbatim."""
    pieces = _CODE.split(text)
    out = []
    for index, piece in enumerate(pieces):
        escaped = str(escape(piece))
        if index % 2:
            out.append(f"<code>{escaped}</code>")
            continue
        escaped = _LINK.sub(r'<a href="\2" rel="noopener noreferrer">\1</a>', escaped)
        escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
        escaped = _EMPHASIS.sub(r"<em>\1</em>", escaped)
        out.append(escaped)
    return "".join(out)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _blocks(lines: list[str]) -> Iterator[str]:
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        fence = _FENCE.match(line)
        if fence:
            code = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
                code.append(lines[index])
                index += 1
            index += 1
            yield f"<pre><code>{escape(chr(10).join(code))}</code></pre>"
            continue
        heading = _HEADING.match(line)
        if heading:
            level = min(len(heading.group(1)) + 1, 6)
            yield f"<h{level}>{inline(heading.group(2))}</h{level}>"
            index += 1
            continue
        if _RULE.match(line):
            yield "<hr>"
            index += 1
            continue
        if "|" in line and index + 1 < len(lines) and _TABLE_RULE.match(lines[index + 1]):
            head = "".join(f"<th>{inline(cell)}</th>" for cell in _cells(line))
            rows = []
            index += 2
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                cells = "".join(f"<td>{inline(cell)}</td>" for cell in _cells(lines[index]))
                rows.append(f"<tr>{cells}</tr>")
                index += 1
            yield (
                f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>"
            )
            continue
        for pattern, tag in ((_BULLET, "ul"), (_NUMBER, "ol")):
            if pattern.match(line):
                entries = []
                while index < len(lines) and pattern.match(lines[index]):
                    match = pattern.match(lines[index])
                    assert match is not None
                    entries.append(f"<li>{inline(match.group(1))}</li>")
                    index += 1
                yield f"<{tag}>{''.join(entries)}</{tag}>"
                break
        else:
            if _QUOTE.match(line):
                quoted = []
                while index < len(lines) and _QUOTE.match(lines[index]):
                    match = _QUOTE.match(lines[index])
                    assert match is not None
                    quoted.append(inline(match.group(1)))
                    index += 1
                yield f"<blockquote><p>{'<br>'.join(quoted)}</p></blockquote>"
                continue
            paragraph = []
            while index < len(lines) and lines[index].strip() and not _starts_block(lines, index):
                paragraph.append(inline(lines[index].strip()))
                index += 1
            if not paragraph:  # a line that starts a block we did not take: show it plainly
                paragraph.append(inline(lines[index].strip()))
                index += 1
            yield f"<p>{'<br>'.join(paragraph)}</p>"


def _starts_block(lines: list[str], index: int) -> bool:
    line = lines[index]
    return bool(
        _FENCE.match(line)
        or _HEADING.match(line)
        or _RULE.match(line)
        or _BULLET.match(line)
        or _NUMBER.match(line)
        or _QUOTE.match(line)
    )


def render(text: str) -> Markup:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("\n".join(_blocks(lines)))  # built from escaped pieces only


def render_plain(text: str) -> Markup:
    """Plain text: escaped paragraphs, line breaks kept."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return Markup(  # every line escaped
        "\n".join(
            "<p>" + "<br>".join(str(escape(line)) for line in block.split("\n")) + "</p>"
            for block in paragraphs
            if block.strip()
        )
    )
