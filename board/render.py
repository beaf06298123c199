"""One Jinja environment per language; pages and the live-room partials.

The same partial template serves the full page (included) and the live push (alone,
marked for out-of-band swap), so each piece of HTML has one source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date

from board import i18n, timeutil
from board.live.parts import Part
from board.minutes import era
from board.models import OPINION_MAX, MeetingState, Mine
from board.votes import text as vote_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# The pages a device can show in the live room; each is one audience for the push.
VIEWS = ("chair", "secretariat", "member", "projector")


@dataclass(frozen=True, slots=True)
class Audience:
    view: str
    lang: str


class Renderer:
    def __init__(self, folder: Path = TEMPLATES, *, static_version: str = "") -> None:
        self.static_version = static_version
        self._envs = {lang: self._environment(folder, lang) for lang in i18n.LANGUAGES}

    def _environment(self, folder: Path, lang: str) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            auto_reload=False,  # compiled once (warm()); no stat of the file per render
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(i18n.gettext_for(lang), newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(
            lang=lang,
            languages=i18n.LANGUAGES,
            epoch_ms=timeutil.epoch_ms,
            static_version=self.static_version,
        )
        # Optional context a page may leave out; anything else missing is an error.
        env.globals.update(
            oob=False,
            oob_item=False,
            flash=None,
            error=None,
            notice=None,
            issued=None,
            form=None,
            me=None,
            ballots={},
            prefs={"text_size": "normal", "theme": "default"},
        )
        env.filters["hhmm"] = lambda text: timeutil.local(timeutil.parse(text)).strftime("%H:%M")
        env.filters["hhmmss"] = lambda text: timeutil.local(timeutil.parse(text)).strftime(
            "%H:%M:%S"
        )
        env.filters["era_date"] = era.iso_date_text
        env.filters["day"] = lambda text: local_date(text, lang)
        env.filters["when"] = timeutil.month_day_time
        env.globals["today"] = timeutil.today
        return env

    def warm(self) -> None:
        """Compile every template now, at start-up, not on a device's first push."""
        for env in self._envs.values():
            for name in env.list_templates(extensions=["html"]):
                env.get_template(name)

    def env(self, lang: str) -> jinja2.Environment:
        return self._envs.get(lang) or self._envs[i18n.DEFAULT_LANGUAGE]

    def page(self, name: str, lang: str, **context: Any) -> str:
        return self.env(lang).get_template(name).render(**context)

    def parts(
        self,
        state: MeetingState,
        audience: Audience,
        parts: frozenset[Part],
        items: frozenset[int] = frozenset(),
    ) -> str:
        """The fragments for one audience, concatenated, each marked for out-of-band swap;
        ``Part.ITEM`` renders the agenda items in ``items`` (unless all of them are due)."""
        env = self.env(audience.lang)
        context = live_context(state, audience.view)
        html = []
        for part in Part:
            if part not in parts or not part_shown(part, audience.view):
                continue
            if part is Part.ITEM:
                if Part.ITEMS not in parts:
                    template = env.get_template("partials/_item.html")
                    html += [
                        template.render(oob_item=True, item=item, **context)
                        for item in state.items
                        if item.id in items
                    ]
                continue
            template = env.get_template(f"partials/_{part.value}.html")
            html.append(template.render(oob=True, **context))
        return "".join(html)

    def mine(self, mine: Mine) -> str:
        """A person's own state, for their devices (it holds no text: one language)."""
        env = self.env(i18n.DEFAULT_LANGUAGE)
        return env.get_template("partials/_mine.html").render(
            agreed=mine.agreed, ballots=mine.ballots, oob=True
        )


def part_shown(part: Part, view: str) -> bool:
    if part is Part.PRESENCE:
        return view in ("chair", "secretariat")
    if part in (Part.READING, Part.MINUTES):
        return view == "secretariat"
    if part is Part.VOTE_PROGRESS:
        return view != "member"
    if part in (Part.ITEMS, Part.ITEM):
        return view != "projector"
    return True


def live_context(state: MeetingState, view: str) -> dict[str, Any]:
    speaking = state.speaking
    ends_at = None
    if speaking is not None and speaking.granted_at and speaking.limit_seconds:
        ends_at = timeutil.epoch_ms(speaking.granted_at) + 1000 * (
            speaking.limit_seconds + speaking.extended_seconds
        )
    return {
        "state": state,
        "meeting": state.meeting,
        "body": state.body,
        "view": view,
        "ends_at": ends_at,
        "now_ms": int(timeutil.now().timestamp() * 1000),
        "opinion_max": OPINION_MAX,
        "vote_sentence": vote_text.sentence,
        "winner": vote_text.winner,
    }


def local_date(text: str, lang: str) -> str:
    """A meeting's date for the page: the Japanese era with the weekday in Japanese
    (令和8年11月26日（木）), the Western style in English (Thu 26 Nov 2026)."""
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    if lang == "ja":
        return era.date_text(day)
    return format_date(day, "EEE d MMM y", locale="en")
