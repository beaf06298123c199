"""Every action and every page, fuzzed (issue 11, point 4): payloads generated from each
action's declared fields (valid values, wrong types, extra fields, boundaries and hostile
text) and query strings for every GET route, as every role and as nobody. Whatever comes,
the answer is never a 5xx, and a refused action changes no sequence number anywhere.

One real server per module; the actions that take access away run last, so the roles'
tokens keep working for the rest. ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs long."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import Route

from board.actions import REGISTRY
from board.actions.fields import Field, Kind
from board.actions.registry import Action, Scope
from board.app import routes
from tests.support import Seeded, Server, peek, seed_database

ROLES = ("chair", "secretariat", "member", "observer", None)
# Last: these can take a fuzzing role's own access away.
TAKES_ACCESS = ("link.revoke", "person.deactivate", "person.edit")
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\u202etxt.exe",  # right-to-left override
    "مرحبا بالعالم",
    "𠮷野 髙﨑 🙂👍🏽",
    '=HYPERLINK("http://example.com")',
    "<script>alert(1)</script>",
    "'; DROP TABLE meetings; --",
    "../../etc/passwd",
    "%00%ff",
    "\r\n\r\nX: y",
    "9" * 40,
    "-1",
    "1e400",
    "NaN",
    "0001-01-01T00:00",
    "9999-12-31T23:59:59+14:00",
    "2026-02-30",
    "24:00",
    "議" * 5000,
]
DEEP = "__deep__"
NON_FINITE = {"__nan__": "NaN", "__inf__": "Infinity", "__huge__": "1e400"}

hostile_text = st.sampled_from(HOSTILE) | st.text(max_size=300)
ids = st.integers(1, 60) | st.sampled_from([0, -1, 2**31, 2**31 + 1, 2**63, 2**64, 10**30])
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
wrong = any_json | st.sampled_from([DEEP, *NON_FINITE])
dates = st.dates().map(str)
clocks = st.builds("{:02d}:{:02d}".format, st.integers(0, 25), st.integers(0, 61))
moments = (
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes"))
    | st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat())
    | clocks
)


def _value(field: Field) -> st.SearchStrategy[Any]:
    valid: dict[Kind, st.SearchStrategy[Any]] = {
        Kind.TEXT: hostile_text,
        Kind.MULTILINE: hostile_text | st.text(alphabet="a\n\r議 ", max_size=50),
        Kind.INTEGER: st.integers(-5, 100_001) | st.integers(),
        Kind.ID: ids | ids.map(str),
        Kind.ID_LIST: st.lists(ids, max_size=5) | hostile_text,
        Kind.BOOLEAN: st.booleans() | st.sampled_from(["true", "0", "yes", "maybe"]),
        Kind.DATE: dates | hostile_text,
        Kind.CLOCK: clocks | hostile_text,
        Kind.MOMENT: moments | hostile_text,
        Kind.CHOICE: st.sampled_from(field.options or ("",)) | hostile_text,
        Kind.LINES: st.lists(hostile_text, max_size=60) | hostile_text,
    }
    return st.one_of(valid[field.kind], valid[field.kind], wrong)


def payloads(action: Action) -> st.SearchStrategy[dict[str, Any]]:
    optional = {field.name: _value(field) for field in action.fields}
    extra = st.dictionaries(
        hostile_text | st.sampled_from(["omitted_items", "id"]), wrong, max_size=2
    )
    base = st.fixed_dictionaries({}, optional=optional)
    return st.one_of(base, base, st.builds(lambda a, b: {**b, **a}, base, extra))


def encode(payload: Any) -> bytes:
    """JSON text as a hostile client would send it: lone surrogates escaped, plus nesting
    thousands deep and the non-numbers JSON does not allow."""
    text = json.dumps(payload)
    text = text.replace(json.dumps(DEEP), "[" * 5000 + "]" * 5000)
    for marker, number in NON_FINITE.items():
        text = text.replace(json.dumps(marker), number)
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Seeded]]:
    seeded = seed_database(tmp_path_factory.mktemp("fuzz") / "board.db")
    server = Server(seeded.db_path).start()
    try:
        yield server, seeded
    finally:
        server.stop()


@pytest.fixture(scope="module")
def clients(running: tuple[Server, Seeded]) -> dict[str | None, httpx.Client]:
    server, seeded = running
    found: dict[str | None, httpx.Client] = {}
    for role in ROLES:
        headers = {} if role is None else {"Authorization": f"Bearer {seeded.token(role)}"}
        found[role] = httpx.Client(base_url=server.base, headers=headers, timeout=60)
        server.clients.append(found[role])
    return found


def sequences(db_path: Path) -> tuple[int, ...]:
    """Every log's position and the number of bodies: a refused action moves none."""
    row = peek(
        db_path,
        "SELECT (SELECT coalesce(sum(seq), 0) FROM meetings), "
        "(SELECT coalesce(sum(seq), 0) FROM bodies), (SELECT count(*) FROM bodies)",
    )
    return tuple(int(value) for value in row)


def _url(action: Action) -> str:
    if action.scope is Scope.MEETING:
        return f"/api/meetings/1/actions/{action.name}"
    if action.scope is Scope.BODY:
        return f"/api/bodies/1/actions/{action.name}"
    return f"/api/actions/{action.name}"


ACTIONS = sorted(REGISTRY, key=lambda name: (name in TAKES_ACCESS, name))


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action(
    name: str, running: tuple[Server, Seeded], clients: dict[str | None, httpx.Client]
) -> None:
    server, _seeded = running
    action = REGISTRY[name]

    @given(role=st.sampled_from(ROLES), payload=payloads(action))
    def check(role: str | None, payload: dict[str, Any]) -> None:
        before = sequences(server.db_path)
        response = clients[role].post(
            _url(action), content=encode(payload), headers={"content-type": "application/json"}
        )
        assert response.status_code < 500, (name, role, payload, response.text)
        if response.status_code >= 400:
            assert response.json()["error"]
            assert sequences(server.db_path) == before, (name, role, payload)

    check()


def _get_routes() -> list[str]:
    found = []
    for route in routes():
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            found.append(route.path)
    return [*found, "/static/{rest}"]


PARAM = re.compile(r"\{([a-z_]+)(?::([a-z]+))?\}")
QUERY_KEYS = ["after", "revision", "draft", "copy", "q", "body", "year", "era", "bom", "lang"]
# The search's filters, order and pages.
QUERY_KEYS += ["meeting", "kind", "from", "to", "role", "speaker", "item", "order", "page"]
path_ids = st.sampled_from(["1", "2", "0", "9" * 25, "1" * 5000]) | st.integers(0, 99).map(str)


def _segment(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# In a URL a long text is cut to 1,000 characters: clients refuse URLs of 64 KiB (httpx
# raises before sending), and the server's limit on a request head is tested elsewhere.
url_text = hostile_text.map(lambda text: text[:1000])


@st.composite
def requests(draw: st.DrawFn, template: str) -> str:
    def fill(match: re.Match[str]) -> str:
        if match.group(2) == "id":
            return draw(path_ids)
        if match.group(1) == "fmt":
            formats = st.sampled_from(["json", "md", "txt", "csv", "html", "exe"])
            return _segment(draw(formats | url_text))
        return _segment(draw(url_text))

    path = PARAM.sub(lambda match: fill(match) or "x", template)
    keys = st.sampled_from(QUERY_KEYS) | url_text
    values = st.sampled_from(["1", "0", "public", "original", "western", "9" * 25]) | url_text
    query = draw(st.lists(st.tuples(keys, values), max_size=4))
    pairs = "&".join(f"{_segment(key)}={_segment(value)}" for key, value in query)
    return path + ("?" + pairs if pairs else "")


# A generated query string can be long: Hypothesis warns before printing one.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@pytest.mark.parametrize("template", _get_routes())
def test_every_page(template: str, clients: dict[str | None, httpx.Client]) -> None:
    @given(role=st.sampled_from(ROLES), target=requests(template))
    def check(role: str | None, target: str) -> None:
        response = clients[role].get(target, follow_redirects=False)
        assert response.status_code < 500, (template, role, target, response.text[:300])

    check()
