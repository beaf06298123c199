"""One push, framed once, written to many connections.

Through ASGI every connection encodes the same text to UTF-8 and frames it again: for a
push of a few KiB to a thousand devices that is most of the fan-out (README, Benchmarks).
A server-to-client WebSocket frame is the same bytes for every connection (it is not
masked, and permessage-deflate is off), so the hub frames each rendering once and, where
the server is uvicorn's websockets-sansio protocol and the connection is in the state in
which that protocol's own ``send`` would write the frame at once, writes those bytes to
the connection's transport itself. Anywhere else (another server, a connection paused by
flow control, closing, or negotiated with an extension) the push takes the ASGI path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from websockets.frames import Frame, Opcode
from websockets.protocol import Protocol, Side, State

Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]


class Push:
    """A rendering as the ASGI event and as the frame's bytes; shared by its audience."""

    __slots__ = ("data", "message")

    def __init__(self, html: str) -> None:
        self.message: Message = {"type": "websocket.send", "text": html}
        self.data = Frame(Opcode.TEXT, html.encode()).serialize(mask=False, extensions=[])


# The server protocol this knows (uvicorn 0.50-0.54, pinned in pyproject.toml) and the
# fields of it that a Wire reads, checked once per connection.
_PROTOCOL = "WebSocketsSansIOProtocol"
_PROTOCOL_FIELDS = ("conn", "transport", "writable", "disconnected", "close_sent")


class Wire:
    """Writes prepared frames straight to one connection while that is what the server's
    own ``send`` would do; otherwise says no, and the caller sends through ASGI."""

    __slots__ = ("conn", "protocol", "transport", "writable")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.conn: Protocol = protocol.conn
        self.transport = protocol.transport
        self.writable = protocol.writable

    @classmethod
    def of(cls, send: Send) -> Wire | None:
        """For the server's own ``send`` of a WebSocket (a bound method of its protocol):
        a Wire when that protocol is one this knows, else None."""
        protocol = getattr(send, "__self__", None)
        if protocol is None or type(protocol).__name__ != _PROTOCOL:
            return None
        if not all(hasattr(protocol, name) for name in _PROTOCOL_FIELDS):
            return None
        if not isinstance(protocol.conn, Protocol) or protocol.conn.side is not Side.SERVER:
            return None
        return cls(protocol)

    def write(self, push: Push) -> bool:
        """Write the frame now if the connection is open, not paused by flow control and
        sends plain frames (no extension, no fragmented message under way)."""
        conn = self.conn
        if (
            conn.state is not State.OPEN
            or conn.extensions
            or conn.expect_continuation_frame
            or not self.writable.is_set()
            or self.protocol.disconnected
            or self.protocol.close_sent
            or self.transport.is_closing()
        ):
            return False
        self.transport.write(push.data)
        return True
