"""Home: the project's interviews and the guides."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from guide.bundled import bundled_guides
from tui.pipeline import _attr

EMPTY = "No interviews yet. Press n to start one."


class HomeScreen(Screen[None]):
    """Lists interviews (or says how to start) and the available guides."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_interview", "New interview"),
        Binding("v", "review", "Review & code"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    class NewInterviewRequested(Message):
        """The researcher asked for a new interview."""

    def __init__(self, project: Any) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="interviews-pane"):
                yield Static("Interviews", classes="pane-title")
                yield Static(EMPTY, id="empty")
                yield DataTable(id="interviews", cursor_type="row")
            with Vertical(id="guides-pane"):
                yield Static("Guides", classes="pane-title")
                yield DataTable(id="guides", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "kvale"
        self.sub_title = str(_attr(self.project, "path", ""))
        table = self.query_one("#interviews", DataTable)
        table.add_columns("Participant", "Date", "Status", "Length")
        guides = self.query_one("#guides", DataTable)
        guides.add_columns("Guide", "Lang")
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#interviews", DataTable)
        table.clear()
        rows = list(self.project.interviews()) if self.project is not None else []
        for row in rows:
            length = _attr(row, "duration", None) or 0.0
            table.add_row(
                str(_attr(row, "participant", "?")),
                str(_attr(row, "date", _attr(row, "created", "")))[:10],
                str(_attr(row, "status", "")),
                f"{float(length) / 60:.0f} min" if length else "",
                key=str(_attr(row, "id", len(table.rows))),
            )
        self.query_one("#empty").display = not rows
        table.display = bool(rows)
        guides = self.query_one("#guides", DataTable)
        guides.clear()
        for g in bundled_guides():
            guides.add_row(_attr(g, "name", str(g)), str(_attr(g, "language", "") or ""))

    def action_new_interview(self) -> None:
        self.post_message(self.NewInterviewRequested())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "interviews":
            self.action_review()

    def action_review(self) -> None:
        """Open the review: transcripts, by question, codes, exports."""
        from tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(project=self.project))
