"""Settings from flags and the environment. Every setting is documented in README."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MAX_JSON_BYTES = 64 * 1024
MAX_FORM_BYTES = 64 * 1024
WS_MAX_MESSAGE = 16 * 1024
UPLOAD_LIMIT_MB = 50


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path = Path("data/board.db")
    data_dir: Path | None = None
    secret: str | None = None
    secure_cookies: bool = False
    base_url: str | None = None
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    synchronous: str = "NORMAL"
    readers: int = 2
    max_upload_bytes: int = UPLOAD_LIMIT_MB * 1024 * 1024

    @property
    def files_dir(self) -> Path:
        return self.data_dir or self.db_path.parent / "files"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if environ is None else environ)
        upload_mb = int(env.get("BOARD_MAX_UPLOAD_MB", str(UPLOAD_LIMIT_MB)))
        if upload_mb < 1:
            raise ValueError("BOARD_MAX_UPLOAD_MB must be at least 1")
        values: dict[str, object] = {
            "db_path": Path(env.get("BOARD_DB", "data/board.db")),
            "data_dir": Path(env["BOARD_DATA_DIR"]) if env.get("BOARD_DATA_DIR") else None,
            "secret": env.get("BOARD_SECRET") or None,
            "secure_cookies": _flag(env.get("BOARD_SECURE_COOKIES")),
            "base_url": env.get("BOARD_BASE_URL") or None,
            "allowed_origins": tuple(
                origin.strip().rstrip("/")
                for origin in env.get("BOARD_ALLOWED_ORIGINS", "").split(",")
                if origin.strip()
            ),
            "synchronous": env.get("BOARD_SQLITE_SYNCHRONOUS", "NORMAL").upper(),
            "readers": int(env.get("BOARD_DB_READERS", "2")),
            "max_upload_bytes": upload_mb * 1024 * 1024,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        if values["synchronous"] not in {"NORMAL", "FULL", "EXTRA"}:
            raise ValueError("BOARD_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA")
        return cls(**values)  # type: ignore[arg-type]
