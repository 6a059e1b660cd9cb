"""New interview: guide, language, participant code, consent, microphone check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from guide.bundled import bundled_guides
from tui.i18n import N_, _
from tui.widgets.level_meter import LevelMeter

#: each language in its own name (a researcher finds their own language in any UI)
LANGUAGES = [("English", "en"), ("Norsk bokmål", "nb"), ("Norsk nynorsk", "nn"), (N_("Detect"), "")]


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
    ) -> None:
        super().__init__()
        self.suggested_code = suggested_code
        self.default_guide = default_guide
        self.devices = list(devices) if devices is not None else None
        self.mic_check = mic_check
        self._check: MicrophoneCheck | None = None

    def compose(self) -> ComposeResult:
        guides = bundled_guides()
        names = [g.name for g in guides]
        chosen = self.default_guide if self.default_guide in names else names[0]
        codes = [code for _name, code in LANGUAGES]
        guide_language = next((g.language for g in guides if g.name == chosen), None)
        # the interview's language starts as the guide's (the form's own rule)
        language = guide_language if guide_language in codes else "en"
        with VerticalScroll(classes="dialog form", id="new-interview"):
            yield Static(_("New interview"), classes="dialog-title")
            yield Label(_("Guide"))
            yield Select(
                [(f"{g.title} ({g.language})", g.name) for g in guides],
                value=chosen,
                allow_blank=False,
                id="guide",
            )
            yield Label(_("Language of the interview"))
            yield Select(
                [(_(name) if not code else name, code) for name, code in LANGUAGES],
                value=language,
                allow_blank=False,
                id="language",
            )
            yield Label(_("Participant code (no names)"))
            yield Input(value=self.suggested_code, id="participant")
            yield Static(_("Consent (from the signed consent form)"), classes="section")
            yield Checkbox(_("Takes part in the interview"), id="takes-part")
            yield Checkbox(_("Audio recording allowed"), id="audio-consent")
            yield Label(_("Date of consent"))
            yield Input(value=dt.date.today().isoformat(), id="consent-date")
            yield Static(_("Microphone"), classes="section")
            devices = self.devices if self.devices is not None else input_devices()
            yield Select(
                [(_("System default"), ""), *((d, d) for d in devices)],
                value="",
                allow_blank=False,
                id="device",
            )
            yield LevelMeter(self._level, id="mic-meter")
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Start recording"), variant="success", id="start")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#participant", Input).focus()
        if self.mic_check:
            self._restart_check(None)

    def _level(self) -> Any:
        return self._check.status() if self._check else None

    def _restart_check(self, device: str | None) -> None:
        if self._check is not None:
            self._check.stop()
        self._check = MicrophoneCheck(device)
        self._check.start()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "guide":
            lang = next((g.language for g in bundled_guides() if g.name == event.value), None)
            if lang:
                self.query_one("#language", Select).value = lang
        elif event.select.id == "device" and self.mic_check:
            self._restart_check(str(event.value) or None)

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
        language = str(self.query_one("#language", Select).value) or None
        device = str(self.query_one("#device", Select).value) or None
        self.dismiss(
            NewInterview(
                guide_name=str(self.query_one("#guide", Select).value),
                language=language,
                participant=code,
                takes_part=True,
                audio_consent=True,
                consent_date=date,
                device=device,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
