"""Serve the meeting board: python run.py [--host H] [--port P] [--db PATH] [--demo]."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
from typing import Any

import uvicorn

from board import serving, timeutil
from board.app import create_app
from board.config import HANDSHAKE_TIMEOUT, WS_MAX_MESSAGE, Settings
from board.store import people
from board.store.db import open_store

# The uvicorn settings of the board; the benchmarks serve their baselines with the same.
SERVER_OPTIONS: dict[str, Any] = {
    "ws": "websockets-sansio",
    "ws_max_size": WS_MAX_MESSAGE,
    # Off by design: fragments are small, and deflate costs tens of KiB of zlib state per
    # connection (measured: see README, "Benchmarks").
    "ws_per_message_deflate": False,
    "lifespan": "on",
    "proxy_headers": False,
    # A new connection must send its first request head (or WebSocket handshake) within
    # this: uvicorn has no such timeout of its own (board/serving.py).
    "http": serving.with_deadline(HANDSHAKE_TIMEOUT),
    # An open WebSocket that stops answering pings is closed (uvicorn's defaults, stated).
    "ws_ping_interval": 20.0,
    "ws_ping_timeout": 20.0,
    # Idle keep-alive connections close after this (uvicorn's default, stated).
    "timeout_keep_alive": 5,
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="The meeting board")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--db",
        help="a SQLite file or a postgresql:// URL (default: $BOARD_DB or data/board.db)",
    )
    parser.add_argument("--demo", action="store_true", help="seed a demo meeting and print links")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes on this port (more than one needs a postgresql:// store)",
    )
    parser.add_argument("--log-level", default="info")
    return parser.parse_args()


async def prepare(settings: Settings, demo: bool, base: str) -> None:
    """Create and migrate the database; seed the demo or print the one-time setup link."""
    from board.demo import seed

    timeutil.configure(settings.clock())
    db = open_store(settings.db, synchronous=settings.synchronous, readers=1, pool_size=2)
    await db.open()
    try:
        if demo:
            links = await seed(db, files_dir=settings.files_dir)
            print("Demo meeting ready. Sign-in links (one per role shown; all are personal):")
            for role in ("chair", "secretariat", "member", "observer"):
                name, token = links[role][0]
                print(f"  {role:<12} {name}: {base}/join/{token}", flush=True)
            return
        async with db.write() as conn:
            if await people.is_empty(conn):
                token = secrets.token_urlsafe(32)
                await people.add_setup_token(conn, token)
                print(
                    f"First run: open this one-time setup link to create the first body "
                    f"and secretariat account:\n  {base}/setup/{token}",
                    flush=True,
                )
    finally:
        await db.close()


def main() -> None:
    args = parse_args()
    try:
        settings = Settings.from_env(db_path=args.db)
    except ValueError as error:
        raise SystemExit(f"board: {error}") from None
    base = settings.base_url or f"http://{args.host}:{args.port}"
    if args.workers > 1 and not settings.shared_store:
        raise SystemExit(
            "--workers needs the PostgreSQL store: several processes cannot share one SQLite "
            "writer. Use --db postgresql://HOST:5432/NAME (see README, Scale out)."
        )
    asyncio.run(prepare(settings, args.demo, base.rstrip("/")))
    if args.workers > 1:
        # Each worker builds its own app (and its protocol) from the environment: hand it
        # the flags there.
        os.environ["BOARD_DB"] = settings.db
        os.environ["BOARD_HANDSHAKE_TIMEOUT"] = str(settings.handshake_timeout)
        uvicorn.run(
            "board.app:create_app",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            **{**SERVER_OPTIONS, "http": "board.serving:HeadDeadlineProtocol"},
        )
        return
    options = {**SERVER_OPTIONS, "http": serving.with_deadline(settings.handshake_timeout)}
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        **options,
    )


if __name__ == "__main__":
    main()
