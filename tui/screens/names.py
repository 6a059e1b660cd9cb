"""The names to redact in every export: see them, add, change and remove them.

Keys: a add (Name or Name=[placeholder]) · d remove · escape back. The list is
the project's (`store.names`); a first name alone and a possessive ("Karis") are
redacted too. Changes apply to this review's exports at once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from kvale_errors import KvaleError
from store.names import add_name, list_names, remove_name
from store.redaction import Redaction
from tui.i18n import N_, _, error_text
from tui.screens.dialogs import ConfirmDialog
from tui.screens.review_dialogs import ReviewText


class NamesScreen(Screen[None]):
    """The project's redaction list, editable.

    Args:
        project: a `store.Project` (anything with ``settings`` and ``update_settings``).
        on_change: called with the new list after every change (the review's corpus
            takes it, so its exports redact at once).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back")),
        Binding("a", "add", N_("add"), tooltip=N_("add a name (Name or Name=[placeholder])")),
        Binding("d", "remove", N_("remove"), tooltip=N_("stop redacting the selected name")),
    ]

    DEFAULT_CSS = """
    NamesScreen #names { height: 1fr; }
    NamesScreen #names-help { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, project: Any, on_change: Any = None) -> None:
        super().__init__()
        self.project = project
        self.on_change = on_change
        self.names: list[Redaction] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            _(
                "Names written as their placeholder in every export. A first name alone "
                "(Kari of Kari Nordmann) and a possessive (Karis) are matched too."
            ),
            id="names-help",
            markup=False,
        )
        yield DataTable(id="names", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = _("Names to redact")
        table = self.query_one(DataTable)
        table.add_columns(_("Name"), _("Written as"))
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.names = list_names(self.project)
        table = self.query_one(DataTable)
        table.clear()
        for r in self.names:
            table.add_row(Text(r.name), Text(_(r.placeholder)))  # not markup: "[colleague]"
        if not self.names:
            table.add_row(_("(none yet: press a to add one)"), "")
        if self.on_change is not None:
            self.on_change(self.names)

    def action_add(self) -> None:
        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                r = add_name(self.project, text)
            except KvaleError as exc:
                self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
                return
            self.reload()
            self.notify(
                _("'{name}' is written as {placeholder} in every export.").format(
                    name=r.name, placeholder=_(r.placeholder)
                ),
                timeout=3,
            )

        self.app.push_screen(ReviewText(_("Name to redact (optionally Name=[colleague]):")), done)

    def action_remove(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(self.names):
            return
        name = self.names[row].name

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove_name(self.project, name)
            except KvaleError as exc:
                self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
                return
            self.reload()

        self.app.push_screen(
            ConfirmDialog(
                _("Stop redacting '{name}'? Exports will show it as spoken.").format(name=name),
                yes=_("Stop redacting"),
                no=_("Keep it"),
            ),
            answer,
        )
