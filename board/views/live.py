"""The push channel of the live room: one WebSocket per page.

On connect the device receives the full current state at once; after that, every change
arrives as the same partials, marked for out-of-band swap. Nothing is read from the
device except its close.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from board import auth
from board.actions.errors import ActionError
from board.live.hub import CLOSE_TRY_AGAIN, Subscriber
from board.models import Role
from board.render import Audience
from board.store import meetings
from board.views.base import board_of, lang_of
from board.views.meeting import VIEW_OF_ROLE, may_see

CLOSE_POLICY = 1008


def same_origin(websocket: WebSocket) -> bool:
    """Refuse a browser connection opened by another site (cross-site WebSocket hijacking).
    Clients that send no Origin (not browsers) authenticate with their token."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    allowed = board_of(websocket).settings.allowed_origins
    if origin.rstrip("/") in allowed:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


async def live(websocket: WebSocket) -> None:
    board = board_of(websocket)
    meeting_id = websocket.path_params["meeting_id"]
    if not same_origin(websocket):
        await websocket.close(code=CLOSE_POLICY)
        return
    try:
        async with board.db.read() as conn:
            meeting = await meetings.get_meeting(conn, meeting_id)
            if meeting is None:
                await websocket.close(code=CLOSE_POLICY)
                return
            person = await auth.person_in_body(conn, websocket, meeting.body_id)
    except ActionError:
        await websocket.close(code=CLOSE_POLICY)
        return
    if not may_see(person, meeting):
        await websocket.close(code=CLOSE_POLICY)
        return
    wanted = websocket.query_params.get("view")
    view = (
        "projector"
        if wanted == "projector" or person.role is Role.OBSERVER
        else (VIEW_OF_ROLE[person.role])
    )
    subscriber = Subscriber(Audience(view, lang_of(websocket)), person.id)
    await websocket.accept()
    try:
        if not await board.hub.join(meeting_id, subscriber):
            await websocket.close(code=CLOSE_POLICY)
            return
        sender = asyncio.create_task(_send(websocket, subscriber))
        receiver = asyncio.create_task(_drain(websocket))
        dropped = asyncio.create_task(subscriber.dropped.wait())
        done, pending = await asyncio.wait(
            {sender, receiver, dropped}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if dropped in done:
            # Too far behind: close so the device reconnects and gets the full state.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(code=CLOSE_TRY_AGAIN), timeout=1)
    finally:
        board.hub.leave(meeting_id, subscriber)


async def _send(websocket: WebSocket, subscriber: Subscriber) -> None:
    while True:
        message = await subscriber.outbox.get()
        await websocket.send_text(message)


async def _drain(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
