"""Materials in Markdown, rendered by markdown-it-py with the page's safety rules.

Raw HTML is off, so a document's own tags are shown as text, never run; links are kept only
when they point to http(s) and open without handing over the page (`rel`); images are off,
as the board loads nothing from outside. Line breaks are kept, as Japanese documents rely on
them; headings start at h2 (the page owns h1); tables scroll in their own wrapper.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)


class _PageRenderer(RendererHTML):
    """The stock renderer, without layout newlines, with the page's few adjustments."""

    def renderToken(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if token.type == "link_open":
            token.attrSet("rel", "noopener noreferrer")
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        html = super().renderToken(tokens, idx, options, env).strip("\n")
        if token.type == "table_open":
            return f'<div class="table-wrap">{html}'
        if token.type == "table_close":
            return f"{html}</div>"
        return html

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return f"<pre><code>{escape(tokens[idx].content.rstrip(chr(10)))}</code></pre>"

    code_block = fence

    def softbreak(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "<br>"

    hardbreak = softbreak


def _parser() -> MarkdownIt:
    parser = MarkdownIt(
        "commonmark",
        {"html": False, "breaks": True, "xhtmlOut": False},
        renderer_cls=_PageRenderer,
    )
    parser.enable("table").disable("image")
    parser.validateLink = lambda url: bool(_SAFE_LINK.match(url))  # type: ignore[method-assign]
    return parser


_MARKDOWN = _parser()


def render(text: str) -> Markup:
    return Markup(_MARKDOWN.render(text))  # markdown-it escapes all text; raw HTML is off


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
