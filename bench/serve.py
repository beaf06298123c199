"""The servers under test, one per process: the board and the two baselines.

    python -m bench.serve board --port P --db PATH|URL [--deflate]
    python -m bench.serve b0 --port P --message FILE --full FILE
    python -m bench.serve b2 --port P --message FILE --full FILE

Every server answers ``GET /__bench/lag[?reset=1]`` with its event-loop lag. The board is
the real app under run.py's uvicorn settings, wrapped only to answer that path. B0 is a
bare ``websockets`` server that broadcasts with ``websockets.broadcast`` (compression
off); B2 is a minimal Starlette endpoint that sends the same string to each client in a
loop, under the board's uvicorn settings. Both baselines send the board's own recorded
message (its ``data-seq`` replaced), so every system moves the same bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import re
import resource
import signal
import sys
import time
from collections.abc import Awaitable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bench.stats import LagMonitor, new_loop

SEQ = re.compile(r'data-seq="\d+"')
LAG_PATH = "/__bench/lag"

Scope = dict[str, Any]


def raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def pin(cpu: int | None) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


class Messages:
    """The board's recorded push, re-stamped with the sequence number of each event."""

    def __init__(self, message: Path, full: Path) -> None:
        self.template = message.read_text(encoding="utf-8")
        # The full state predates every event of the run.
        self.full = SEQ.sub('data-seq="0"', full.read_text(encoding="utf-8"))

    def for_seq(self, seq: int) -> str:
        return SEQ.sub(f'data-seq="{seq}"', self.template)


class Probe:
    """ASGI wrapper: answers the bench's lag query, passes everything else through."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.monitor = LagMonitor()

    def __call__(self, scope: Scope, receive: Any, send: Any) -> Awaitable[None]:
        # A plain function: the wrapper keeps no frame alive per open connection, so it
        # adds nothing to the RSS per connection it helps measure.
        self.monitor.start()
        if scope["type"] == "http" and scope["path"] == LAG_PATH:
            return self._lag(scope, send)
        result: Awaitable[None] = self.app(scope, receive, send)
        return result

    async def _lag(self, scope: Scope, send: Any) -> None:
        reset = b"reset=1" in scope.get("query_string", b"")
        body = json.dumps(self.monitor.report(reset=reset)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def board_options() -> dict[str, Any]:
    """run.py's uvicorn settings (a checkout older than the benchmark has them inline)."""
    try:
        from run import SERVER_OPTIONS
    except ImportError:
        from board.config import WS_MAX_MESSAGE

        return {
            "ws": "websockets-sansio",
            "ws_max_size": WS_MAX_MESSAGE,
            "ws_per_message_deflate": False,
            "lifespan": "on",
            "proxy_headers": False,
        }
    return dict(SERVER_OPTIONS)


def serve_board(args: argparse.Namespace) -> None:
    import uvicorn

    from board.app import create_app
    from board.config import Settings

    options = board_options()
    if args.deflate:
        options["ws_per_message_deflate"] = True
    # A URL stays a string (a Path would fold its "//"); a file is a Path, as an older
    # checkout's settings (--board) expect.
    target = args.db if args.db.startswith(("postgresql://", "postgres://")) else Path(args.db)
    app = create_app(Settings.from_env(db_path=target))
    # The probe's __call__ is a plain function: tell uvicorn it is an ASGI 3 app anyway.
    uvicorn.run(
        Probe(app),
        host=args.host,
        port=args.port,
        log_level="warning",
        interface="asgi3",
        **options,
    )


def b2_app(messages: Messages) -> Any:
    """B2: the least an ASGI WebSocket endpoint can do to fan out a message."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket

    rooms: dict[str, set[WebSocket]] = {}

    async def live(websocket: WebSocket) -> None:
        room = rooms.setdefault(websocket.path_params["room"], set())
        await websocket.accept()
        room.add(websocket)
        try:
            await websocket.send_text(messages.full)
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass
        finally:
            room.discard(websocket)

    async def trigger(request: Request) -> PlainTextResponse:
        message = messages.for_seq(int(request.query_params["seq"]))
        for websocket in list(rooms.get(request.path_params["room"], ())):
            try:
                await websocket.send_text(message)
            except Exception:  # a client that left mid-loop
                rooms[request.path_params["room"]].discard(websocket)
        return PlainTextResponse("ok\n")

    async def healthz(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok\n")

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/rooms/{room}/trigger", trigger, methods=["POST"]),
            WebSocketRoute("/rooms/{room}/live", live),
        ]
    )


def serve_b2(args: argparse.Namespace) -> None:
    import uvicorn

    app = Probe(b2_app(Messages(args.message, args.full)))
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        interface="asgi3",
        **board_options(),
    )


async def b0_main(args: argparse.Namespace) -> None:
    """B0: a bare websockets server; ``websockets.broadcast`` frames once per client."""
    from websockets.asyncio.server import ServerConnection, broadcast, serve
    from websockets.http11 import Request, Response

    from board.config import WS_MAX_MESSAGE

    messages = Messages(args.message, args.full)
    monitor = LagMonitor()
    monitor.start()
    rooms: dict[str, set[ServerConnection]] = {}

    def respond(connection: ServerConnection, body: str, kind: str) -> Response:
        response = connection.respond(HTTPStatus.OK, body)
        response.headers["Content-Type"] = kind
        return response

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        path, _, query = request.path.partition("?")
        if path == LAG_PATH:
            report = monitor.report(reset="reset=1" in query)
            return respond(connection, json.dumps(report), "application/json")
        if path == "/healthz":
            return respond(connection, "ok\n", "text/plain")
        if path.endswith("/trigger"):
            room = path.split("/")[2]
            seq = int(parse_qs(query)["seq"][0])
            broadcast(rooms.get(room, set()), messages.for_seq(seq))
            return respond(connection, "ok\n", "text/plain")
        return None

    async def handler(connection: ServerConnection) -> None:
        assert connection.request is not None
        room = rooms.setdefault(connection.request.path.split("/")[2], set())
        room.add(connection)
        try:
            await connection.send(messages.full)
            await connection.wait_closed()
        finally:
            room.discard(connection)

    async with serve(
        handler,
        args.host,
        args.port,
        process_request=process_request,
        compression=None,
        max_size=WS_MAX_MESSAGE,
        ping_interval=20,
        ping_timeout=20,
        backlog=2048,
    ) as server:
        await server.serve_forever()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("system", choices=["board", "b0", "b2"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", help="the board's store: a SQLite file or a postgresql:// URL")
    parser.add_argument("--message", type=Path, help="a recorded push (baselines)")
    parser.add_argument("--full", type=Path, help="a recorded full state (baselines)")
    parser.add_argument("--deflate", action="store_true", help="board with permessage-deflate")
    parser.add_argument("--cpu", type=int, help="pin the process to this CPU")
    parser.add_argument("--profile", type=Path, help="write a cProfile (CPU time) here")
    parser.add_argument("--board", type=Path, help="import the board from this checkout")
    return parser.parse_args()


def serve(args: argparse.Namespace) -> None:
    if args.system == "board":
        serve_board(args)
    elif args.system == "b2":
        serve_b2(args)
    else:
        with asyncio.Runner(loop_factory=new_loop) as runner:
            runner.run(b0_main(args))


def main() -> None:
    args = parse_args()
    if args.board is not None:  # serve the board of another checkout (before / after)
        sys.path.insert(0, str(args.board.resolve()))
    raise_file_limit()
    pin(args.cpu)
    if args.profile is None:
        serve(args)
        return
    # uvicorn re-raises the SIGTERM that stopped it once it has shut down: end by
    # SystemExit instead, so that the profile is written.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    # CPU time, not wall time: a busy machine must not shift the profile.
    profiler = cProfile.Profile(time.process_time)
    try:
        profiler.runcall(serve, args)
    finally:
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
