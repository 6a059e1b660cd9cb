"""The current question, large and centred, with its probes and notes."""

from __future__ import annotations

from collections.abc import Set

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from guide.model import Question
from tui.i18n import _


class QuestionPanel(Vertical):
    """Shows the intro script (before the first question) or the current question."""

    DEFAULT_CSS = """
    QuestionPanel { height: 1fr; padding: 1 2; }
    QuestionPanel #question { text-style: bold; content-align: center middle;
        text-align: center; height: auto; min-height: 5; padding: 1 2; }
    QuestionPanel #intro { height: auto; }
    QuestionPanel #probes { height: auto; padding: 1 0 0 0; }
    QuestionPanel #notes { height: auto; color: $text-muted; padding: 1 0 0 0; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="question")
        yield Static(id="probes")
        yield Static(id="notes")

    def show_intro(self, intro: str) -> None:
        self.query_one("#question", Static).update(
            Text(_("Read the introduction aloud, then press n for the first question."), "dim")
        )
        self.query_one("#probes", Static).update(Text(intro or _("(this guide has no intro)")))
        self.query_one("#notes", Static).update("")

    def show(self, question: Question, probes_asked: Set[str], description: str = "") -> None:
        title = Text(f"{question.id}  ", style="dim")
        title.append(question.text, style="bold")
        self.query_one("#question", Static).update(title)
        probes = Text()
        if question.probes:
            probes.append(_("Probes") + "\n", style="underline")
            for p in question.probes:
                box = "[x]" if p.id in probes_asked else "[ ]"
                probes.append(f" {box} {p.text}\n", style="dim" if p.id in probes_asked else "")
        self.query_one("#probes", Static).update(probes)
        notes = [*question.notes]
        if description:
            notes.insert(0, description)
        self.query_one("#notes", Static).update(
            Text("\n".join(_("Note: {note}").format(note=n) for n in notes), style="italic")
        )
