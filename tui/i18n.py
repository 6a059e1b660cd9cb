"""Translation marker for user-visible strings.

Placeholder until the gettext catalogue lands (issue 17, the i18n helper's branch):
every new user-visible string is wrapped in ``_`` so it can be extracted and
translated; this stand-in returns the English text unchanged.
"""

from __future__ import annotations


def _(s: str) -> str:
    """The user-visible string ``s`` in the UI language (for now: as written)."""
    return s
