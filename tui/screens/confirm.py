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
from tui.pipeline import InterviewSession
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.widgets.outline import clock

LOW = 0.5


class ConfirmScreen(Screen[None]):
    """The transcript with its tags; `D` confirms and deletes the recording."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play", "play passage"),
        Binding("e", "edit", "edit"),
        Binding("enter", "next_low", "next low-confidence", show=False),
        Binding("D", "delete", "confirm and delete recording"),
        Binding("escape", "home", "home (keep recording)"),
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

    def compose(self) -> ComposeResult:
        yield Static(id="confirm-title", classes="screen-title")
        yield DataTable(id="passages", cursor_type="row", zebra_stripes=True)
        yield Static(id="passage-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Question", width=16, key="q")
        table.add_column("Time", width=8, key="t")
        table.add_column("Text", key="text")
        self._fill()
        table.focus()
        if self.deleted:
            self.notify("The recording was deleted after transcription (project setting).")

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        guide = self.session.guide
        low = 0
        words = 0
        for i, p in enumerate(self.passages):
            words += len(p.text.split())
            tag = p.primary
            if tag is None:
                label = Text("untagged", "dim")
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
        self.query_one("#confirm-title", Static).update(
            f"Confirm {self.participant} ── {words} words · {clock(length)} · "
            f"{low} passage{'' if low == 1 else 's'} low confidence"
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the whole passage (the table cuts long text) with its tag."""
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#passage-detail", Static)
        if not 0 <= index < len(self.passages):
            detail.update("")
            return
        p = self.passages[index]
        head = Text(f"{clock(p.start)}–{clock(p.end)}  ", "dim")
        if p.primary is None:
            head.append("untagged", "dim")
        else:
            try:
                qtext = self.session.guide.question(p.primary.question_id).text
            except KeyError:
                qtext = ""
            head.append(f"{p.primary.question_id} {qtext}", "bold")
            head.append(f"  ({p.primary.source.value}, {p.primary.confidence:.2f})", "dim")
        body = Text()
        if p.words:
            for i, w in enumerate(p.words):
                body.append(" " if i else "")
                body.append(w.text, "bold yellow" if w.probability < LOW else "")
        else:
            body.append(p.text)
        detail.update(Text.assemble(head, "\n", body))

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.passages else None

    def action_play(self) -> None:
        index = self._selected()
        if index is None or self.deleted:
            self.notify("The recording is deleted; there is nothing to play.")
            return
        self.play(self.passages[index].start, self.passages[index].end)

    @work(thread=True, exclusive=True, exit_on_error=False, group="play")
    def play(self, start: float, end: float) -> None:
        from tui.playback import play

        play(self.session.read_span(start, end))

    def action_edit(self) -> None:
        index = self._selected()
        if index is None:
            return

        def save(text: str | None) -> None:
            if text and text.strip() and index is not None:
                self.passages[index] = replace(self.passages[index], text=text.strip())
                self.session.project.set_passages(self.session.interview_id, self.passages)
                self._fill()
                self.query_one(DataTable).move_cursor(row=index)

        self.app.push_screen(TextDialog("Correct the text", self.passages[index].text), save)

    def action_next_low(self) -> None:
        start = (self._selected() or 0) + 1
        for i in range(start, len(self.passages)):
            p = self.passages[i]
            if p.primary is None or p.primary.confidence < LOW:
                self.query_one(DataTable).move_cursor(row=i)
                return
        self.notify("No more low-confidence passages.", timeout=2)

    @property
    def empty(self) -> bool:
        """No words: there is nothing to confirm, and the recording must stay."""
        return not any(p.text.strip() for p in self.passages)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # not offered with an empty transcript: deleting would lose the only copy
        return not (action == "delete" and (self.empty or self.deleted))

    def action_delete(self) -> None:
        if self.deleted:
            return
        if self.empty:
            self.notify(
                "The transcript is empty, so the recording is kept. Transcribe it again "
                "from the home screen (t).",
                severity="warning",
            )
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.delete_recording()

        self.app.push_screen(
            ConfirmDialog(
                "The transcript is right? This deletes every byte of the recording and "
                "keeps a deletion record (what, when, size, hash).",
                yes="Confirm and delete",
                no="Not yet",
            ),
            answer,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="delete")
    def delete_recording(self) -> None:
        record = self.session.confirm_and_delete()
        self.post_message(self.RecordingDeleted(record))

    def on_confirm_screen_recording_deleted(self, message: RecordingDeleted) -> None:
        self.deleted = True
        self.notify("Recording deleted. The deletion record is in the project.", timeout=5)

    def action_home(self) -> None:
        self.app.pop_screen()
