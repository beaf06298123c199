"""PostgreSQL for the bench: databases of its own on a server it is given, made and dropped.

``--db postgresql://HOST:PORT/`` names a server, not a database: the bench seeds one database
per workload there (``bench_<pid>_<name>``), copies it for each run (``CREATE DATABASE ...
TEMPLATE``, the PostgreSQL twin of copying the seeded SQLite file) and drops them all at the
end. Without a user in the URL (and no ``PGUSER``) it connects as ``postgres``, the role a
Debian install trusts on loopback."""

from __future__ import annotations

import asyncio
import os
import re
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ADMIN_DATABASE = "postgres"  # exists on every server; used when the URL names no database
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class Server:
    """A PostgreSQL server the bench may create databases on."""

    def __init__(self, base: str, *, synchronous_commit: str = "on") -> None:
        parts = urlsplit(base)
        if synchronous_commit not in ("on", "off"):
            raise ValueError("synchronous_commit is on or off")
        # "off": a commit returns before its WAL reaches the disk (a crash of the machine
        # may lose the last ~0.2 s of commits, never corrupts): the durability of SQLite's
        # WAL with synchronous=NORMAL, which the board uses by default.
        self.synchronous_commit = synchronous_commit
        if parts.scheme not in ("postgresql", "postgres"):
            raise ValueError(f"--db must be a postgresql:// URL, not {base!r}")
        netloc = parts.netloc
        if "@" not in netloc and not os.environ.get("PGUSER"):
            netloc = f"postgres@{netloc}"
        self._parts = parts._replace(scheme="postgresql", netloc=netloc, query="", fragment="")
        self.admin_database = parts.path.strip("/") or ADMIN_DATABASE
        self.prefix = f"bench_{os.getpid()}_"
        self.made: set[str] = set()

    def url(self, name: str) -> str:
        return urlunsplit(self._parts._replace(path=f"/{name}"))

    def name(self, label: str) -> str:
        name = self.prefix + label.replace("-", "_").lower()
        if not _NAME.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
        return name

    async def _admin(self, *statements: str) -> None:
        connection = await asyncpg.connect(self.url(self.admin_database))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def create(self, name: str, template: str | None = None) -> str:
        """A new, empty (or copied) database; an earlier one of that name is dropped."""
        copy = f" TEMPLATE {template}" if template else ""
        asyncio.run(
            self._admin(
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                f"CREATE DATABASE {name}{copy}",
                f"ALTER DATABASE {name} SET synchronous_commit = {self.synchronous_commit}",
            )
        )
        self.made.add(name)
        return self.url(name)

    def drop(self, name: str) -> None:
        asyncio.run(self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self.made.discard(name)

    def drop_all(self) -> None:
        for name in sorted(self.made):
            self.drop(name)

    def check(self) -> None:
        """Fail early, with the URL, when the server cannot be reached."""
        try:
            asyncio.run(self._admin("SELECT 1"))
        except (OSError, asyncpg.PostgresError) as error:
            raise SystemExit(
                f"bench: cannot reach PostgreSQL at {self.url(self.admin_database)}: {error}"
            ) from None
