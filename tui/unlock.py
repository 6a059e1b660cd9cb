"""Unlock an encrypted project in the app: one passphrase prompt per session.

`open_project_unlocked` opens the project, and if it is locked runs `UnlockApp` (a
small Textual app with a password field) before the main app starts; the key then
stays in this process's memory (`store.crypto`) for the whole session. A wrong
passphrase is said in the prompt; three wrong ones end with the sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.i18n import N_, _, error_text

ATTEMPTS = 3


class UnlockApp(App[str | None]):
    """Asks for the passphrase of ``path``; returns it (None: the researcher cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("cancel"))]
    CSS = """
    Screen { align: center middle; }
    #unlock { width: 70; height: auto; border: round $accent; padding: 1 2; }
    #unlock-error { color: $error; }
    """

    def __init__(self, path: Path, error: str = "") -> None:
        super().__init__()
        self.path = path
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Label(_("The project {name} is encrypted.").format(name=self.path.name))
            yield Static(_("Enter its passphrase (Escape cancels)."))
            yield Input(password=True, id="passphrase")
            yield Static(self.error, id="unlock-error")

    def on_mount(self) -> None:
        self.title = _("kvale: unlock project")
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value:
            self.exit(event.value)

    def action_cancel(self) -> None:
        self.exit(None)


def open_project_unlocked(
    path: Path, open_: Callable[[], Any], ask: Callable[[Path, str], str | None] | None = None
) -> Any:
    """``open_()``; if the project is locked, ask for the passphrase (at most 3 times).

    Raises:
        KvaleError: cancelled, or the passphrase was wrong three times.
    """
    from kvale_errors import KvaleError
    from store import crypto

    try:
        return open_()
    except crypto.ProjectLocked:
        pass
    ask = ask or (lambda p, error: UnlockApp(p, error).run())
    error = ""
    wrong = crypto.WrongPassphrase.said(N_("That passphrase does not open this project."))
    for _attempt in range(ATTEMPTS):
        passphrase = ask(path, error)
        if passphrase is None:
            raise KvaleError.said(
                N_("The project stays locked: nothing was opened."), title=N_("Project locked")
            )
        try:
            crypto.unlock(path, passphrase)
        except crypto.WrongPassphrase as exc:
            wrong, error = exc, error_text(exc)[1]
            continue
        return open_()
    raise wrong
