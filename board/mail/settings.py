"""The SMTP server the board sends through, from the environment (README: Configuration)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RETRY_SECONDS = 60.0
MAX_ATTEMPTS = 5
POLL_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str
    sender: str
    port: int = 587
    starttls: bool = True
    user: str = ""
    password: str = ""
    timeout: float = 30.0
    retry_seconds: float = RETRY_SECONDS  # the first wait after a refusal; it doubles
    max_attempts: int = MAX_ATTEMPTS
    poll_seconds: float = POLL_SECONDS
    on_publish: bool = True  # send the invitations when a meeting is published

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings | None:
        """None when no SMTP host is set: the board then sends no e-mail."""
        host = env.get("BOARD_SMTP_HOST", "").strip()
        if not host:
            return None
        sender = env.get("BOARD_MAIL_FROM", "").strip()
        if "@" not in sender:
            raise ValueError(
                "BOARD_MAIL_FROM must be the sender's address when BOARD_SMTP_HOST is set"
            )
        settings = cls(
            host=host,
            sender=sender,
            port=int(env.get("BOARD_SMTP_PORT") or 587),
            starttls=(env.get("BOARD_SMTP_STARTTLS") or "1").strip().lower()
            in {"1", "true", "yes", "on"},
            user=env.get("BOARD_SMTP_USER", ""),
            password=env.get("BOARD_SMTP_PASSWORD", ""),
            retry_seconds=float(env.get("BOARD_MAIL_RETRY_SECONDS") or RETRY_SECONDS),
            max_attempts=int(env.get("BOARD_MAIL_MAX_ATTEMPTS") or MAX_ATTEMPTS),
            poll_seconds=float(env.get("BOARD_MAIL_POLL_SECONDS") or POLL_SECONDS),
            on_publish=(env.get("BOARD_MAIL_ON_PUBLISH") or "1").strip().lower()
            in {"1", "true", "yes", "on"},
        )
        if not 0 < settings.port < 65536:
            raise ValueError("BOARD_SMTP_PORT must be a port number")
        if settings.max_attempts < 1 or settings.retry_seconds <= 0 or settings.poll_seconds <= 0:
            raise ValueError(
                "BOARD_MAIL_MAX_ATTEMPTS must be at least 1, and the mail intervals positive"
            )
        return settings
