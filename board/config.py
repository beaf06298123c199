"""Settings from flags and the environment. Every setting is documented in README."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from board.mail.settings import MailSettings
from board.timeutil import DEFAULT_ZONE, Clock

MAX_JSON_BYTES = 64 * 1024
MAX_FORM_BYTES = 64 * 1024
WS_MAX_MESSAGE = 16 * 1024
UPLOAD_LIMIT_MB = 50
MAX_SOCKETS_PER_PERSON = 10  # a tablet, a phone and a few tabs; per process
MAX_FAILED_SIGN_INS = 20  # per client address in board.limits.SIGN_IN_WINDOW; per process
HANDSHAKE_TIMEOUT = 10.0  # seconds for a new connection's first request head


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"BOARD_CLOCK_START must be an ISO 8601 time, not {value!r}") from error


def _at_least_one(env: dict[str, str], name: str, default: int) -> int:
    value = int(env.get(name) or default)
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "data/board.db"  # a SQLite file, or a postgresql:// URL
    data_dir: Path | None = None
    secret: str | None = None
    secure_cookies: bool = False
    base_url: str | None = None
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    synchronous: str = "NORMAL"
    readers: int = 2
    pool_size: int = 10
    synchronous_commit: str = "on"
    max_upload_bytes: int = UPLOAD_LIMIT_MB * 1024 * 1024
    timezone: str = DEFAULT_ZONE
    clock_start: datetime | None = None
    max_sockets_per_person: int = MAX_SOCKETS_PER_PERSON
    max_failed_sign_ins: int = MAX_FAILED_SIGN_INS
    handshake_timeout: float = HANDSHAKE_TIMEOUT
    mail: MailSettings | None = None  # BOARD_SMTP_*: None sends no e-mail

    def clock(self) -> Clock:
        """The board's clock: its zone, and a fixed starting moment when one is set."""
        return Clock.of(self.timezone, self.clock_start)

    @property
    def shared_store(self) -> bool:
        """The store is PostgreSQL: several processes (and hosts) may serve one board."""
        return self.db.startswith(("postgresql://", "postgres://"))

    @property
    def db_path(self) -> Path:
        """The SQLite file (only for the embedded store)."""
        if self.shared_store:
            raise ValueError("the store is PostgreSQL, not a file")
        return Path(self.db)

    @property
    def files_dir(self) -> Path:
        """Uploaded files: beside the SQLite file, or data/files for PostgreSQL (every
        process must see the same folder: on several hosts, a shared mount)."""
        if self.data_dir is not None:
            return self.data_dir
        return Path("data/files") if self.shared_store else self.db_path.parent / "files"

    @property
    def secret_dir(self) -> Path | None:
        """Where a generated signing key may be kept (never for a shared store)."""
        return None if self.shared_store else self.db_path.parent

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if environ is None else environ)
        upload_mb = int(env.get("BOARD_MAX_UPLOAD_MB", str(UPLOAD_LIMIT_MB)))
        if upload_mb < 1:
            raise ValueError("BOARD_MAX_UPLOAD_MB must be at least 1")
        values: dict[str, object] = {
            "db": env.get("BOARD_DB", "data/board.db"),
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
            "pool_size": int(env.get("BOARD_DB_POOL", "10")),
            "synchronous_commit": env.get("BOARD_PG_SYNCHRONOUS_COMMIT", "on").lower(),
            "max_upload_bytes": upload_mb * 1024 * 1024,
            "timezone": env.get("BOARD_TIMEZONE") or DEFAULT_ZONE,
            "clock_start": _moment(env.get("BOARD_CLOCK_START")),
            "max_sockets_per_person": _at_least_one(
                env, "BOARD_MAX_SOCKETS_PER_PERSON", MAX_SOCKETS_PER_PERSON
            ),
            "max_failed_sign_ins": _at_least_one(
                env, "BOARD_MAX_FAILED_SIGN_INS", MAX_FAILED_SIGN_INS
            ),
            "handshake_timeout": float(env.get("BOARD_HANDSHAKE_TIMEOUT") or HANDSHAKE_TIMEOUT),
            "mail": MailSettings.from_env(env),
        }
        if "db_path" in overrides:  # a path or URL given as --db
            overrides = dict(overrides)
            target = overrides.pop("db_path")
            if target is not None:
                overrides["db"] = str(target)
        values.update({key: value for key, value in overrides.items() if value is not None})
        if not 0 < float(str(values["handshake_timeout"])) <= 3600:
            raise ValueError("BOARD_HANDSHAKE_TIMEOUT must be between 0 and 3600 seconds")
        if values["synchronous_commit"] not in {"on", "off"}:
            raise ValueError("BOARD_PG_SYNCHRONOUS_COMMIT must be on or off")
        if values["synchronous"] not in {"NORMAL", "FULL", "EXTRA"}:
            raise ValueError("BOARD_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA")
        if values["mail"] is not None and not values["base_url"]:
            raise ValueError(
                "BOARD_BASE_URL must be set when BOARD_SMTP_HOST is: the invitations carry "
                "links to the board"
            )
        settings_db = str(values["db"])
        if settings_db.startswith(("postgresql://", "postgres://")) and not values["secret"]:
            raise ValueError(
                "BOARD_SECRET must be set when the store is PostgreSQL: every process must "
                "sign sessions with the same key. Make one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        try:
            ZoneInfo(str(values["timezone"]))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"BOARD_TIMEZONE: unknown time zone {values['timezone']!r}") from error
        return cls(**values)  # type: ignore[arg-type]
