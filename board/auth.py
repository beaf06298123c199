"""Who is asking: a personal token (Bearer) or the signed session cookie.

A device's session can hold one person per body (a secretariat member who opened a second
body has a second person there); each request acts as the person of the body concerned.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from board.actions.errors import Forbidden, Unauthenticated
from board.models import Person, Role
from board.store import people
from board.store.db import Conn

SESSION_KEY = "people"
SESSION_MAX = 20


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def session_ids(connection: HTTPConnection) -> list[int]:
    if "session" not in connection.scope:
        return []
    raw = connection.session.get(SESSION_KEY, [])
    return [value for value in raw if isinstance(value, int)] if isinstance(raw, list) else []


def remember(connection: HTTPConnection, person: Person) -> None:
    """Sign this device in as the person, replacing any earlier person of the same body."""
    kept = [pid for pid in session_ids(connection) if pid != person.id]
    connection.session[SESSION_KEY] = [person.id, *kept][:SESSION_MAX]


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request says about who is asking, taken from it on the event loop: store work,
    which may run on a connection's thread, gets these plain values, not the request."""

    token: str | None
    session_ids: tuple[int, ...]

    @classmethod
    def of(cls, connection: HTTPConnection) -> Credentials:
        return cls(bearer_token(connection), tuple(session_ids(connection)))


Asking = HTTPConnection | Credentials


async def signed_in(conn: Conn, asking: Asking) -> list[Person]:
    credentials = asking if isinstance(asking, Credentials) else Credentials.of(asking)
    if credentials.token is not None:
        person = await people.person_for_token(conn, credentials.token)
        if person is None:
            raise Unauthenticated("the token is not valid or has been revoked")
        return [person]
    return await people.people_by_ids(conn, list(credentials.session_ids))


async def person_in_body(conn: Conn, asking: Asking, body_id: int) -> Person:
    """The person acting in this body, or 401 (nobody signed in) / 403 (another body)."""
    found = await signed_in(conn, asking)
    if not found:
        raise Unauthenticated("sign in with your personal link first")
    for person in found:
        if person.body_id == body_id:
            return person
    raise Forbidden("you are not a member of this body")


async def any_secretariat(conn: Conn, asking: Asking) -> Person:
    found = await signed_in(conn, asking)
    if not found:
        raise Unauthenticated("sign in with your personal link first")
    for person in found:
        if person.role is Role.SECRETARIAT:
            return person
    raise Forbidden("only the secretariat may do this")
