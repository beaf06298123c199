"""Read a multipart/form-data upload from the request stream: one file, a few small fields.

The file's bytes go to disk chunk by chunk as they arrive (hashed and checked on the way)
and the size limit is enforced while streaming, so an oversized upload is refused after
at most the limit has been read, never after buffering it all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from board.actions.errors import ActionError, BadRequest, TooLarge
from board.blobs import MIB, TOO_LARGE, BlobStore, Incoming, claimed_type, clean_filename

FIELD_MAX = 8 * 1024
FIELDS_MAX = 16
# Room for the small fields and the multipart framing around the file.
OVERHEAD = 64 * 1024


@dataclass(slots=True)
class Received:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str = ""
    media_type: str = ""
    size: int = 0
    sha256: str = ""
    # The bytes, not yet at their address: the caller puts them there or deletes them.
    temporary: Path | None = None


@dataclass(slots=True)
class _Part:
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    name: str = ""
    data: bytearray = field(default_factory=bytearray)
    incoming: Incoming | None = None


class _Reader:
    def __init__(self, store: BlobStore, limit: int) -> None:
        self.store = store
        self.limit = limit
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.result = Received()
        self.incoming: Incoming | None = None
        self.pending: list[bytes] = []

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers.append((self.header_name.lower(), self.header_value))
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        headers = dict(self.part.headers)
        _, options = parse_options_header(headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise BadRequest("malformed upload: a part has no name")
        self.part.name = options[b"name"].decode("utf-8", errors="replace")
        if b"filename" not in options:
            if len(self.result.fields) >= FIELDS_MAX:
                raise BadRequest("malformed upload: too many fields")
            return
        if self.incoming is not None:
            raise BadRequest("send one file per upload")
        filename = clean_filename(options[b"filename"].decode("utf-8", errors="replace"))
        declared = headers.get(b"content-type", b"").decode("latin-1")
        media_type = claimed_type(filename, declared)
        self.incoming = self.part.incoming = self.store.receive(filename, media_type, self.limit)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        incoming = self.part.incoming
        if incoming is None:
            if len(self.part.data) + end - start > FIELD_MAX:
                raise BadRequest("malformed upload: a field is too long")
            self.part.data += data[start:end]
            return
        incoming.count(end - start)
        self.pending.append(data[start:end])

    def on_part_end(self) -> None:
        if self.part.incoming is None:
            self.result.fields[self.part.name] = self.part.data.decode("utf-8", errors="replace")


def boundary_of(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise BadRequest("send the file as multipart/form-data")
    return options[b"boundary"]


async def receive(request: Request, store: BlobStore, limit: int, *, drain: int = 0) -> Received:
    """Stream the upload to the store; the file field may come before or after the others.

    When the upload is refused part-way, up to ``drain`` more bytes are read and thrown
    away, so a browser posting a form gets the explanation rather than a reset connection.
    """
    boundary = boundary_of(request)
    declared = request.headers.get("content-length", "")
    stream = request.stream()
    if declared.isdigit() and int(declared) > limit + OVERHEAD:
        if int(declared) <= drain:
            await _discard(stream, drain)
        raise TooLarge(TOO_LARGE, limit=limit // MIB)
    reader = _Reader(store, limit)
    callbacks = {
        name: getattr(reader, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
        )
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        try:
            async for chunk in stream:
                try:
                    parser.write(chunk)
                except FormParserError:
                    raise BadRequest("malformed upload: not valid multipart/form-data") from None
                if reader.incoming is not None:
                    for data in reader.pending:
                        await reader.incoming.write(data)
                reader.pending.clear()
        except ActionError:
            await _discard(stream, drain)
            raise
        parser.finalize()
        if reader.incoming is None:
            raise BadRequest("the upload has no file")
        result = reader.result
        result.sha256, result.temporary = await reader.incoming.finish()
        result.filename = reader.incoming.filename
        result.media_type = reader.incoming.media_type
        result.size = reader.incoming.size
        return result
    except BaseException:
        if reader.incoming is not None:
            reader.incoming.discard()  # quick, and must happen even when cancelled
        raise


async def _discard(stream: AsyncIterator[bytes], limit: int) -> None:
    """Read the rest of a refused request body without keeping it, up to ``limit`` bytes."""
    read = 0
    async for chunk in stream:
        read += len(chunk)
        if read > limit:
            return
