"""New interview: guide, language, participant code, consent, microphone check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from guide.bundled import bundled_guides
from tui.i18n import N_, _, error_text
from tui.people import DEFAULT_PEOPLE, parse_people
from tui.widgets.level_meter import LevelMeter

#: the value of a guide from the project's ``guides/`` folder in the guide list
PROJECT_PREFIX = "project:"

#: each language in its own name (a researcher finds their own language in any UI)
LANGUAGES = [("English", "en"), ("Norsk bokmål", "nb"), ("Nynorsk", "nn"), (N_("Detect"), "")]


@dataclass(frozen=True)
class NewInterview:
    """What the researcher chose; returned by `NewInterviewScreen`."""

    guide_name: str
    language: str | None
    participant: str
    takes_part: bool
    audio_consent: bool
    consent_date: dt.date
    device: str | None
    people: int = DEFAULT_PEOPLE  # in the interview, the interviewer included
    channels: int = 1  # 2: one microphone per person, a channel each


class MicrophoneCheck:
    """A short-lived input stream that keeps the last peak, for the meter."""

    def __init__(self, device: str | None) -> None:
        self.device = device
        self.level_db = -60.0
        self.error: str | None = None
        self._stream: Any = None

    def start(self) -> None:
        try:
            import numpy as np
            import sounddevice as sd

            def callback(indata: Any, frames: int, time: Any, status: Any) -> None:
                peak = float(np.max(np.abs(indata))) if len(indata) else 0.0
                self.level_db = 20 * float(np.log10(max(peak, 1e-6)))

            self._stream = sd.InputStream(
                device=self.device or None, channels=1, samplerate=16000, callback=callback
            )
            self._stream.start()
        except Exception as exc:  # PortAudio raises many kinds; shown to the researcher
            self.error = _("microphone cannot be opened ({problem})").format(problem=exc)

    def status(self) -> dict[str, Any]:
        return {"level_dbfs": self.level_db, "error": self.error}

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None


def device_channels(device: str | None) -> int:
    """Input channels of the device chosen (None: the system default); 0 when PortAudio
    has no such device or is missing."""
    try:
        from audio.devices import resolve_device

        return resolve_device(device).channels
    except Exception:  # no PortAudio, no microphone, a name not found: none offered
        return 0


def input_devices() -> list[str]:
    """Names of the input devices PortAudio sees (empty if none or PortAudio is missing)."""
    try:
        from audio.capture import list_input_devices

        return [str(getattr(d, "name", d)) for d in list_input_devices()]
    except Exception:  # no PortAudio, no capture module: the default device is offered
        return []


class NewInterviewScreen(ModalScreen[NewInterview | None]):
    """Choose guide and language, the participant's code and record consent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "start", N_("Start")),
    ]

    def __init__(
        self,
        suggested_code: str,
        *,
        default_guide: str = "nav-trivsel-nb",
        devices: Sequence[str] | None = None,
        mic_check: bool = True,
        model: str | None = None,
        project_dir: Path | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.model = model
        self.advice: Any = None  # tui.model_advice.ModelAdvice once computed
        self.project_dir = project_dir
        self.today = today or dt.date.today()
        self.guides: list[tuple[str, str, str | None]] = []
        self.suggested_code = suggested_code
        self.default_guide = default_guide
        self.devices = list(devices) if devices is not None else None
        self.mic_check = mic_check
        self._check: MicrophoneCheck | None = None

    def guide_options(self) -> list[tuple[str, str, str | None]]:
        """(label, value, language) of every guide offered: the project's own first
        (value "project:<name>"), then the bundled ones (value: the bundled name)."""
        options: list[tuple[str, str, str | None]] = []
        if self.project_dir is not None:
            from store.guides import project_guides

            for g in project_guides(self.project_dir):
                if g.guide is not None:  # a broken file is not offered (guide check says why)
                    mine = _("project")
                    label = f"{g.title} ({g.language or '?'}) · {mine}"
                    options.append((label, f"{PROJECT_PREFIX}{g.name}", g.language))
        for b in bundled_guides():
            options.append((f"{b.title} ({b.language})", b.name, b.language))
        return options

    def compose(self) -> ComposeResult:
        self.guides = self.guide_options()
        values = [v for _label, v, _lang in self.guides]
        own = [v for v in values if v.startswith(PROJECT_PREFIX)]
        default = (
            own[0] if own else self.default_guide if self.default_guide in values else values[0]
        )
        codes = [code for _name, code in LANGUAGES]
        guide_language = next((lang for _l, v, lang in self.guides if v == default), None)
        # the interview's language starts as the guide's (the form's own rule)
        language = guide_language if guide_language in codes else "en"
        # one line per field (compact widgets): the whole form fits 80×24 without scrolling
        with VerticalScroll(classes="dialog form", id="new-interview"):
            yield Static(_("New interview"), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label(_("Guide"))
                yield Select(
                    [(label, value) for label, value, _lang in self.guides],
                    value=default,
                    allow_blank=False,
                    id="guide",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label(_("Language"))
                yield Select(
                    [(_(name) if not code else name, code) for name, code in LANGUAGES],
                    value=language,
                    allow_blank=False,
                    id="language",
                    compact=True,
                )
            yield Static("", id="model-advice")
            with Horizontal(classes="row"):
                yield Label(_("Participant code"))
                yield Input(value=self.suggested_code, id="participant", compact=True)
                yield Static(_("(such as I3 or Ø2, never a name)"), classes="hint")
            with Horizontal(classes="row"):
                yield Label(_("Consent"))
                yield Checkbox(_("Takes part"), id="takes-part", compact=True)
                yield Checkbox(_("Audio recording allowed"), id="audio-consent", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Date of consent"))
                yield Input(value=self.today.isoformat(), id="consent-date", compact=True)
                # on the date's row: the whole form fits 80×24 without scrolling
                yield Label(_("People in the interview"), id="people-label")
                people = Input(value=str(DEFAULT_PEOPLE), id="people", compact=True)
                people.tooltip = _(
                    "The interviewer included: 2 for an individual interview, 3 for a "
                    "couple, 4-6 for a small group. Who is speaking is found with it."
                )
                yield people
            devices = self.devices if self.devices is not None else input_devices()
            with Horizontal(classes="row"):
                yield Label(_("Microphone"))
                yield Select(
                    [(_("System default"), ""), *((d, d) for d in devices)],
                    value="",
                    allow_blank=False,
                    id="device",
                    compact=True,
                )
                split = Checkbox(_("One microphone per person"), id="two-channels", compact=True)
                split.tooltip = _(
                    "Record two channels, one person on each (a headset each, a stereo "
                    "recorder with a microphone per person, a call recorded per side): who "
                    "is speaking is then found from the channels. A laptop's built-in "
                    "stereo microphone is not this."
                )
                split.display = device_channels(None) >= 2
                yield split
            with Horizontal(classes="row"):
                yield Label(_("Level"))
                yield LevelMeter(self._level, id="mic-meter")
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    _("Start recording (ctrl+s)"), variant="success", id="start", compact=True
                )
                yield Button(_("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#participant", Input).focus()
        if self.mic_check:
            self._restart_check(None)
        self._advise()

    def _advise(self) -> None:
        """Show the model's speed here and the recommendation (worked out off the UI thread)."""
        if self.model is None:
            return
        model = self.model
        language = str(self.query_one("#language", Select).value) or None

        def work() -> None:
            from tui.model_advice import model_advice

            advice = model_advice(model, language)
            self.app.call_from_thread(self._show_advice, advice)

        self.run_worker(work, thread=True, group="model-advice", exclusive=True)

    def _show_advice(self, advice: Any) -> None:
        self.advice = advice
        widget = self.query_one("#model-advice", Static)
        # one line on the form (it must fit 80x24); the whole advice, with the
        # recommendation, in its tooltip, and the warning again when Start is pressed
        widget.update(advice.text)
        widget.tooltip = advice.text
        widget.set_class(advice.too_slow, "warning")

    def _level(self) -> Any:
        return self._check.status() if self._check else None

    def _restart_check(self, device: str | None) -> None:
        if self._check is not None:
            self._check.stop()
        self._check = MicrophoneCheck(device)
        self._check.start()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "guide":
            lang = next((g for _label, v, g in self.guides if v == event.value), None)
            lang = {"no": "nb", "nob": "nb", "nno": "nn"}.get(lang or "", lang)  # Whisper's "no"
            if lang and lang in {code for _name, code in LANGUAGES}:
                self.query_one("#language", Select).value = lang
        elif event.select.id == "language":
            self._advise()
        elif event.select.id == "device":
            device = str(event.value) or None
            # offered only where the device has two input channels to record
            self.query_one("#two-channels", Checkbox).display = device_channels(device) >= 2
            if self.mic_check:
                self._restart_check(device)

    def on_unmount(self) -> None:
        if self._check is not None:
            self._check.stop()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_cancel()

    def _error(self, sentence: str) -> None:
        self.query_one("#form-error", Static).update(sentence)
        self.notify(sentence, title=_("Cannot start yet"), severity="error")

    def action_start(self) -> None:
        code = self.query_one("#participant", Input).value.strip()
        if not code:
            self._error(_("Give the participant a code such as I1 (no names needed)."))
            return
        from kvale_errors import KvaleError
        from store.privacy import check_pseudonym

        try:
            check_pseudonym(code)
        except KvaleError as exc:
            self._error(exc.sentence)
            return
        if not self.query_one("#takes-part", Checkbox).value:
            self._error(_("Tick 'Takes part in the interview' once the consent form is signed."))
            return
        if not self.query_one("#audio-consent", Checkbox).value:
            self._error(
                _(
                    "Recording cannot start without consent to audio recording. Tick "
                    "'Audio recording allowed' if the consent form says so."
                )
            )
            return
        raw_date = self.query_one("#consent-date", Input).value.strip()
        try:
            date = dt.date.fromisoformat(raw_date)
        except ValueError:
            self._error(
                _("'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2023-03-13.").format(
                    text=raw_date
                )
            )
            return
        try:
            people = parse_people(self.query_one("#people", Input).value)
        except KvaleError as exc:
            self._error(error_text(exc)[1])
            return
        language = str(self.query_one("#language", Select).value) or None
        device = str(self.query_one("#device", Select).value) or None
        split = self.query_one("#two-channels", Checkbox)
        if self.advice is not None and self.advice.warning:
            self.notify(
                self.advice.warning, title="The model cannot keep up live", severity="warning"
            )
        self.dismiss(
            NewInterview(
                guide_name=str(self.query_one("#guide", Select).value),
                language=language,
                participant=code,
                takes_part=True,
                audio_consent=True,
                consent_date=date,
                device=device,
                people=people,
                channels=2 if split.display and split.value else 1,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
