"""The minutes as plain text and as Markdown, from the one layout."""

from __future__ import annotations

import re

from board.minutes.layout import Layout, StatementView

FULL_SPACE = "　"
# Characters that would start Markdown inline markup or raw HTML inside a user's text.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# ... and the line starts that would open a heading, list, quote, rule or code block.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _statement_text(statement: StatementView) -> list[str]:
    marker = f"【非公開：{statement.non_public_reason}】" if statement.non_public_reason else ""
    head = statement.label + marker
    if not statement.paragraphs:
        return [head]
    first, *rest = statement.paragraphs
    return [head + FULL_SPACE + first, *(FULL_SPACE + line for line in rest)]


def to_text(layout: Layout) -> str:
    lines = [layout.title, ""]
    lines += [f"{line.label}{layout.separator}{line.value}" for line in layout.header]
    if layout.heading:
        lines += ["", layout.heading]
    for item in layout.items:
        lines += [
            "",
            f"{item.number} {item.title}" + (FULL_SPACE + item.omitted if item.omitted else ""),
        ]
        for statement in item.statements:
            lines += ["", *_statement_text(statement)]
        if item.votes:
            lines += ["", f"【{layout.votes_label}】"]
            for vote in item.votes:
                lines += [f"・{vote.lines[0]}", *(FULL_SPACE + line for line in vote.lines[1:])]
        if item.decisions:
            lines += ["", f"【{layout.decisions_label}】"]
            lines += [f"・{entry.text}" for entry in item.decisions]
        if item.action_items:
            lines += ["", f"【{layout.action_items_label}】"]
            lines += [f"・{entry.text}" for entry in item.action_items]
    lines += ["", layout.closing, ""]
    lines += layout.footer
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """User text as literal Markdown inside a line: no markup, no raw HTML."""
    return _INLINE.sub(r"\\\1", text)


def md_line(text: str) -> str:
    """User text that starts a line: also no heading, list or quote opened by accident."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), md_escape(text))


def _statement_markdown(statement: StatementView) -> str:
    marker = (
        f"【非公開：{md_escape(statement.non_public_reason)}】"
        if statement.non_public_reason
        else ""
    )
    head = f"**{md_escape(statement.label)}**{marker}"
    if not statement.paragraphs:
        return head
    first, *rest = statement.paragraphs
    # A backslash at the end of a line is a hard line break in CommonMark.
    return "\\\n".join([head + FULL_SPACE + md_escape(first), *(md_line(line) for line in rest)])


def to_markdown(layout: Layout) -> str:
    blocks = [f"# {md_escape(layout.title)}"]
    blocks.append("\n".join(f"- {line.label}：{md_escape(line.value)}" for line in layout.header))
    if layout.heading:
        blocks.append(f"## {layout.heading}")
    for item in layout.items:
        level = "###" if item.level == 1 else "####"
        mark = FULL_SPACE + md_escape(item.omitted) if item.omitted else ""
        blocks.append(f"{level} {item.number} {md_escape(item.title)}{mark}")
        blocks += [_statement_markdown(statement) for statement in item.statements]
        if item.votes:
            blocks.append(f"**【{layout.votes_label}】**")
            for vote in item.votes:
                first, *rest = vote.lines
                blocks.append(
                    "\n".join([f"- {md_line(first)}", *(f"  {md_line(x)}" for x in rest)])
                )
        if item.decisions:
            blocks.append(f"**【{layout.decisions_label}】**")
            blocks.append("\n".join(f"- {md_line(entry.text)}" for entry in item.decisions))
        if item.action_items:
            blocks.append(f"**【{layout.action_items_label}】**")
            blocks.append("\n".join(f"- {md_line(entry.text)}" for entry in item.action_items))
    blocks.append(layout.closing)
    blocks.append("---")
    blocks += [md_line(line) for line in layout.footer]
    return "\n\n".join(blocks) + "\n"
