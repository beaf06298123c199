"""Index again the texts written before migration 009 (their normalised form was empty):
``python -m board.store.search_reindex --db board.db`` (or a ``postgresql://`` URL)."""

from __future__ import annotations

import argparse
import asyncio

from board.store import search
from board.store.db import open_store


async def reindex(target: str) -> int:
    db = open_store(target)
    await db.open()
    try:
        async with db.write() as conn:
            return await search.reindex(conn)
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="the SQLite file or PostgreSQL URL")
    done = asyncio.run(reindex(parser.parse_args().db))
    print(f"indexed {done} texts")


if __name__ == "__main__":
    main()
