"""Confirm: read the tagged transcript, play passages, correct text, delete the recording."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from guide.transcript import Passage
from kvale_errors import KvaleError
from kvale_i18n import format_decimal
from tui.i18n import N_, _, current_language, error_text, ngettext, removal_reason
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.session import InterviewSession
from tui.widgets.outline import clock

LOW = 0.5

#: how a tag was found (`guide.transcript.TagSource` values)
SOURCES = {
    "marker": N_("marker"),
    "detected": N_("detected"),
    "content": N_("content"),
    "manual": N_("manual"),
    "followed": N_("after a retag"),
}


def _word(table: dict[str, str], value: str) -> str:
    return _(table[value]) if value in table else value


class ConfirmScreen(Screen[None]):
    """The transcript with its tags; `D` confirms and deletes the recording."""

    # short labels: the footer fits 80 columns (the help screen has the tooltips)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play", N_("play"), tooltip=N_("play the selected passage")),
        # priority: the table's own enter (select row) would take the key otherwise
        Binding(
            "enter",
            "next_low",
            N_("next low"),
            tooltip=N_("go to the next low-confidence passage"),
            priority=True,
        ),
        Binding("e", "edit", N_("edit"), tooltip=N_("correct the passage's text")),
        Binding("z,ctrl+z", "undo", N_("undo"), tooltip=N_("undo the last text correction")),
        Binding("r", "restore", N_("restore"), tooltip=N_("put removed text back")),
        Binding("D", "delete", N_("delete rec."), tooltip=N_("confirm and delete the recording")),
        Binding("escape", "home", N_("home"), tooltip=N_("back home (the recording is kept)")),
    ]

    class RecordingDeleted(Message):
        """The recording is gone; the deletion record is attached."""

        def __init__(self, record: Any) -> None:
            super().__init__()
            self.record = record

    def __init__(
        self, session: InterviewSession, passages: list[Passage], *, participant: str = ""
    ) -> None:
        super().__init__()
        self.session = session
        self.passages = list(passages)
        self.participant = participant
        self.deleted = session.deletion is not None  # the project deletes automatically
        self.removed = session.removed()
        self.rows: list[tuple[str, int]] = []  # table row -> ("p", passage) or ("r", removal)
        #: the passages before each text correction of this session (z puts them back)
        self.undo_steps: list[tuple[int, list[Passage]]] = []

    def compose(self) -> ComposeResult:
        yield Static(id="confirm-title", classes="screen-title")
        yield DataTable(id="passages", cursor_type="row", zebra_stripes=True)
        yield Static(id="passage-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Question"), width=16, key="q")
        table.add_column(_("Time"), width=8, key="t")
        table.add_column(_("Text"), key="text")
        self._fill()
        table.focus()
        if self.deleted:
            self.notify(_("The recording was deleted after transcription (project setting)."))

    def _time_of(self, row: tuple[str, int]) -> float:
        kind, j = row
        return self.removed[j].start if kind == "r" else self.passages[j].start

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        guide = self.session.guide
        low = 0
        words = 0
        self.rows = sorted(
            [("p", i) for i in range(len(self.passages))]
            + [("r", j) for j in range(len(self.removed))],
            key=self._time_of,
        )
        for kind, i in self.rows:
            if kind == "r":
                gone = self.removed[i]
                table.add_row(
                    Text(
                        _("removed: {reason}").format(reason=removal_reason(gone.reason))[:15],
                        "italic magenta",
                    ),
                    clock(gone.start),
                    Text(_("removed: {text}").format(text=gone.text), "dim"),
                    key=f"r{i}",
                )
                continue
            p = self.passages[i]
            words += len(p.text.split())
            tag = p.primary
            if tag is None:
                label = Text(_("untagged"), "dim")
            else:
                try:
                    qtext = guide.question(tag.question_id).text
                except KeyError:
                    qtext = ""
                label = Text(f"{tag.question_id} {qtext}"[:15])
                if tag.confidence < LOW:
                    label.append(" ?", "bold yellow")
                    low += 1
            table.add_row(label, clock(p.start), Text(p.text), key=str(i))
        length = self.passages[-1].end if self.passages else 0.0
        note = (
            " · " + _("{n} removed (r restores)").format(n=len(self.removed))
            if self.removed
            else ""
        )
        self.query_one("#confirm-title", Static).update(
            _("Confirm {participant}").format(participant=self.participant)
            + " ── "
            + ngettext("{n} word", "{n} words", words).format(n=words)
            + f" · {clock(length)} · "
            + ngettext("{n} passage low confidence", "{n} passages low confidence", low).format(
                n=low
            )
            + note
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the whole passage (the table cuts long text) with its tag."""
        self._show_detail(event.cursor_row)

    def _row(self, cursor: int) -> tuple[str, int] | None:
        return self.rows[cursor] if 0 <= cursor < len(self.rows) else None

    def _show_detail(self, cursor: int) -> None:
        detail = self.query_one("#passage-detail", Static)
        row = self._row(cursor)
        if row is None:
            detail.update("")
            return
        if row[0] == "r":
            gone = self.removed[row[1]]
            detail.update(
                Text.assemble(
                    (
                        f"{clock(gone.start)}–{clock(gone.end)}  "
                        + _("removed ({reason}); ").format(reason=removal_reason(gone.reason)),
                        "dim",
                    ),
                    (_("r puts it back"), "bold"),
                    "\n",
                    gone.text,
                )
            )
            return
        p = self.passages[row[1]]
        head = Text(f"{clock(p.start)}–{clock(p.end)}  ", "dim")
        if p.primary is None or not p.primary.question_id:  # none, or "no question" by hand
            head.append(_("untagged"), "dim")
        else:
            try:
                qtext = self.session.guide.question(p.primary.question_id).text
            except KeyError:
                qtext = ""
            head.append(f"{p.primary.question_id} {qtext}", "bold")
            source = _word(SOURCES, p.primary.source.value)
            confidence = format_decimal(p.primary.confidence, current_language(), 2)
            head.append(f"  ({source}, {confidence})", "dim")
        body = Text()
        if p.words:
            for i, w in enumerate(p.words):
                body.append(" " if i else "")
                body.append(w.text, "bold yellow" if w.probability < LOW else "")
        else:
            body.append(p.text)
        detail.update(Text.assemble(head, "\n", body))

    def _selected(self) -> int | None:
        """The highlighted passage's index (None on a removed row or an empty table)."""
        row = self._row(self.query_one(DataTable).cursor_row)
        return row[1] if row is not None and row[0] == "p" else None

    def _cursor_of(self, kind: str, index: int) -> int:
        return self.rows.index((kind, index)) if (kind, index) in self.rows else 0

    def action_restore(self) -> None:
        """Put the highlighted removed text back into the transcript and tag it again."""
        row = self._row(self.query_one(DataTable).cursor_row)
        if row is None or row[0] != "r":
            self.notify(_("Highlight a 'removed' row to put its text back."), timeout=3)
            return
        at = self.removed[row[1]].start
        self.passages = self.session.restore(row[1])
        self.removed = self.session.removed()
        self._fill()
        back = min(
            range(len(self.passages)),
            key=lambda i: abs(self.passages[i].start - at),
            default=None,
        )
        if back is not None:
            self.query_one(DataTable).move_cursor(row=self._cursor_of("p", back))
        self.notify(_("Put back into the transcript; its words are marked for review."), timeout=3)

    def action_play(self) -> None:
        """Play the highlighted passage; says at once what plays, or why nothing can."""
        index = self._selected()
        if self.deleted:
            self.notify(_("The recording is deleted; there is nothing to play."))
            return
        if index is None:
            self.notify(_("Highlight a passage of the transcript to play it."), timeout=3)
            return
        p = self.passages[index]
        self.notify(
            _("Playing {start}–{end} ({seconds} s) of the recording…").format(
                start=clock(p.start), end=clock(p.end), seconds=round(p.end - p.start)
            ),
            timeout=max(3.0, min(30.0, p.end - p.start)),
        )
        self.play(p.start, p.end)

    @work(thread=True, exclusive=True, exit_on_error=False, group="play")
    def play(self, start: float, end: float) -> None:
        from tui.playback import play

        try:
            play(self.session.read_span(start, end))
        except KvaleError as exc:  # no sound card, no recording: said, never silent
            self.app.call_from_thread(
                self.notify, error_text(exc)[1], title=_("Cannot play"), severity="error", timeout=8
            )

    def action_edit(self) -> None:
        index = self._selected()
        if index is None:
            return

        def save(text: str | None) -> None:
            if text and text.strip() and index is not None:
                if text.strip() == self.passages[index].text:
                    return
                self.undo_steps.append((index, list(self.passages)))
                self.passages[index] = replace(self.passages[index], text=text.strip())
                self.session.project.set_passages(self.session.interview_id, self.passages)
                self._fill()
                self.query_one(DataTable).move_cursor(row=self._cursor_of("p", index))

        self.app.push_screen(TextDialog(_("Correct the text"), self.passages[index].text), save)

    def action_undo(self) -> None:
        """Put back the text as it was before the last correction (saved at once)."""
        if not self.undo_steps:
            self.notify(_("Nothing to undo: no text was corrected here."), timeout=3)
            return
        index, before = self.undo_steps.pop()
        self.passages = before
        self.session.project.set_passages(self.session.interview_id, self.passages)
        self._fill()
        self.query_one(DataTable).move_cursor(row=self._cursor_of("p", index))
        self.notify(_("Correction undone."), timeout=3)

    def action_next_low(self) -> None:
        """Move to the next passage tagged with low confidence (or untagged), wrapping."""
        here = self._selected()
        start = 0 if here is None else here + 1
        n = len(self.passages)
        for k in range(n):
            i = (start + k) % n
            p = self.passages[i]
            if p.primary is None or p.primary.confidence < LOW:
                if i == here:
                    break
                self.query_one(DataTable).move_cursor(row=self._cursor_of("p", i))
                return
        self.notify(_("No other low-confidence passage."), timeout=2)

    @property
    def empty(self) -> bool:
        """No words: there is nothing to confirm, and the recording must stay."""
        return not any(p.text.strip() for p in self.passages)

    @property
    def held(self) -> bool:
        """The project holds this interview's recording (an imported one it never does)."""
        holds = getattr(self.session.project, "holds_recording", None)
        return holds is None or bool(holds(self.session.interview_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # not offered with an empty transcript (deleting would lose the only copy), nor
        # where there is no recording in the project to delete
        return not (action == "delete" and (self.empty or self.deleted or not self.held))

    def action_delete(self) -> None:
        if self.deleted:
            return
        if not self.held:
            from store.lifecycle import NO_COPY

            self.notify(_(NO_COPY), timeout=8)
            return
        if self.empty:
            self.notify(
                _(
                    "The transcript is empty, so the recording is kept. Transcribe it again "
                    "from the home screen (t)."
                ),
                severity="warning",
            )
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.delete_recording()

        self.app.push_screen(
            ConfirmDialog(
                _(
                    "The transcript is right? {guarantee} A deletion record is kept (what, "
                    "when, size, hash; no content)."
                ).format(guarantee=_(_guarantee(self.session.project))),
                yes=_("Confirm and delete"),
                no=_("Not yet"),
            ),
            answer,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="delete")
    def delete_recording(self) -> None:
        record = self.session.confirm_and_delete()
        self.post_message(self.RecordingDeleted(record))

    def on_confirm_screen_recording_deleted(self, message: RecordingDeleted) -> None:
        self.deleted = True
        self.notify(_("Recording deleted. The deletion record is in the project."), timeout=5)

    def action_home(self) -> None:
        self.app.pop_screen()


def _guarantee(project: object) -> str:
    """The honest deletion sentence (`store.lifecycle.deletion_guarantee`)."""
    from store import lifecycle
    from store.project import Project

    if isinstance(project, Project):
        return lifecycle.deletion_guarantee(project)
    return lifecycle.PLAIN_GUARANTEE
