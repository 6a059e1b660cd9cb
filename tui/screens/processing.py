"""Processing: transcribe the rest and tag, with progress and ETA."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Label, ProgressBar, Static

from guide.transcript import Passage
from tui.i18n import N_, _
from tui.progress import Throughput
from tui.session import InterviewSession


def eta_text(eta: float | None) -> str:
    if eta is None:
        return _("ETA …")
    m, s = divmod(int(eta), 60)
    return _("ETA {time}").format(time=f"{m}:{s:02d}")


class ProcessingScreen(Screen[None]):
    """Runs `InterviewSession.process` in a worker; posts `Done` with the passages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("cancel (recording is kept)"))
    ]

    class Progressed(Message):
        """The pipeline reported progress."""

        def __init__(self, stage: str, fraction: float, eta: float | None) -> None:
            super().__init__()
            self.stage, self.fraction, self.eta = stage, fraction, eta

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ProcessingScreen.Progressed) and message.stage == self.stage

    class Cancelled(Message):
        """The researcher stopped processing: the recording is kept, to transcribe again."""

        def __init__(self, session: InterviewSession) -> None:
            super().__init__()
            self.session = session

    class Done(Message):
        """Transcription and tagging finished."""

        def __init__(self, session: InterviewSession, passages: list[Passage]) -> None:
            super().__init__()
            self.session, self.passages = session, passages

    transcribing: reactive[float] = reactive(0.0)
    tagging: reactive[float] = reactive(0.0)

    def __init__(
        self,
        session: InterviewSession,
        *,
        participant: str = "",
        run: bool = True,
        clock: Callable[[], float] = time.monotonic,
        tick_hz: float = 1.0,
    ):
        super().__init__()
        self.session = session
        self.participant = participant
        self.run = run
        self.cancel = threading.Event()
        self.clock = clock
        self.tick_hz = tick_hz
        #: measured throughput per stage; the ETA shown is computed from it every tick
        self.throughput = {"transcribing": Throughput(), "tagging": Throughput()}
        self.engine_eta: dict[str, float | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="processing"):
            yield Static(
                _("Processing {participant}").format(participant=self.participant),
                classes="screen-title",
            )
            with Horizontal(classes="stage"):
                yield Label(_("Transcribing"), classes="stage-label")
                yield ProgressBar(total=100, show_eta=False, id="transcribing")
                yield Label(_("waiting"), id="transcribing-eta", classes="stage-eta")
            with Horizontal(classes="stage"):
                yield Label(_("Tagging"), classes="stage-label")
                yield ProgressBar(total=100, show_eta=False, id="tagging")
                yield Label(_("waiting"), id="tagging-eta", classes="stage-eta")
            live = self.session.transcriber is not None
            yield Static(
                _("(the interview was transcribed while it ran; only the tail is left)")
                if live
                else _("(transcribing the whole recording now)"),
                classes="dim",
            )
        yield Footer()

    def on_mount(self) -> None:
        if self.tick_hz > 0:
            self.set_interval(1 / self.tick_hz, self.tick)
        if self.run:
            self.process()

    def tick(self) -> None:
        """Redraw each running stage's ETA from its measured throughput (every second)."""
        for stage, measured in self.throughput.items():
            if measured.samples and measured.fraction < 1:
                self._show_eta(stage)

    def eta_of(self, stage: str) -> float | None:
        """The ETA shown: measured throughput; the engine's own until there is a rate."""
        measured = self.throughput[stage].eta(self.clock())
        return measured if measured is not None else self.engine_eta.get(stage)

    def _show_eta(self, stage: str) -> None:
        self.query_one(f"#{stage}-eta", Label).update(eta_text(self.eta_of(stage)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="process")
    def process(self) -> None:
        def report(stage: str, fraction: float, eta: float | None) -> None:
            self.post_message(self.Progressed(stage, fraction, eta))

        passages = self.session.process(report, self.cancel)
        if self.cancel.is_set():
            # what was transcribed before the stop is not the interview's transcript: the
            # interview goes back to "recorded" (resumable from the home screen)
            self.session.project.set_status(self.session.interview_id, "recorded")
            self.post_message(self.Cancelled(self.session))
            return
        self.post_message(self.Done(self.session, passages))

    def on_processing_screen_progressed(self, message: Progressed) -> None:
        self.show_progress(message.stage, message.fraction, message.eta)

    def show_progress(self, stage: str, fraction: float, eta: float | None) -> None:
        self.throughput[stage].update(fraction, self.clock())
        self.engine_eta[stage] = eta
        self.query_one(f"#{stage}", ProgressBar).update(progress=round(fraction * 100))
        if fraction >= 1:
            self.query_one(f"#{stage}-eta", Label).update(_("done"))
        else:
            self._show_eta(stage)

    def action_cancel(self) -> None:
        self.cancel.set()
        self.notify(_("Stopping; the recording is kept so you can transcribe it later."))
