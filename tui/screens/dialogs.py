"""Small typed dialogs: confirm, text input, error."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
    """Ask yes/no; dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "no", N_("Cancel")),
        Binding("y", "yes", N_("Yes"), show=False),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes or _("Yes"), no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error", id="yes")
                yield Button(self.no, variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class TextDialog(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # not markup: "(Name=[placeholder])" must show its brackets
            yield Label(self.prompt, markup=False)
            yield from self.above_line()
            yield Input(value=self.value, id="text")

    def above_line(self) -> ComposeResult:
        """What a dialog shows between its prompt and the line (nothing here)."""
        yield from ()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ErrorDialog(ModalScreen[bool]):
    """Show a `KvaleError`'s title and sentence (never a traceback).

    With ``retry``, ``r`` (or the "Try again" button) dismisses with True: the caller
    tries again (a microphone plugged in after "No microphone was found").
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", N_("Close")),
        Binding("r", "retry", N_("try again")),
    ]

    def __init__(self, title: str, sentence: str, *, retry: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.sentence = sentence
        self.retry = retry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.sentence, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                if self.retry:
                    yield Button(_("Try again (r)"), id="retry", variant="success")
                yield Button(_("OK"), id="ok", variant="primary")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.retry if action == "retry" else True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "retry")

    def action_retry(self) -> None:
        if self.retry:
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
