"""The kvale Textual app: home, new interview, conduct, processing, confirm.

`tui.launch.run_app` is what `kvale` (tui/cli.py) calls. The screens coordinate through
messages that the app handles here; the interview itself lives in a headless
`tui.session.InterviewSession`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from guide.bundled import load_bundled
from guide.model import Guide
from kvale_errors import AudioError, KvaleError
from tui.app_support import MemoryLog, start_resource_tracker
from tui.i18n import (
    N_,
    _,
    error_text,
    set_language,
    translate_bindings,
    use_project_language,
)
from tui.palette import KvaleCommands
from tui.palette_actions import PaletteActions
from tui.people import DEFAULT_PEOPLE
from tui.screens.conduct import ConductScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.dialogs import ConfirmDialog, ErrorDialog
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.new_interview import PROJECT_PREFIX, NewInterview, NewInterviewScreen
from tui.screens.processing import ProcessingScreen
from tui.session import InterviewSession, suggest_participant_code

if TYPE_CHECKING:
    from store import Project

log = logging.getLogger(__name__)


#: key names the footer spells out (the others are symbols or letters)
KEY_NAMES = {"space": N_("space")}


class KvaleApp(PaletteActions):
    """The app over one project.

    Args:
        project: an open `store.Project`.
        engine: transcription engine name.
        model: model name or path.
        live: transcribe while the interview runs.
        source_factory: makes the audio source for a new interview (None: the microphone;
            the demo and tests pass an `audio.capture.FileSource`).
        clock: monotonic clock handed to sessions (tests freeze it; None: the recording's).
        mic_check: open the microphone on the new-interview screen for the level meter.
        check_interrupted: offer to resume interrupted interviews at start.
        language: the researcher's own language (`tui.settings.Settings.language`), the
            UI's when the project has no language setting (`tui.i18n.project_language`).
    """

    CSS_PATH = Path(__file__).parent / "kvale.tcss"
    TITLE = "kvale"
    COMMANDS = App.COMMANDS | {KvaleCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", N_("Help")),
        # not in the footers (no room at 80 columns; the help screen lists it)
        Binding("ctrl+q", "quit", N_("Quit"), show=False),
    ]

    def __init__(
        self,
        project: Project,
        *,
        engine: str = "auto",
        model: str = "base",
        live: bool = True,
        source_factory: Callable[[], Any] | None = None,
        clock: Callable[[], float] | None = None,
        mic_check: bool = True,
        check_interrupted: bool = True,
        live_settings: Any = None,
        language: str | None = None,
    ) -> None:
        super().__init__()
        start_resource_tracker()
        self.project = project
        #: the UI's language: the project's setting, else ``language`` (the researcher's)
        self.language = use_project_language(project, language)
        translate_bindings(self)
        self.engine = engine
        self.model = model
        self.live = live
        self.source_factory = source_factory
        self.clock = clock
        self.mic_check = mic_check
        self.check_interrupted = check_interrupted
        self.live_settings = live_settings
        self.session: InterviewSession | None = None
        self.participant = ""
        #: the last log lines (shown nowhere on the terminal while the app runs)
        self.recent_log: list[str] = []

    # --- start -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self._quiet_terminal_logs()
        self.open_first_screen()

    def _quiet_terminal_logs(self) -> None:
        """While the app draws the terminal, log records must not be printed over it: the
        handlers writing to stdout/stderr are set aside (back on unmount) and the records
        kept in `recent_log` (in memory, never a file: paths only, no participant's words)."""
        root = logging.getLogger()
        # a plain StreamHandler writes to a terminal stream (files use FileHandler)
        self._set_aside = [h for h in root.handlers if type(h) is logging.StreamHandler]
        for handler in self._set_aside:
            root.removeHandler(handler)
        self._memory_log = MemoryLog(self.recent_log)
        root.addHandler(self._memory_log)

    def open_first_screen(self) -> None:
        """Home, then the resume offer (subclasses override this, not ``on_mount``)."""
        self.push_screen(HomeScreen(self.project))
        for sentence in self.project.recovered:
            self.notify(sentence, title=_("Interrupted work"), timeout=30)
        if self.check_interrupted:
            self.offer_resume()

    def offer_resume(self) -> None:
        """If an interview was cut off (quit or crash), offer to go on where it was."""
        interrupted = self.project.interrupted_interviews()
        if not interrupted:
            return
        iid, who = interrupted[0].id, interrupted[0].participant

        def answer(yes: bool | None) -> None:
            if yes:
                self.resume_interview(iid, who)

        self.push_screen(
            ConfirmDialog(
                _(
                    "The interview with {who} was interrupted. Resume it where it was? "
                    "The recording so far is recovered and the markers are kept."
                ).format(who=who),
                yes=_("Resume"),
                no=_("Not now"),
            ),
            answer,
        )

    def resume_interview(self, interview_id: str, participant: str) -> None:
        try:
            session = InterviewSession.resume_interrupted(
                self.project,
                interview_id,
                engine=self.engine,
                model=self.model,
                live=self.live,
                clock=self.clock,
                live_settings=self.live_settings,
            )
            session.start(self.source_factory() if self.source_factory else None)
        except KvaleError as exc:
            self.show_error(exc)
            return
        self.begin_conduct(session, participant)

    def get_screen(self, screen: Any, screen_class: Any = None) -> Any:
        """Every screen the app shows passes here first (push, switch, modes): its key
        bindings are translated into the UI's language once, before it is drawn."""
        found = super().get_screen(screen, screen_class)
        if not getattr(found, "_kvale_translated", False):
            translate_bindings(found)
            found._kvale_translated = True
        return found

    def get_system_commands(self, screen: Any) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, quit, keys…), their titles and help in
        the UI's language. Not its screenshot: it writes the screen, a participant's
        words with it, to a file outside the project folder."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                continue
            yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the UI's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer shows it, its name in the UI's language ("space" is
        "mellomrom" in Norwegian)."""
        shown = super().get_key_display(binding)
        return _(KEY_NAMES[shown]) if shown in KEY_NAMES else shown

    def set_ui_language(self, language: str | None) -> None:
        """Speak ``language`` from now on (screens shown from now on, and the app's keys)."""
        self.language = set_language(language)
        translate_bindings(self)
        self.refresh_bindings()

    # --- errors ----------------------------------------------------------------------

    def show_error(self, error: BaseException, retry: Callable[[], None] | None = None) -> None:
        """A `KvaleError` as a dialog; anything else as a short generic sentence.

        With ``retry``, the dialog offers ``r`` (try again), which calls it.
        """
        if isinstance(error, KvaleError):

            def answer(again: bool | None) -> None:
                if again and retry is not None:
                    retry()

            self.push_screen(ErrorDialog(*error_text(error), retry=retry is not None), answer)
        else:
            log.error("unexpected error", exc_info=error)
            self.push_screen(
                ErrorDialog(
                    _("Something went wrong"),
                    _(
                        "kvale hit an unexpected problem ({problem}). "
                        "Your markers are saved; please report this with the log."
                    ).format(problem=f"{type(error).__name__}: {error}"),
                )
            )

    def _handle_exception(self, error: Exception) -> None:
        # A KvaleError from a key handler is the researcher's business, not a crash.
        if isinstance(error, KvaleError):
            self.show_error(error)
            return
        super()._handle_exception(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)

    # --- flow ------------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def on_home_screen_new_interview_requested(self) -> None:
        from tui.project_adapter import participant_codes

        code = suggest_participant_code(participant_codes(self.project))
        self.push_screen(
            NewInterviewScreen(
                code, mic_check=self.mic_check, model=self.model, project_dir=self.project.path
            ),
            self.start_interview,
        )

    def start_interview(self, choice: NewInterview | None) -> None:
        if choice is None:
            return
        from tui.project_adapter import record_consent

        try:
            guide = self.load_guide(choice.guide_name)
            # all or nothing: a start that fails (no microphone) leaves no ghost interview
            # and does not use up the participant code
            with self.project.operation("start", participant=choice.participant):
                record_consent(
                    self.project,
                    choice.participant,
                    takes_part=choice.takes_part,
                    audio=choice.audio_consent,
                    date=choice.consent_date,
                )
                session = self.new_session(
                    guide, choice.participant, choice.language, choice.people
                )
                self._default_project_language(choice.language or guide.language)
                try:
                    source = self.source_factory() if self.source_factory else None
                    session.start(source, choice.device, choice.channels)
                except BaseException:
                    with contextlib.suppress(Exception):  # the start's own error matters
                        session.close()
                    raise
        except AudioError as exc:  # no microphone: plug one in, press r
            self.show_error(exc, retry=lambda: self.start_interview(choice))
            return
        except KvaleError as exc:
            self.show_error(exc)
            return
        self.begin_conduct(session, choice.participant)

    def _default_project_language(self, language: str | None) -> None:
        """A project without a language setting takes its first interview's (which the
        form defaults from the guide's), and the UI speaks it from then on."""
        if self.project.settings.language or not language:
            return
        self.project.update_settings(language=language)
        self.set_ui_language(language)

    def load_guide(self, name: str) -> Guide:
        """A guide chosen in the new-interview form: the project's own or a bundled one."""
        if name.startswith(PROJECT_PREFIX):
            from store.guides import load_project_guide

            return load_project_guide(self.project.path, name[len(PROJECT_PREFIX) :])
        return load_bundled(name)

    def new_session(
        self, guide: Guide, participant: str, language: str | None, people: int = DEFAULT_PEOPLE
    ) -> InterviewSession:
        return InterviewSession.new(
            self.project,
            guide,
            participant,
            language,
            people,
            engine=self.engine,
            model=self.model,
            live=self.live,
            clock=self.clock,
            live_settings=self.live_settings,
        )

    def begin_conduct(self, session: InterviewSession, participant: str) -> None:
        self.session = session
        self.participant = participant
        self.push_screen(ConductScreen(session, participant=participant))

    def on_conduct_screen_stopped(self, message: ConductScreen.Stopped) -> None:
        self.switch_screen(ProcessingScreen(message.session, participant=self.participant))

    def on_processing_screen_cancelled(self, message: ProcessingScreen.Cancelled) -> None:
        self.session = None
        self.pop_screen()  # back to the home screen, which lists it as kept
        self.notify(
            _(
                "Transcription stopped. The recording is kept: select the interview and "
                "press t to transcribe it again."
            ),
            timeout=10,
        )

    def on_home_screen_kept_recording(self, message: HomeScreen.KeptRecording) -> None:
        """Transcribe a kept recording again, or open it to confirm and delete it."""
        try:
            session = InterviewSession.reopen(
                self.project,
                message.interview_id,
                engine=self.engine,
                model=self.model,
                live=False,
            )
            self.participant = self.project.interview(message.interview_id).participant
        except KvaleError as exc:
            self.show_error(exc)
            return
        self.session = session
        if message.action == "transcribe":
            self.push_screen(ProcessingScreen(session, participant=self.participant))
            return
        passages = self.project.interview(message.interview_id).passages
        if not any(p.text.strip() for p in passages):
            self.notify(
                _("This interview has no transcript yet: press t to transcribe its recording."),
                severity="warning",
            )
            return
        self.push_screen(ConfirmScreen(session, passages, participant=self.participant))

    def on_processing_screen_done(self, message: ProcessingScreen.Done) -> None:
        self.switch_screen(
            ConfirmScreen(message.session, message.passages, participant=self.participant)
        )

    def on_confirm_screen_recording_deleted(self, message: ConfirmScreen.RecordingDeleted) -> None:
        self.session = None

    def on_unmount(self) -> None:
        # Quitting mid-interview keeps the files and markers: the next start offers resume.
        if self.session is not None:
            self.session.close()
        root = logging.getLogger()
        root.removeHandler(getattr(self, "_memory_log", logging.NullHandler()))
        for handler in getattr(self, "_set_aside", []):
            root.addHandler(handler)
