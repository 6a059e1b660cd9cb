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
        Binding(
            "e",
            "end_date",
            N_("end date"),
            show=False,
            tooltip=N_("the project's end date: after it, all its data is deleted"),
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
        self.imported: set[str] = set()  # transcribed from a file kvale did not copy in

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="interviews-pane"):
                yield Static(_("Interviews"), classes="pane-title")
                yield Static(_(EMPTY), id="empty")
                yield DataTable(id="interviews", cursor_type="row")
                yield Static("", id="queue")
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
        self._remind()

    def _remind(self) -> None:
        """The end date is near or past: say so once, when the home screen opens."""
        from store.privacy import end_date_reminder
        from store.project import Project

        if isinstance(self.project, Project):
            sentence = end_date_reminder(self.project, language=current_language())
            if sentence:
                self.notify(sentence, severity="warning", timeout=15)

    def action_end_date(self) -> None:
        """Set the project's end date (after it, the personal data must be deleted)."""
        from kvale_errors import KvaleError
        from store.privacy import parse_end_date
        from tui.screens.dialogs import TextDialog

        if self.project is None or not hasattr(self.project, "update_settings"):
            return
        end = self.project.settings.end_date
        current = end.isoformat() if end else ""

        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            try:
                new = parse_end_date(text)
                self.project.update_settings(end_date=new)
            except KvaleError as exc:
                self.notify(exc.sentence, severity="error", timeout=10)
                return
            self.notify(_("The project's end date is now {date}.").format(date=new.isoformat()))
            self._remind()

        self.app.push_screen(
            TextDialog(
                _("Project end date (YYYY-MM-DD): its personal data is deleted after it"),
                current,
            ),
            done,
        )

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#interviews", DataTable)
        table.clear()
        rows = list(self.project.interviews())
        # an imported interview's recording was never copied into the project
        self.kept = {r.id for r in rows if recording_kept(r) and self.project.holds_recording(r.id)}
        self.imported = {r.id for r in rows if recording_kept(r) and r.id not in self.kept}
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
        self._show_queue()
        guides = self.query_one("#guides", DataTable)
        guides.clear()
        from store.guides import project_guides

        for own in project_guides(self.project.path):  # the researcher's own (guide add)
            name = own.name if own.guide is not None else f"{own.name} ✗"
            guides.add_row(name, str(own.language or ""))
        for g in bundled_guides():
            guides.add_row(g.name, g.language or "")

    def _show_queue(self) -> None:
        """The import queue (`kvale import` of several recordings), when there is one."""
        from tui.queue_view import queue_lines

        path = getattr(self.project, "path", None)
        lines, waiting = queue_lines(path) if path is not None else ([], False)
        widget = self.query_one("#queue", Static)
        widget.update("\n".join(lines))
        widget.display = bool(lines)
        widget.set_class(waiting, "waiting")

    def _selected_kept(self) -> str | None:
        table = self.query_one("#interviews", DataTable)
        if not table.row_count:
            return None
        iid = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if iid in self.imported:
            from store.lifecycle import NO_COPY

            self.notify(_(NO_COPY), timeout=8)
            return None
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
