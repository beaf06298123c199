"""Keep the message catalogs in step with the code: ``python -m board.catalog update``
extracts every marked string (templates, views, action errors) and merges it into the
Japanese and English catalogs; ``check`` fails when a string lacks a translation."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = Path(__file__).resolve().parent / "locale"
# The gettext markers, plus the action errors whose first argument is a catalog message.
KEYWORDS = {
    name: None
    for name in (
        "_",
        "N_",
        "gettext",
        "Invalid",
        "Conflict",
        "NotFound",
        "Forbidden",
        "BadRequest",
        "TooLarge",
        "Unauthenticated",
    )
}
METHODS = [("board/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract() -> Catalog:
    template = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True
    ):
        if filename.startswith(("tests", "bench")):
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def load(lang: str) -> Catalog:
    if not path(lang).exists():
        return Catalog(locale=lang)
    with path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def update() -> None:
    template = extract()
    for lang in ("ja", "en"):
        catalog = load(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.project, catalog.version, catalog.fuzzy = "meeting-board", "0.1", False
        catalog.copyright_holder = "The meeting board authors"
        for message in catalog:
            if lang == "en" and message.id and not message.string:
                message.string = message.id
        path(lang).parent.mkdir(parents=True, exist_ok=True)
        with path(lang).open("wb") as handle:
            write_po(
                handle,
                catalog,
                omit_header=False,
                no_location=True,
                sort_output=True,
                ignore_obsolete=True,
                width=100,
            )


def missing() -> dict[str, list[str]]:
    """Every extracted string that a catalog lacks or leaves untranslated, by language."""
    wanted = [message.id for message in extract() if message.id]
    result = {}
    for lang in ("ja", "en"):
        catalog = load(lang)
        gaps = []
        for message_id in wanted:
            found = catalog.get(message_id)
            if found is None or not found.string:
                gaps.append(str(message_id))
        result[lang] = gaps
    return result


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    gaps = missing()
    for lang, ids in gaps.items():
        for message_id in ids:
            print(f"{lang}: untranslated: {message_id!r}")
    sys.exit(1 if any(gaps.values()) else 0)
