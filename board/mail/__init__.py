"""Invitations (開催通知) by e-mail: settings, the calendar file, the message, the sending."""
