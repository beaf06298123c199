"""Handing one message to the SMTP server (the standard library's smtplib, run in a worker
thread by the caller so the event loop never waits on the network)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from board.mail.settings import MailSettings


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Raises ``smtplib.SMTPException`` or ``OSError`` when the server does not take it."""
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as server:
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password)
        server.send_message(message)


def reason(error: BaseException) -> str:
    """What the secretariat is shown about a refusal: the server's code and words, never
    the message (which carries the person's link)."""
    if isinstance(error, smtplib.SMTPResponseException):
        words = (
            error.smtp_error.decode("utf-8", "replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{error.smtp_code} {words}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {words.decode('utf-8', 'replace')}"
            for code, words in error.recipients.values()
        )
    return f"{type(error).__name__}: {error}"
