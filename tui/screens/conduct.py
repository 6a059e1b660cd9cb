"""Conduct: the interview itself. Keyboard-first, readable at a glance across a table."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from kvale_errors import KvaleError
from tui.i18n import N_, _, error_text
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.session import InterviewSession
from tui.widgets.level_meter import LevelMeter
from tui.widgets.outline import GuideOutline, clock
from tui.widgets.question import QuestionPanel
from tui.widgets.transcript_tail import TranscriptTail

FLASH_SECONDS = 3.0  # how long "★ bookmark 12:34" stays in the top line


class ConductScreen(Screen[None]):
    """Walks the interviewer through the guide while recording.

    Every key is a marker, saved by the session at once. No dialog interrupts the
    recording: notes and the stop confirmation are small overlays while it runs on.

    Args:
        session: the started `InterviewSession`.
        refresh_hz: how often elapsed time and section times are redrawn (0 in
            snapshot tests, so nothing moves).
        meter_hz: level meter polling rate (0 freezes it).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # short labels: all ten fit an 80-column footer (the help screen says more)
        Binding("n", "next", N_("next"), tooltip=N_("next question")),
        Binding("p", "previous", N_("prev"), tooltip=N_("previous question")),
        Binding("j", "jump", N_("jump"), tooltip=N_("jump to a question")),
        Binding("k", "probe", N_("probe"), tooltip=N_("mark the next probe asked")),
        Binding("s", "skip", N_("skip"), tooltip=N_("skip this question")),
        Binding("b", "bookmark", N_("bookmark"), tooltip=N_("bookmark this moment")),
        Binding("m", "note", N_("note"), tooltip=N_("write a timestamped note")),
        Binding("r", "pause", N_("pause"), tooltip=N_("pause / resume recording")),
        Binding("x", "redact", N_("redact"), tooltip=N_("add a name to the redaction list")),
        Binding("q", "stop", N_("stop"), tooltip=N_("stop the interview (asks first)")),
        Binding("question_mark", "app.help", N_("help"), show=False),
    ]

    class Stopped(Message):
        """The interviewer confirmed the stop; recording has ended."""

        def __init__(self, session: InterviewSession) -> None:
            super().__init__()
            self.session = session

    def __init__(
        self,
        session: InterviewSession,
        *,
        participant: str = "",
        refresh_hz: float = 4.0,
        meter_hz: float = 10.0,
    ) -> None:
        super().__init__()
        self.session = session
        self.participant = participant
        self.refresh_hz = refresh_hz
        self.meter_hz = meter_hz
        self._tail_key: tuple[Any, ...] = ()
        self._failure_shown = False
        self._flash_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="conduct-top"):
            yield Static(id="conduct-title")
            yield Static(id="flash")
            yield Static(id="rec-state")
            yield LevelMeter(self.session.status, rate_hz=self.meter_hz, id="meter")
        with Horizontal(id="conduct-body"):
            yield GuideOutline(self.session.guide, id="outline")
            with Vertical(id="conduct-main"):
                yield QuestionPanel(id="question-panel")
                yield TranscriptTail(id="tail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        g = self.session.guide
        lang = self.session.language or g.language or "?"
        self.query_one("#conduct-title", Static).update(
            f"kvale · {self.participant} · {g.title} ({lang})"
        )
        self.redraw()
        self.query_one("#outline").can_focus = True
        if self.refresh_hz > 0:
            self.set_interval(1 / self.refresh_hz, self._tick)

    # --- drawing ---------------------------------------------------------------------

    @property
    def failure(self) -> KvaleError | None:
        """Why the recorder stopped by itself (a full disk, a lost microphone), if it did."""
        recorder = self.session.recorder
        error = getattr(recorder, "error", None) if recorder is not None else None
        return error if isinstance(error, KvaleError) else None

    def _tick(self) -> None:
        self._show_failure()
        self._draw_state()
        self._draw_outline()
        self._draw_tail()

    def redraw(self) -> None:
        """Redraw everything from the session."""
        self._draw_state()
        self._draw_outline()
        self._draw_question()
        self._draw_tail(force=True)

    def _draw_state(self) -> None:
        s = self.session
        failed = self.failure is not None
        if failed and not s.stopped:
            state = _("■ RECORDING STOPPED")
        elif s.stopped:
            state = _("■ STOPPED")
        elif s.paused:
            state = _("‖ PAUSED")
        elif s.started:
            state = _("● REC")
        else:
            state = _("○ not recording")
        widget = self.query_one("#rec-state", Static)
        widget.update(f"{state} {clock(s.elapsed())}")
        widget.set_class(s.paused, "-paused")
        widget.set_class(s.started and not s.paused and not s.stopped and not failed, "-recording")

    def _draw_outline(self) -> None:
        s = self.session
        status = {
            qid: "asked" if c.asked else "skipped" if c.skipped else ""
            for qid, c in s.coverage.items()
        }
        self.query_one(GuideOutline).refresh_marks(s.current_id, status, s.section_time)

    def _draw_question(self) -> None:
        s = self.session
        panel = self.query_one(QuestionPanel)
        q = s.current
        if q is None:
            panel.show_intro(s.guide.intro)
        else:
            panel.show(q, s.coverage[q.id].probes, q.description if q.is_section else "")

    def _draw_tail(self, force: bool = False) -> None:
        segments = self.session.live_segments()
        provisional = self.session.live_provisional()
        key = (len(segments), tuple((p.start, p.text) for p in provisional))
        if force or key != self._tail_key:
            self._tail_key = key
            self.query_one(TranscriptTail).show(
                segments, self.session.transcriber is not None, provisional
            )

    def _after_move(self) -> None:
        self._draw_question()
        self._draw_outline()
        self._draw_state()

    # --- actions -------------------------------------------------------------------

    def action_next(self) -> None:
        if self.session.next() is None and self.session.current is not None:
            self.notify(_("This is the last question. Press q to stop the interview."))
        self._after_move()

    def action_previous(self) -> None:
        self.session.previous()
        self._after_move()

    def action_skip(self) -> None:
        self.session.skip()
        self._after_move()

    def action_probe(self) -> None:
        if self.session.probe() is None:
            self.notify(_("No probe left to mark on this question."), timeout=2)
        self._after_move()

    def action_bookmark(self) -> None:
        marker = self.session.bookmark()
        # A one-line flash, not a toast: cheaper to paint and never covers the question;
        # it clears by itself after FLASH_SECONDS (a new bookmark restarts the wait).
        self.query_one("#flash", Static).update(
            _("★ bookmark {time}").format(time=clock(marker.time))
        )
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._clear_flash)

    def _clear_flash(self) -> None:
        self._flash_timer = None
        self.query_one("#flash", Static).update("")

    def action_pause(self) -> None:
        self.session.toggle_pause()
        self._draw_state()

    def action_jump(self) -> None:
        self.query_one(GuideOutline).focus()
        self.notify(_("Pick a question in the outline and press enter."), timeout=3)

    def on_guide_outline_question_selected(self, message: GuideOutline.QuestionSelected) -> None:
        self.session.jump(message.question_id)
        self._after_move()
        self.set_focus(None)

    def action_note(self) -> None:
        at = self.session.elapsed()

        def save(text: str | None) -> None:
            if text:
                self.session.mark("note", self.session.current_id, text=text)
                self.notify(_("Note saved at {time}").format(time=clock(at)), timeout=2)

        self.app.push_screen(
            TextDialog(_("Note at {time} (recording continues)").format(time=clock(at))), save
        )

    def action_redact(self) -> None:
        def save(name: str | None) -> None:
            if name and name.strip():
                from tui.project_adapter import add_redaction_name

                add_redaction_name(self.session.project, name.strip())
                self.notify(
                    _("'{name}' will be redacted in exports.").format(name=name.strip()),
                    timeout=2,
                )

        self.app.push_screen(TextDialog(_("Name to redact (recording continues)")), save)

    def _show_failure(self) -> None:
        """Once: the recorder stopped by itself. Say so, and how much was kept."""
        error = self.failure
        if error is None or self._failure_shown:
            return
        self._failure_shown = True
        self.notify(
            error_text(error)[1]
            + " "
            + _(
                "{time} of the interview is kept. "
                "Press q to end the interview and transcribe what was kept."
            ).format(time=clock(self.session.elapsed())),
            title=_("Recording stopped"),
            severity="error",
            timeout=60,
        )

    def action_stop(self) -> None:
        if self.failure is not None:  # nothing is running: no question, one stop
            self.stop_now()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.stop_now()

        self.app.push_screen(
            ConfirmDialog(
                _("Stop the interview? The recording keeps running until you say yes."),
                yes=_("Stop"),
                no=_("Keep going"),
            ),
            answer,
        )

    def stop_now(self) -> None:
        """Stop without asking (the demo's scripted end, or after the recorder failed)."""
        try:
            self.session.stop()
        except KvaleError as exc:  # raised once: what was recorded until then is kept
            self._failure_shown = True
            self.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error", timeout=30)
            self.session.stop()  # the second stop completes (the recorder returns its info)
        self._draw_state()
        self.post_message(self.Stopped(self.session))
