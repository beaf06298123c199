"""A minimal WebSocket device and HTTP/1.1 client for the load generator.

A full client library spends tens of microseconds of CPU on every frame it receives; with
thousands of devices the generator would end up measuring itself. These protocols do only
what the bench needs, on the event loop's own callbacks: the opening handshake, unmasked
server frames (text, continuation, ping, close), and a timestamp per message.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import re
import socket
import time
import zlib
from typing import cast

SEQ = re.compile(rb'data-seq="(\d+)"')
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10
SMALL_BUFFER = 4096  # receive buffer of a device that stops reading
ETHERNET_MSS = 1460


def _masked_frame(opcode: int, payload: bytes) -> bytes:
    """A client frame (RFC 6455 requires clients to mask); control frames are small."""
    mask = os.urandom(4)
    body = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


class Device(asyncio.Protocol):
    """One device's live connection; records (seq, receipt time) for every message."""

    def __init__(self, index: int, host: str, port: int, path: str, token: str | None) -> None:
        self.index = index
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        self.deflate = False
        self.handshake = lines
        self.host, self.port = host, port
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.open = False
        self.failure: str | None = None
        self.close_code: int | None = None
        self.fragments: list[bytes] = []
        self.compressed = False
        self.inflater: zlib._Decompress | None = None
        self.seqs: list[int] = []
        self.unsequenced = 0  # messages that carry no seq (a person's own state)
        self.times: list[float] = []
        self.sizes: list[int] = []
        self.wire_bytes = 0
        self.keep: list[bytes] | None = None  # the messages themselves, when asked
        self.started = 0.0
        self.first = asyncio.get_running_loop().create_future()
        self.lost = asyncio.get_running_loop().create_future()
        self.stalled = False

    def ask_deflate(self) -> None:
        self.handshake.append("Sec-WebSocket-Extensions: permessage-deflate")

    async def connect(self, small_buffer: bool = False) -> None:
        loop = asyncio.get_running_loop()
        self.started = time.perf_counter()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if small_buffer:
            # Before connect: a small window, and the segment size of a real network
            # (loopback's 64 KiB segments would let the server's kernel buffer ~1 MiB).
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_BUFFER)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, ETHERNET_MSS)
        try:
            await loop.sock_connect(sock, (self.host, self.port))
            await loop.create_connection(lambda: self, sock=sock)
        except OSError as error:
            sock.close()
            self.failure = f"connect: {error}"
            if not self.first.done():
                self.first.set_result(False)

    # -- asyncio.Protocol ------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport, but they are one.
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(("\r\n".join(self.handshake) + "\r\n\r\n").encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.first.done():
            self.failure = self.failure or f"lost before the first message ({exc})"
            self.first.set_result(False)
        if not self.lost.done():
            self.lost.set_result(None)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.wire_bytes += len(data)
        buffer = self.buffer
        buffer += data
        if not self.open and not self._read_handshake():
            return
        while True:
            size = len(buffer)
            if size < 2:
                return
            head, second = buffer[0], buffer[1]
            length, start = second & 0x7F, 2
            if length == 126:
                if size < 4:
                    return
                length, start = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if size < 10:
                    return
                length, start = int.from_bytes(buffer[2:10], "big"), 10
            if size < start + length:
                return
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            self._frame(head, payload, now)

    # -- frames ------------------------------------------------------------------------
    def _read_handshake(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end])
        del self.buffer[: end + 4]
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            self.failure = status.decode(errors="replace")
            assert self.transport is not None
            self.transport.close()
            return False
        self.open = True
        if b"permessage-deflate" in head.lower():
            self.deflate = True
            self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        return True

    def _frame(self, head: int, payload: bytes, now: float) -> None:
        opcode = head & 0x0F
        if opcode in (OP_TEXT, OP_BINARY, OP_CONTINUATION):
            if opcode != OP_CONTINUATION:
                self.compressed = bool(head & 0x40)
            self.fragments.append(payload)
            if head & 0x80:
                message = b"".join(self.fragments)
                self.fragments.clear()
                if self.compressed and self.inflater is not None:
                    message = self.inflater.decompress(message + b"\x00\x00\xff\xff")
                self._message(message, now)
        elif opcode == OP_PING:
            self._send(OP_PONG, payload)
        elif opcode == OP_CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            self._send(OP_CLOSE, payload[:2])
            assert self.transport is not None
            self.transport.close()

    def _message(self, message: bytes, now: float) -> None:
        match = SEQ.search(message, 0, 8192)
        if match is None:  # the person's own state (#mine), not a push of the room
            self.unsequenced += 1
            return
        self.seqs.append(int(match.group(1)))
        self.times.append(now)
        self.sizes.append(len(message))
        if self.keep is not None:
            self.keep.append(message)
        if not self.first.done():
            self.first.set_result(True)

    def _send(self, opcode: int, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_masked_frame(opcode, payload))

    # -- control ----------------------------------------------------------------------
    def stall(self) -> None:
        """Stop reading, as a device whose app froze: the server's sends back up."""
        self.stalled = True
        if self.transport is not None:
            self.transport.pause_reading()

    def resume(self) -> None:
        self.stalled = False
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self._send(OP_CLOSE, (1000).to_bytes(2, "big"))
            self.transport.close()


class HttpError(Exception):
    pass


class Http:
    """One keep-alive HTTP/1.1 connection, one request at a time; reopened when the
    server has closed it (uvicorn drops idle keep-alive connections after 5 s)."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.host, self.port = host, port
        self.auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.lock = asyncio.Lock()

    async def request(
        self, method: str, path: str, body: bytes = b"", *, started: list[float] | None = None
    ) -> tuple[int, bytes]:
        """Send one request; ``started`` receives the time the request was written."""
        async with self.lock:
            reused = self.writer is not None
            try:
                return await self._exchange(method, path, body, started)
            except HttpError:
                if not reused:
                    raise
            # The server closed the idle connection before reading anything: send again.
            return await self._exchange(method, path, body, started)

    async def _exchange(
        self, method: str, path: str, body: bytes, started: list[float] | None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        if started is not None:
            started.append(time.perf_counter())
        try:
            self.writer.write(head.encode() + body)
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            await self.close()
            raise HttpError(f"{method} {path}: {error}") from None
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None
