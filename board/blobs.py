"""Uploaded files: stored once by their SHA-256 under the files directory, and checked
from their first bytes to be what their name and declared type say.

Writing happens in a worker thread, a chunk at a time, so a large upload neither blocks
the event loop nor sits in memory.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import BinaryIO, NoReturn

import anyio.to_thread

from board.actions.errors import Invalid, TooLarge
from board.i18n import N_

MIB = 1024 * 1024
FILENAME_MAX = 200
HEAD_BYTES = 64

# What each accepted name ending claims; the media type is what the board serves.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".markdown": "text/markdown; charset=utf-8",
}
# Declared types (the part's Content-Type) that agree with each claim.
AGREEING = {
    "application/pdf": {"application/pdf", "application/x-pdf"},
    "image/png": {"image/png", "image/x-png"},
    "image/jpeg": {"image/jpeg", "image/jpg", "image/pjpeg"},
    "text/plain": {"text/plain"},
    "text/markdown": {"text/markdown", "text/x-markdown", "text/plain"},
}
UNSPECIFIC = {"", "application/octet-stream", "binary/octet-stream"}

NOT_ACCEPTED = N_(
    "“{filename}” cannot be attached: only PDF, PNG, JPEG, text (.txt) and Markdown (.md) "
    "files are accepted."
)
DECLARED_OTHERWISE = N_(
    "“{filename}” was refused: its name says {ending} but it was sent as {declared}."
)
EMPTY = N_("“{filename}” is empty.")
NOT_UTF8 = N_("“{filename}” was refused: it is not a text file in UTF-8.")
FOUND = {
    "executable": N_(
        "“{filename}” was refused: it is a program (executable), not what its name says."
    ),
    "html": N_("“{filename}” was refused: it is an HTML page or script, not what its name says."),
    "zip": N_(
        "“{filename}” was refused: it is a ZIP archive or an Office document, "
        "not what its name says."
    ),
    "pdf": N_("“{filename}” was refused: it is a PDF, not what its name says."),
    "png": N_("“{filename}” was refused: it is a PNG image, not what its name says."),
    "jpeg": N_("“{filename}” was refused: it is a JPEG image, not what its name says."),
}
MISMATCH = N_("“{filename}” was refused: its content is not what its name says.")
TOO_LARGE = N_("the file is too large: the limit is {limit} MB")

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"\xcf\xfa\xed\xfe", "executable"),
    (b"\xfe\xed\xfa\xcf", "executable"),
    (b"#!", "executable"),
    (b"PK\x03\x04", "zip"),
]
_MARKUP = re.compile(rb"^\s*<(!doctype\s+html|html|head|body|script|iframe|svg|\?xml)", re.I)
_EXPECTED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
}


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is, if they say anything."""
    start = head.removeprefix(codecs.BOM_UTF8)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if _MARKUP.match(start):
        return "html"
    return None


def clean_filename(raw: str) -> str:
    """The name as the person chose it (any script), without a path or control characters."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > FILENAME_MAX:
        stem, dot, ending = name.rpartition(".")
        name = stem[: FILENAME_MAX - len(ending) - 1] + dot + ending if dot else name[:FILENAME_MAX]
    return name or "file"


def claimed_type(filename: str, declared: str) -> str:
    """The media type a file claims by its name; refused when the name ending is not one
    the board accepts, or when the declared type says something else."""
    ending = os.path.splitext(filename)[1].lower()
    media_type = MEDIA_TYPES.get(ending)
    if media_type is None:
        raise Invalid(NOT_ACCEPTED, filename=filename)
    declared = declared.split(";")[0].strip().lower()
    essence = media_type.split(";")[0]
    if declared not in UNSPECIFIC and declared not in AGREEING[essence]:
        raise Invalid(DECLARED_OTHERWISE, filename=filename, ending=ending, declared=declared)
    return media_type


class Incoming:
    """One file being received: written to a temporary file while hashed, counted and
    checked; ``finish`` hands over the temporary file, to be put at its content address."""

    def __init__(self, store: BlobStore, filename: str, media_type: str, limit: int) -> None:
        self.store = store
        self.filename = filename
        self.media_type = media_type
        self.limit = limit
        self.size = 0
        self.sha256 = ""
        self._hash = hashlib.sha256()
        self._head = b""
        self._text = media_type.startswith("text/")
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._path: Path | None = None
        self._file: BinaryIO | None = None

    def count(self, size: int) -> None:
        """Called as bytes arrive, before they are kept: refuse as soon as the limit is passed."""
        self.size += size
        if self.size > self.limit:
            raise TooLarge(TOO_LARGE, limit=self.limit // MIB)

    async def write(self, data: bytes) -> None:
        await anyio.to_thread.run_sync(self._write, data)

    def _write(self, data: bytes) -> None:
        if self._file is None:
            self.store.temp_dir.mkdir(parents=True, exist_ok=True)
            self._path = self.store.temp_dir / secrets.token_hex(16)
            self._file = self._path.open("xb")
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
            self._check_head()
        if self._text:
            try:
                text = self._decoder.decode(data)
            except UnicodeDecodeError:
                self._refuse_text()
            if "\x00" in text:
                self._refuse_text()
        self._hash.update(data)
        self._file.write(data)

    def _check_head(self) -> None:
        found = sniff(self._head)
        expected = _EXPECTED.get(self.media_type)
        if expected is not None and len(self._head) >= min(HEAD_BYTES, 8):
            if found != expected:
                message = FOUND.get(found or "", MISMATCH)
                raise Invalid(message, filename=self.filename)
        elif self._text and found == "html":
            raise Invalid(FOUND[found], filename=self.filename)

    def _refuse_text(self) -> NoReturn:
        found = sniff(self._head)
        message = FOUND[found] if found is not None else NOT_UTF8
        raise Invalid(message, filename=self.filename)

    async def finish(self) -> tuple[str, Path]:
        """Finish the checks; return the SHA-256 and the temporary file holding the bytes.
        The caller puts it at its address (``BlobStore.put``) once it is to be kept."""
        await anyio.to_thread.run_sync(self._finish)
        assert self._path is not None
        return self.sha256, self._path

    def _finish(self) -> None:
        if self.size == 0 or self._file is None or self._path is None:
            raise Invalid(EMPTY, filename=self.filename)
        expected = _EXPECTED.get(self.media_type)
        if expected is not None and sniff(self._head) != expected:
            raise Invalid(MISMATCH, filename=self.filename)
        if self._text:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._refuse_text()
        self._file.close()
        self._file = None
        self.sha256 = self._hash.hexdigest()

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None


class BlobStore:
    """Files by content: ``root/ab/abcdef…`` (the first two hex digits, then the SHA-256)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def temp_dir(self) -> Path:
        return self.root / "tmp"

    def path(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def put(self, temporary: Path, sha256: str) -> None:
        """Move a finished temporary file to its address; the same bytes are kept once."""
        target = self.path(sha256)
        if target.exists():
            temporary.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)

    def forget(self, sha256: str) -> None:
        """Delete the bytes (once nothing refers to them)."""
        self.path(sha256).unlink(missing_ok=True)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    async def read_text(self, sha256: str, limit: int) -> str | None:
        """A text file's content for showing in the page; None when longer than ``limit``."""

        def read() -> str | None:
            with self.path(sha256).open("rb") as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                return None
            return data.decode("utf-8-sig", errors="replace")

        return await anyio.to_thread.run_sync(read)

    def receive(self, filename: str, media_type: str, limit: int) -> Incoming:
        return Incoming(self, filename, media_type, limit)
