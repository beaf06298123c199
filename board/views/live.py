"""The push channel of the live room: one WebSocket per page.

On connect the device receives the full current state at once; after that, every change
arrives as the same partials, marked for out-of-band swap. Nothing is read from the
device except its close.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from board import auth
from board.actions.errors import ActionError
from board.live.hub import Subscriber
from board.models import MeetingStatus, Person, Role
from board.render import Audience
from board.store import meetings
from board.views.base import board_of, lang_of
from board.views.meeting import VIEW_OF_ROLE, may_see, meeting_in_body

CLOSE_POLICY = 1008
SERVER_SEND = "board.server_send"


class ServerSend:
    """ASGI middleware, outermost: keeps the server's own ``send`` of a WebSocket in its
    scope. The hub sends each push through it, skipping the per-message layers of the
    other middleware and of Starlette's WebSocket, which do nothing for a text frame;
    with thousands of devices per push that is a measurable share (README, Benchmarks).
    Everything else, the handshake and the close included, goes the usual way."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A plain function: no frame of its own stays suspended for each open connection.
        if scope["type"] == "websocket":
            scope[SERVER_SEND] = send
        return self.app(scope, receive, send)


async def _mark_present(websocket: WebSocket, person: Person, meeting_id: int) -> None:
    board = board_of(websocket)
    # Read first: a wave of reconnecting devices of people already present writes nothing.
    if await board.db.run_read(meetings.is_present, meeting_id, person.id):
        return
    # Adjourned or access taken away meanwhile: nothing to record.
    with contextlib.suppress(ActionError):
        await board.act(person, "attendance.mark", {}, meeting_id=meeting_id)


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
    # Taken before the credentials are read: a revocation that commits after that read
    # still keeps this device out (Hub.admit).
    since = board.hub.revocations
    try:
        meeting, person = await board.db.run_lookup(
            meeting_in_body, auth.Credentials.of(websocket), meeting_id
        )
    except ActionError:  # no such meeting, nobody signed in, another body
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
    send = websocket.scope.get(SERVER_SEND, websocket.send)
    subscriber = Subscriber(Audience(view, lang_of(websocket)), person.id, send)
    await websocket.accept()
    refused = board.hub.admit(subscriber, since)
    if refused is not None:
        await websocket.close(code=refused)
        return
    try:
        # In the same step as admit: the hub counts this device before anything else runs.
        if not await board.hub.join(meeting_id, subscriber, meeting.seq):
            await websocket.close(code=CLOSE_POLICY)
            return
        if view != "projector" and meeting.status is MeetingStatus.LIVE:
            # A live connection is presence too (a device that reconnects mid-meeting).
            await _mark_present(websocket, person, meeting_id)
        # The hub sends; this task only waits for the device to leave.
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        board.hub.leave(meeting_id, subscriber)
