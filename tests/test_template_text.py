"""Every user-visible text in the templates comes from the message catalogs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# Blocks that fill in attributes of <body> in base.html, not text.
ATTRIBUTE_BLOCKS = re.compile(r"\{% block body_(?:attrs|class) %\}.*?\{% endblock %\}", re.DOTALL)
VISIBLE_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "summary", "content"}
# Letters of any script; digits, punctuation and symbols (·, –, :, …) may stand alone.
WORDS = re.compile(r"[^\W\d_]", re.UNICODE)
# Names of formats and algorithms read the same in every language.
TECHNICAL = {
    "JSON",
    "CSV",
    "HTML",
    "Markdown",
    "SHA-256",
    "PDF",
    "UTF-8",
    "BOM",
    "A4",
    "MB",
    "KB",
    "B",
}


class TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            meta = tag == "meta" and name == "content"
            if name in VISIBLE_ATTRIBUTES and value and WORDS.search(value) and not meta:
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        # Paths a macro writes out (/meetings/…) and technical names are not prose.
        words = [w for w in data.split() if w not in TECHNICAL and not w.startswith("/")]
        if not self.skip and WORDS.search(" ".join(words)):
            self.found.append(data.strip())


def test_no_template_has_text_outside_the_catalog() -> None:
    offenders = {}
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        finder = TextFinder()
        source = ATTRIBUTE_BLOCKS.sub(" ", path.read_text(encoding="utf-8"))
        finder.feed(JINJA.sub(" ", source))
        if finder.found:
            offenders[str(path.relative_to(ROOT))] = finder.found
    assert offenders == {}


def test_the_check_catches_a_bare_word() -> None:
    finder = TextFinder()
    finder.feed(JINJA.sub(" ", '<p>{{ _("ok") }} 会議</p><button aria-label="Close">x</button>'))
    assert finder.found == ["会議", "<button aria-label='Close'>", "x"]
