"""Votes (採決): the methods, the body's standing rules and how a result is decided."""
