"""Review: the interviews of a project, the informant table, and the way into analysis.

Keys: enter open the transcript · b by question · c codes · x export ·
a add a name to redact · escape back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from kvale_errors import KvaleError
from store.analysis import format_informant_table, name_candidates, word_counts
from store.corpus import Corpus
from store.exports import FORMATS
from store.review import ReviewSession
from tui.i18n import _
from tui.screens.by_question import ByQuestionScreen
from tui.screens.codes import CodesScreen
from tui.screens.review_dialogs import ReviewPick, ReviewText, remember_name
from tui.screens.transcript import TranscriptScreen

FORMAT_LABELS = {
    "md": "Markdown (all transcripts, informant table)",
    "txt": "Plain text (one file per interview)",
    "member-check": "Member check (one transcript per participant)",
    "csv": "CSV (one row per passage, with tags and codes)",
    "informants": "CSV informant table",
    "json": "JSON (everything)",
    "srt": "SRT subtitles",
    "vtt": "WebVTT subtitles",
    "docx": "Word (transcripts, by-question report, codes and condensation)",
    "qdpx": "REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA)",
}


class ReviewScreen(Screen[None]):
    """The project's interviews, with participant, date, length, words and status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", _("back")),
        Binding("enter", "open", _("transcript"), show=True, priority=True),
        Binding("b", "by_question", _("by question")),
        Binding("c", "codes", _("codes")),
        Binding("x", "export", _("export")),
        Binding("a", "add_name", _("redact a name"), tooltip=_("add a name to redact")),
        Binding("N", "names", _("names"), tooltip=_("the names to redact: see, add, remove")),
    ]

    DEFAULT_CSS = """
    ReviewScreen DataTable { height: 1fr; }
    ReviewScreen #informants { height: auto; padding: 1; border-top: solid $accent; }
    """

    def __init__(self, session: ReviewSession | None = None, *, project: Any = None) -> None:
        """Review a session, or a project whose interviews are read in a worker.

        Args:
            session: an open review session (tests, or a caller that has one).
            project: a `store.Project`; its interviews are read off the UI thread.
        """
        super().__init__()
        if session is None and project is None:
            raise ValueError("ReviewScreen needs a session or a project")
        self.to_load = project if session is None else None
        self.session = session or ReviewSession(Corpus("", None, []), project)
        self.last_export: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="interviews", cursor_type="row")
        yield Static(id="informants")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Participant", "Date", "Length", "Words", "Status", "Interview")
        table.focus()
        if self.to_load is not None:
            self.query_one("#informants", Static).update("Reading the interviews…")
            self.load(self.to_load)
            return
        self.title = f"Review · {self.session.corpus.name}"
        self.refresh_table()

    @property
    def ready(self) -> bool:
        return self.to_load is None

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-load")
    def load(self, project: Any) -> ReviewSession:
        return ReviewSession.open(project)

    def on_screen_resume(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for i in self.session.corpus.interviews:
            table.add_row(
                i.participant,
                i.date,
                f"{round(i.duration / 60)} min",
                f"{i.word_count:,}".replace(",", " "),
                i.status,
                i.id,
                key=i.id,
            )
        for iid in sorted(self.session.corpus.damaged):
            table.add_row(iid.split("-", 1)[0], "", "", "", "damaged", iid, key=iid)
        if self.session.corpus.interviews:
            table.move_cursor(row=min(row, len(self.session.corpus.interviews) - 1))
        counts = word_counts(self.session.corpus)
        names = name_candidates(self.session.corpus)
        flagged = ", ".join(c.word for c in names[:8]) or "none"
        self.query_one("#informants", Static).update(
            f"{format_informant_table(self.session.corpus)}\n\n"
            f"Words: {counts.transcript} transcribed → {counts.coded} coded → "
            f"{counts.condensed} condensed\n"
            f"Possible names to redact: {flagged}"
            + "".join(
                f"\nDamaged, left out: {iid}: {sentence}"
                for iid, sentence in sorted(self.session.corpus.damaged.items())
            )
        )

    @property
    def selected_id(self) -> str | None:
        interviews = self.session.corpus.interviews
        row = self.query_one(DataTable).cursor_row
        return interviews[row].id if 0 <= row < len(interviews) else None

    def action_open(self) -> None:
        if not self.ready:
            self.notify("Still reading the interviews…")
            return
        iid = self.selected_id
        if iid is not None:
            self.app.push_screen(TranscriptScreen(self.session, iid))
            return
        damaged = sorted(self.session.corpus.damaged)
        row = self.query_one(DataTable).cursor_row - len(self.session.corpus.interviews)
        if 0 <= row < len(damaged):
            self.notify(
                self.session.corpus.damaged[damaged[row]], title="Damaged interview", timeout=15
            )

    def action_by_question(self) -> None:
        if not self.ready:
            self.notify("Still reading the interviews…")
            return
        self.app.push_screen(ByQuestionScreen(self.session))

    def action_codes(self) -> None:
        if not self.ready:
            self.notify("Still reading the interviews…")
            return
        self.app.push_screen(CodesScreen(self.session))

    def action_add_name(self) -> None:
        if not self.ready:
            self.notify("Still reading the interviews…")
            return

        def done(text: str | None) -> None:
            if text and text.strip() and remember_name(self, self.session, text):
                self.refresh_table()

        self.app.push_screen(
            ReviewText("Name to replace in exports (optionally Name=[colleague]):"), done
        )

    def action_names(self) -> None:
        """The project's names to redact, to see and edit."""
        if not self.ready:
            self.notify(_("Still reading the interviews…"))
            return
        if self.session.project is None:
            self.notify(_("This review has no project to keep names in."), severity="warning")
            return
        from tui.screens.names import NamesScreen

        def taken(names: list[Any]) -> None:
            self.session.corpus.redactions = list(names)

        self.app.push_screen(NamesScreen(self.session.project, taken))

    def action_export(self) -> None:
        if not self.ready:
            self.notify("Still reading the interviews…")
            return
        items = [(f, FORMAT_LABELS[f]) for f in FORMATS]

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.run_export(fmt)

        self.app.push_screen(ReviewPick("Export as:", items), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, fmt: str) -> list[Path]:
        return self.session.export(fmt)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "review-load":
            if event.state == WorkerState.SUCCESS and event.worker.result is not None:
                self.session = event.worker.result
                self.to_load = None
                self.title = f"Review · {self.session.corpus.name}"
                self.refresh_table()
            elif event.state == WorkerState.ERROR:
                error = event.worker.error
                sentence = error.sentence if isinstance(error, KvaleError) else str(error)
                self.query_one("#informants", Static).update(
                    f"The interviews could not be read: {sentence}"
                )
            return
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.last_export = list(event.worker.result or [])
            where = self.last_export[0].parent if self.last_export else ""
            self.notify(f"Wrote {len(self.last_export)} file(s) to {where}", title="Exported")
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, KvaleError):
                self.notify(error.sentence, title=error.title, severity="error")
            else:
                self.notify(f"The export failed: {error}", severity="error")
