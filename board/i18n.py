"""Message catalogs (gettext .po files managed with Babel) and language choice."""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("ja", "en")


def N_(message: str) -> str:
    """Mark a string for the catalog; it is translated where it is shown."""
    return message


DEFAULT_LANGUAGE = "ja"
LANG_COOKIE = "lang"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Compile the language's .po catalog in memory (no build step, no binary in git)."""
    source = resources.files("board") / "locale" / lang / "LC_MESSAGES" / "messages.po"
    if not source.is_file():
        return gettext.NullTranslations()
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The visible switch (a cookie) wins; then the browser's languages; then Japanese."""
    if cookie in LANGUAGES:
        return cookie
    ranked = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower()[:2]))
    for _, _, tag in sorted(ranked):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def gettext_for(lang: str) -> gettext.NullTranslations:
    return translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
