"""Connections per meeting and the fan-out of rendered fragments."""
