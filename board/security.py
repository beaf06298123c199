"""Headers every response carries, and the same-origin rule for state-changing requests."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "object-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # Sign-in links carry a token in the path: never send it to another site. Not
    # "no-referrer": under it browsers send "Origin: null" with a plain form post, which
    # the same-origin check below must refuse (uploads and other non-htmx forms).
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, allowed_origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.allowed_origins = allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] not in SAFE_METHODS and not self._same_origin(scope, headers):
            body = json.dumps(
                {"error": "forbidden", "message": "cross-site request refused"}
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in response_headers:
                        response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _same_origin(self, scope: Scope, headers: Headers) -> bool:
        """An origin is scheme, host and port: ``http://board`` is not ``https://board`` (a
        page served over plain HTTP must not post to the TLS site, nor the other way)."""
        origin = headers.get("origin")
        if origin is None:
            return True
        if origin.rstrip("/").lower() in self.allowed_origins:
            return True
        parts = urlsplit(origin)
        own_scheme = str(scope.get("scheme", "http")).lower()
        return (
            parts.scheme.lower() == own_scheme
            and parts.netloc.lower() == headers.get("host", "").lower()
        )


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased, as browsers send it in ``Origin``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def session_secret(explicit: str | None, folder: Path | None) -> str:
    """The key that signs session cookies: from settings, or kept in a file beside the
    database so sessions survive a restart (a shared store needs it set: ``folder`` is
    None there, and Settings refuses to start without it)."""
    if explicit:
        return explicit
    if folder is None:
        raise ValueError("BOARD_SECRET must be set for a shared store")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "session-secret"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    secret = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret)
    return secret
