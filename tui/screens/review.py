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
from kvale_i18n import format_date, format_int
from store.analysis import format_informant_table, name_candidates, word_counts
from store.corpus import Corpus
from store.exports import FORMATS
from store.review import ReviewSession
from tui.i18n import N_, _, current_language, error_text, ngettext, status_text
from tui.screens.by_question import ByQuestionScreen
from tui.screens.codes import CodesScreen
from tui.screens.review_dialogs import ReviewPick, ReviewText, remember_name
from tui.screens.transcript import TranscriptScreen

FORMAT_LABELS = {
    "md": N_("Markdown (all transcripts, informant table)"),
    "txt": N_("Plain text (one file per interview)"),
    "member-check": N_("Member check (one transcript per participant)"),
    "csv": N_("CSV (one row per passage, with tags and codes)"),
    "informants": N_("CSV informant table"),
    "json": N_("JSON (everything)"),
    "srt": N_("SRT subtitles"),
    "vtt": N_("WebVTT subtitles"),
    "docx": N_("Word (transcripts, by-question report, codes and condensation)"),
    "qdpx": N_("REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA)"),
}
STILL_READING = N_("Still reading the interviews…")


class ReviewScreen(Screen[None]):
    """The project's interviews, with participant, date, length, words and status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("back")),
        Binding("enter", "open", N_("transcript"), show=True, priority=True),
        Binding("b", "by_question", N_("by question")),
        Binding("c", "codes", N_("codes")),
        Binding("x", "export", N_("export")),
        Binding("a", "add_name", N_("redact a name"), tooltip=N_("add a name to redact")),
        Binding("N", "names", N_("names"), tooltip=N_("the names to redact: see, add, remove")),
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
        table.add_columns(
            _("Participant"), _("Date"), _("Length"), _("Words"), _("Status"), _("Interview")
        )
        table.focus()
        if self.to_load is not None:
            self.query_one("#informants", Static).update(_("Reading the interviews…"))
            self.load(self.to_load)
            return
        self.title = _("Review · {project}").format(project=self.session.corpus.name)
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
                format_date(i.date, current_language()),
                _("{minutes} min").format(minutes=round(i.duration / 60)),
                format_int(i.word_count, current_language()),
                status_text(i.status),
                i.id,
                key=i.id,
            )
        for iid in sorted(self.session.corpus.damaged):
            table.add_row(iid.split("-", 1)[0], "", "", "", _("damaged"), iid, key=iid)
        if self.session.corpus.interviews:
            table.move_cursor(row=min(row, len(self.session.corpus.interviews) - 1))
        counts = word_counts(self.session.corpus)
        names = name_candidates(self.session.corpus)
        flagged = ", ".join(c.word for c in names[:8]) or _("none")
        words = _(
            "Words: {transcribed} transcribed → {coded} coded → {condensed} condensed."
        ).format(transcribed=counts.transcript, coded=counts.coded, condensed=counts.condensed)
        self.query_one("#informants", Static).update(
            f"{format_informant_table(self.session.corpus, current_language())}\n\n"
            f"{words}\n"
            + _("Possible names to redact: {names}").format(names=flagged)
            + "".join(
                "\n"
                + _("Damaged, left out: {interview}: {reason}").format(
                    interview=iid, reason=sentence
                )
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
            self.notify(_(STILL_READING))
            return
        iid = self.selected_id
        if iid is not None:
            self.app.push_screen(TranscriptScreen(self.session, iid))
            return
        damaged = sorted(self.session.corpus.damaged)
        row = self.query_one(DataTable).cursor_row - len(self.session.corpus.interviews)
        if 0 <= row < len(damaged):
            self.notify(
                self.session.corpus.damaged[damaged[row]],
                title=_("Damaged interview"),
                timeout=15,
            )

    def action_by_question(self) -> None:
        if not self.ready:
            self.notify(_(STILL_READING))
            return
        self.app.push_screen(ByQuestionScreen(self.session))

    def action_codes(self) -> None:
        if not self.ready:
            self.notify(_(STILL_READING))
            return
        self.app.push_screen(CodesScreen(self.session))

    def action_add_name(self) -> None:
        if not self.ready:
            self.notify(_(STILL_READING))
            return

        def done(text: str | None) -> None:
            if text and text.strip() and remember_name(self, self.session, text):
                self.refresh_table()

        self.app.push_screen(
            ReviewText(_("Name to replace in exports (optionally Name=[colleague]):")), done
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
            self.notify(_(STILL_READING))
            return
        items = [(f, _(FORMAT_LABELS[f])) for f in FORMATS]

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.run_export(fmt)

        self.app.push_screen(ReviewPick(_("Export as:"), items), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, fmt: str) -> list[Path]:
        return self.session.export(fmt)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "review-load":
            if event.state == WorkerState.SUCCESS and event.worker.result is not None:
                self.session = event.worker.result
                self.to_load = None
                self.title = _("Review · {project}").format(project=self.session.corpus.name)
                self.refresh_table()
            elif event.state == WorkerState.ERROR:
                error = event.worker.error
                sentence = error_text(error)[1] if isinstance(error, KvaleError) else str(error)
                self.query_one("#informants", Static).update(
                    _("The interviews could not be read: {reason}").format(reason=sentence)
                )
            return
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.last_export = list(event.worker.result or [])
            where = self.last_export[0].parent if self.last_export else ""
            self.notify(
                ngettext(
                    "Wrote {n} file to {folder}",
                    "Wrote {n} files to {folder}",
                    len(self.last_export),
                ).format(n=len(self.last_export), folder=where),
                title=_("Exported"),
            )
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, KvaleError):
                self.notify(error_text(error)[1], title=error_text(error)[0], severity="error")
            else:
                self.notify(_("The export failed: {reason}").format(reason=error), severity="error")
