"""The adapter to uvicorn's HTTP protocol: a deadline for a connection's first request.

uvicorn 0.54 has no timeout for a request head that never completes: its keep-alive timer
starts only after a response, so a client that opens connections and sends a few bytes
(or none) holds each for as long as it likes. This protocol closes a connection whose
first request head (an HTTP request or a WebSocket handshake) has not arrived within the
deadline. It reads two internals of uvicorn's protocols, ``cycle`` (None until a request
head has been parsed) and ``transport``; where they are missing (another uvicorn), it
sets no deadline and the server behaves as uvicorn's own (``knows_requests`` says which).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

HANDSHAKE_TIMEOUT = 10.0  # seconds (BOARD_HANDSHAKE_TIMEOUT)
_MISSING = object()


def knows_requests(protocol: Any) -> bool:
    """Whether this uvicorn protocol shows whether a request head has been parsed."""
    return getattr(protocol, "cycle", _MISSING) is None and hasattr(protocol, "transport")


def with_deadline(seconds: float) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (httptools or h11), closing a connection that has sent no
    complete request head within ``seconds``."""
    base: Any = AutoHTTPProtocol

    class HeadDeadline(base):  # type: ignore[misc]
        deadline = seconds

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            self._deadline: asyncio.TimerHandle | None = None
            if knows_requests(self):
                loop = asyncio.get_running_loop()
                self._deadline = loop.call_later(self.deadline, self._deadline_passed)

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            super().connection_lost(exc)

        def _deadline_passed(self) -> None:
            self._deadline = None
            transport = self.transport
            if transport.is_closing() or transport.get_protocol() is not self:
                return  # closed already, or upgraded to a WebSocket
            if self.cycle is None:  # no request head yet
                transport.close()

    HeadDeadline.__name__ = f"HeadDeadline{base.__name__}"
    return HeadDeadline


def _from_environment() -> type[asyncio.Protocol]:
    try:
        seconds = float(os.environ.get("BOARD_HANDSHAKE_TIMEOUT") or HANDSHAKE_TIMEOUT)
    except ValueError:
        seconds = HANDSHAKE_TIMEOUT
    return with_deadline(seconds)


# For `run.py --workers N`: each worker process imports its protocol by name
# ("board.serving:HeadDeadlineProtocol"), with the deadline from its environment.
HeadDeadlineProtocol = _from_environment()
