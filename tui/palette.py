"""kvale's actions in the command palette (ctrl+p): a Textual command `Provider`.

"export" finds "Export transcripts…", and so on: new interview, review and code,
names to redact, purge a participant, help. Each command calls a `KvaleApp` method
(the same the keys use), so the palette and the keys cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.i18n import _


def kvale_commands(app: Any) -> list[tuple[str, Callable[[], Any], str]]:
    """(name, callback, help) of every kvale command the palette offers."""
    return [
        (_("Export transcripts…"), app.command_export, _("md, docx, csv, qdpx, member check…")),
        (_("New interview"), app.command_new_interview, _("guide, participant, consent")),
        (
            _("Review and code"),
            app.command_review,
            _("transcripts, by question, codes, informant table"),
        ),
        (_("Names to redact"), app.command_names, _("see, add and remove names")),
        (
            _("Purge a participant…"),
            app.command_purge,
            _("a participant withdraws: delete everything about them"),
        ),
        (_("Help: every key"), app.action_help, _("the keys of every screen")),
    ]


class KvaleCommands(Provider):
    """Finds kvale's commands by fuzzy match on their names."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in kvale_commands(self.app):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(callback), help=help_text)

    async def discover(self) -> Hits:
        for name, callback, help_text in kvale_commands(self.app):
            yield DiscoveryHit(name, partial(callback), help=help_text)
