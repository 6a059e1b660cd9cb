"""Dialogs of the review screens: pick one of a list, type a line, write a note."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kvale_errors import KvaleError
from store.review import ReviewSession
from tui.i18n import N_, _, error_text
from tui.screens.dialogs import ConfirmDialog, TextDialog

DIALOG_CSS = """
ReviewPick, ReviewText, ReviewSplit, ReviewNote { align: center middle; }
ReviewPick > Vertical, ReviewText > Vertical, ReviewSplit > Vertical, ReviewNote > Vertical {
    width: 80%; max-width: 100; height: auto; max-height: 80%;
    border: round $accent; background: $surface; padding: 0 1;
}
ReviewPick OptionList { height: auto; max-height: 24; }
ReviewNote TextArea { height: 12; }
ReviewSplit VerticalScroll { height: auto; max-height: 10; margin: 1 0; color: $text-muted; }
"""


class ReviewPick(ModalScreen[str | None]):
    """Pick one item; dismisses with its id, or None on escape."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, items: list[tuple[str, str]], selected: str | None = None):
        super().__init__()
        self.title_text = title
        self.items = items
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            yield OptionList(*[Option(label, id=key) for key, label in self.items], id="pick")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [k for k, _ in self.items]
        if self.selected in keys:
            options.highlighted = keys.index(self.selected)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewText(TextDialog):
    """`TextDialog` (one line; the text, or None on escape), with its own CSS so the
    review screens also look right outside kvale's stylesheet."""

    DEFAULT_CSS = DIALOG_CSS


class ReviewSplit(ReviewText):
    """`ReviewText` with the passage to split shown above the line (scrolled when long):
    the researcher types the first words of the second part as they read them there."""

    DEFAULT_CSS = DIALOG_CSS

    def __init__(self, prompt: str, passage: str) -> None:
        super().__init__(prompt, "")
        self.passage = passage

    def above_line(self) -> ComposeResult:
        yield VerticalScroll(Static(self.passage, id="passage", markup=False))

    def on_mount(self) -> None:
        self.query_one(Input).focus()


class ReviewNote(ModalScreen[str | None]):
    """Write a longer text (a condensation, a passage); ctrl+s saves, escape cancels."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save")),
    ]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.prompt}  " + _("(ctrl+s save · escape cancel)"), markup=False)
            yield TextArea(self.value, id="note", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        """Escape: close; with a changed text, only after the researcher says to discard
        it (a condensation can be an hour's work, and escape is what closes a dialog)."""
        if self.query_one(TextArea).text == self.value:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                _("Discard what you wrote here? ctrl+s saves it."),
                yes=_("Discard"),
                no=_("Keep writing"),
            ),
            answer,
        )


def remember_name(screen: Screen[Any], session: ReviewSession, text: str) -> bool:
    """Redact "Name" or "Name=[placeholder]" from now on, saved in the project's names.

    Returns False (after telling the researcher why) when nothing was added.
    """
    name, sep, placeholder = text.partition("=")
    try:
        redaction = session.add_redaction(name, placeholder)
    except KvaleError as exc:
        screen.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
        return False
    if session.project is None:
        screen.notify(_("Redacted in this session's exports only."), severity="warning")
        return True
    from tui.project_adapter import add_redaction_name

    entry = f"{redaction.name}={redaction.placeholder}" if sep and placeholder.strip() else name
    add_redaction_name(session.project, entry.strip())
    return True
