"""Who is asking: a personal token (Bearer) or the device's session.

The signed session cookie carries only a random session key; the server keeps what it
stands for (board.store.sessions), so a revoked link, a removed person or a sign-out ends
it at once. A device's session can hold one person per body (a secretariat member who
opened a second body has a second person there); each request acts as the person of the
body concerned.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from board.actions.errors import Forbidden, Unauthenticated
from board.models import Person, Role
from board.store import people, sessions
from board.store.db import Conn, Store

SESSION_KEY = "key"
SESSION_MAX = 20  # people per device
SESSION_LIFETIME = 180 * 86400  # seconds, from sign-in; the cookie's max age is the same


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def session_key(connection: HTTPConnection) -> str | None:
    if "session" not in connection.scope:
        return None
    key = connection.session.get(SESSION_KEY)
    return key if isinstance(key, str) and key else None


async def remember(
    db: Store, connection: HTTPConnection, person: Person, link_id: int | None
) -> None:
    """Sign this device in as the person, through the link it opened (None: the first-run
    setup link), replacing any earlier person of the same body."""
    key = session_key(connection)
    if key is None:
        key = connection.session[SESSION_KEY] = secrets.token_urlsafe(32)
    await db.run_write(sessions.open_session, key, person, link_id, SESSION_LIFETIME, SESSION_MAX)


async def forget(db: Store, connection: HTTPConnection) -> None:
    """Sign-out: end the device's session on the server, then in the browser."""
    key = session_key(connection)
    if key is not None:
        await db.run_write(sessions.end_session, key)
    connection.session.clear()


async def device_link(conn: Conn, asking: Asking, person_id: int) -> int | None:
    """The link through which this device signed the person in (None for a token)."""
    credentials = asking if isinstance(asking, Credentials) else Credentials.of(asking)
    if credentials.session_key is None:
        return None
    return await sessions.link_of(conn, credentials.session_key, person_id)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request says about who is asking, taken from it on the event loop: store work,
    which may run on a connection's thread, gets these plain values, not the request."""

    token: str | None
    session_key: str | None

    @classmethod
    def of(cls, connection: HTTPConnection) -> Credentials:
        return cls(bearer_token(connection), session_key(connection))


Asking = HTTPConnection | Credentials


async def signed_in(conn: Conn, asking: Asking) -> list[Person]:
    credentials = asking if isinstance(asking, Credentials) else Credentials.of(asking)
    if credentials.token is not None:
        person = await people.person_for_token(conn, credentials.token)
        if person is None:
            raise Unauthenticated("the token is not valid or has been revoked")
        return [person]
    if credentials.session_key is None:
        return []
    return await sessions.people_for_key(conn, credentials.session_key)


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
