"""Sign-in tokens never reach a log line.

Personal links (``/join/<token>``) and the setup link (``/setup/<token>``) carry their
secret in the path, and uvicorn logs request paths (the access log, and WebSocket lines on
its error logger). A filter on those loggers replaces the token with ``[redacted]`` in the
record before any handler formats it, whatever launched the app.
"""

from __future__ import annotations

import logging
import re

# The loggers that write request paths: uvicorn's access log and its error log (which
# carries the WebSocket handshake lines).
PATH_LOGGERS = ("uvicorn.access", "uvicorn.error")
SECRET_PATH = re.compile(r"(/(?:join|setup)/)[^\s\"'?#]*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return SECRET_PATH.sub(rf"\g<1>{REDACTED}", text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message and arguments without the tokens; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: redact(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        return True


def redact_tokens() -> None:
    """Install the filter on the loggers that write paths (once; idempotent)."""
    for name in PATH_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(each, RedactTokens) for each in logger.filters):
            logger.addFilter(RedactTokens())
