"""The help screen (`?`), generated from each screen's key bindings, so it cannot drift.

`SECTIONS` names the screens in the order the researcher meets them; each section
is a table of that screen's `BINDINGS` (key as the footer shows it, and the binding's
tooltip, or its description when it has none).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.i18n import N_, _


def sections(app_class: Any = None) -> list[tuple[str, Any]]:
    """(title, screen class) for every screen with keys, in the order they are met; the
    app's own keys (``app_class``, the running app's class) first."""
    from tui.screens.by_question import ByQuestionScreen
    from tui.screens.codes import CodesScreen
    from tui.screens.conduct import ConductScreen
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.home import HomeScreen
    from tui.screens.names import NamesScreen
    from tui.screens.new_interview import NewInterviewScreen
    from tui.screens.processing import ProcessingScreen
    from tui.screens.review import ReviewScreen
    from tui.screens.segments import SegmentsScreen
    from tui.screens.transcript import TranscriptScreen

    everywhere = [(_("Everywhere"), app_class)] if app_class is not None else []
    return [
        *everywhere,
        (_("Home"), HomeScreen),
        (_("New interview"), NewInterviewScreen),
        (_("Conduct (while recording)"), ConductScreen),
        (_("Processing"), ProcessingScreen),
        (_("Confirm"), ConfirmScreen),
        (_("Review"), ReviewScreen),
        (_("Transcript"), TranscriptScreen),
        (_("By question"), ByQuestionScreen),
        (_("Codes"), CodesScreen),
        (_("A code's segments"), SegmentsScreen),
        (_("Names to redact"), NamesScreen),
    ]


def bindings_of(cls: Any) -> list[Binding]:
    """The `Binding`s a class declares (tuples made into bindings)."""
    out = []
    for b in getattr(cls, "BINDINGS", []):
        out.append(b if isinstance(b, Binding) else Binding(*b))
    return out


def key_label(binding: Binding) -> str:
    """ "ctrl+z" → "ctrl+z", "question_mark" → "?", "escape,q" → "escape / q"."""
    names = {"question_mark": "?", "slash": "/", "space": "space", "enter": "enter"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in binding.key.split(","))


def help_markdown(app_class: Any = None) -> str:
    """The whole help text, one table per screen (``app_class``: see `sections`)."""
    keys, key, does = _("keys"), _("key"), _("does")
    parts = [f"# kvale — {keys}\n"]
    for title, cls in sections(app_class):
        rows = [
            f"| **{key_label(b)}** | {_(b.tooltip or b.description).replace('|', '/')} |"
            for b in bindings_of(cls)
            if b.description or b.tooltip
        ]
        if rows:
            parts.append(f"## {title}\n| {key} | {does} |\n|---|---|\n" + "\n".join(rows))
    parts.append(_("Every key on the conduct screen is saved at once: a crash loses nothing."))
    parts.append(_("ctrl+p opens the command palette: export, new interview, review, purge, help."))
    return "\n\n".join(parts) + "\n"


class HelpScreen(ModalScreen[None]):
    """Key bindings for every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", N_("Close"))
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Markdown(help_markdown(type(self.app)))

    def action_close(self) -> None:
        self.dismiss(None)
