"""Home: the project's interviews and the guides."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from guide.bundled import bundled_guides
from kvale_i18n import format_date
from tui.i18n import N_, _, current_language, status_text

if TYPE_CHECKING:
    from store import Project
    from store.model import InterviewSummary

EMPTY = N_("No interviews yet. Press n to start one.")

#: statuses after the recording stopped and before it was deleted
KEPT = {"recorded", "transcribing", "transcribed", "confirmed"}


def recording_kept(row: InterviewSummary) -> bool:
    """Whether an interview's recording is kept (stopped, not deleted): the home screen
    offers to transcribe it again, confirm it and delete it."""
    return str(row.status) in KEPT and not row.recording_deleted


class HomeScreen(Screen[None]):
    """Lists interviews (or says how to start) and the available guides."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_interview", N_("new interview"), tooltip=N_("start a new interview")),
        Binding(
            "v",
            "review",
            N_("review & code"),
            tooltip=N_("review and code: transcripts, by question, codes, exports"),
        ),
        Binding(
            "t",
            "transcribe",
            N_("transcribe"),
            tooltip=N_("transcribe the selected interview's kept recording again"),
        ),
        Binding(
            "c",
            "confirm",
            N_("confirm"),
            tooltip=N_("confirm the selected transcript and delete its recording"),
        ),
        Binding("question_mark", "app.help", N_("help"), tooltip=N_("every key of every screen")),
        Binding("q", "app.quit", N_("quit")),
    ]

    class NewInterviewRequested(Message):
        """The researcher asked for a new interview."""

    class KeptRecording(Message):
        """Transcribe again (``action`` "transcribe") or confirm (``action`` "confirm") the
        kept recording of an interview."""

        def __init__(self, interview_id: str, action: str) -> None:
            super().__init__()
            self.interview_id, self.action = interview_id, action

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.kept: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="interviews-pane"):
                yield Static(_("Interviews"), classes="pane-title")
                yield Static(_(EMPTY), id="empty")
                yield DataTable(id="interviews", cursor_type="row")
            with Vertical(id="guides-pane"):
                yield Static(_("Guides"), classes="pane-title")
                yield DataTable(id="guides", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "kvale"
        self.sub_title = str(self.project.path)
        table = self.query_one("#interviews", DataTable)
        table.add_columns(_("Participant"), _("Date"), _("Status"), _("Length"))
        guides = self.query_one("#guides", DataTable)
        guides.add_columns(_("Guide"), _("Lang"))
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#interviews", DataTable)
        table.clear()
        rows = list(self.project.interviews())
        self.kept = {r.id for r in rows if recording_kept(r)}
        for row in rows:
            status = status_text(row.status)
            if row.id in self.kept:
                status = _("{status}, recording kept").format(status=status)
            table.add_row(
                row.participant,
                format_date((row.date or row.created)[:10], current_language()),
                status,
                _("{minutes} min").format(minutes=f"{row.duration / 60:.0f}")
                if row.duration
                else "",
                key=row.id,
            )
        self.query_one("#empty").display = not rows
        table.display = bool(rows)
        guides = self.query_one("#guides", DataTable)
        guides.clear()
        from store.guides import project_guides

        for own in project_guides(self.project.path):  # the researcher's own (guide add)
            name = own.name if own.guide is not None else f"{own.name} ✗"
            guides.add_row(name, str(own.language or ""))
        for g in bundled_guides():
            guides.add_row(g.name, g.language or "")

    def _selected_kept(self) -> str | None:
        table = self.query_one("#interviews", DataTable)
        if not table.row_count:
            return None
        iid = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if iid not in self.kept:
            self.notify(
                _(
                    "This interview has no kept recording: it is being recorded, or its "
                    "recording was deleted after it was confirmed."
                )
            )
            return None
        return iid

    def action_transcribe(self) -> None:
        iid = self._selected_kept()
        if iid is not None:
            self.post_message(self.KeptRecording(iid, "transcribe"))

    def action_confirm(self) -> None:
        iid = self._selected_kept()
        if iid is not None:
            self.post_message(self.KeptRecording(iid, "confirm"))

    def action_new_interview(self) -> None:
        self.post_message(self.NewInterviewRequested())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "interviews":
            self.action_review()

    def action_review(self) -> None:
        """Open the review: transcripts, by question, codes, exports."""
        from tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(project=self.project))
