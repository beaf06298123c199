"""The minutes model and its exporters (JSON, Markdown and text, CSV; HTML is a template)."""

from pathlib import Path

SCHEMA = Path(__file__).resolve().parent / "schema" / "minutes.schema.json"
