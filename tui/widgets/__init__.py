"""Reusable widgets of the kvale app (each with its own DEFAULT_CSS)."""
