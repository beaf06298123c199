"""The only code that speaks SQL."""

from board.store.db import Conn, Database

__all__ = ["Conn", "Database"]
