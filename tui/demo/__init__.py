"""`make demo`: the whole interview path on a bundled sample interview.

A throwaway project in a temp folder, the English NAV guide, the sample interview
(`sample-interview.flac`, a synthetic English interview) played through
`audio.capture.FileSource` instead of the microphone, and its scripted marker track
(`sample-interview.json`) pressing the keys at the right moments. It ends on the
confirm screen with the tagged transcript. The researcher can press keys throughout.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from guide.bundled import load_bundled
from guide.transcript import MarkerKind
from kvale_errors import KvaleError
from tui.app import KvaleApp
from tui.i18n import _
from tui.screens.conduct import ConductScreen

log = logging.getLogger(__name__)

GUIDE = "nav-trivsel-en"
PARTICIPANT = "I1"
SPEED = 3.0  # the sample plays three times faster than real time


@dataclass(frozen=True)
class ScriptedMarker:
    time: float  # seconds on the recording's timeline
    kind: MarkerKind
    question_id: str | None
    probe_id: str | None = None
    text: str = ""


def sample_files() -> tuple[Path, Path]:
    """The bundled sample interview and its marker track."""
    root = Path(str(resources.files(__name__)))
    audio, track = root / "sample-interview.flac", root / "sample-interview.json"
    if not audio.is_file() or not track.is_file():
        raise KvaleError(
            f"The demo's sample interview is missing ({audio.name} and {track.name} in "
            f"{root}). Reinstall kvale.",
            title="Demo not available",
        )
    return audio, track


def load_track(path: Path) -> list[ScriptedMarker]:
    """Read the marker track: a list of markers, or ``{"markers": [...]}``."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    items = raw.get("markers", []) if isinstance(raw, dict) else raw
    out = [
        ScriptedMarker(
            time=float(m["time"]),
            kind=MarkerKind(m["kind"]),
            question_id=m.get("question_id"),
            probe_id=m.get("probe_id"),
            text=m.get("text", ""),
        )
        for m in items
    ]
    return sorted(out, key=lambda m: m.time)


def audio_duration(path: Path) -> float:
    import soundfile as sf

    info = sf.info(str(path))
    return float(info.frames) / float(info.samplerate)


def file_source(path: Path, speed: float) -> Any:
    """An `audio.capture.FileSource` playing ``path`` at ``speed`` × real time."""
    from audio.capture import FileSource

    try:
        return FileSource(path, realtime=True, speed=speed)
    except TypeError:
        return FileSource(path, realtime=True)


class DemoApp(KvaleApp):
    """The app with a robot interviewer following the sample's marker track."""

    def __init__(self, project: Any, *, speed: float = SPEED, model: str = "base") -> None:
        self.speed = speed
        audio, track = sample_files()
        self.audio_path = audio
        self.track = load_track(track)
        self.duration = audio_duration(audio)
        super().__init__(
            project,
            model=model,
            live=True,
            source_factory=lambda: file_source(audio, speed),
            mic_check=False,
            check_interrupted=False,
        )
        self._next_marker = 0

    def open_first_screen(self) -> None:
        super().open_first_screen()
        self.call_after_refresh(self._begin)

    def _begin(self) -> None:
        from tui.project_adapter import record_consent

        try:
            import datetime as dt

            record_consent(
                self.project, PARTICIPANT, takes_part=True, audio=True, date=dt.date.today()
            )
            session = self.new_session(load_bundled(GUIDE), PARTICIPANT, "en")
            session.start(self.source_factory() if self.source_factory else None)
        except KvaleError as exc:
            self.show_error(exc)
            return
        self.begin_conduct(session, PARTICIPANT)
        self.notify(_("Demo: the sample interview plays as if from a microphone."), timeout=6)
        self.set_interval(0.1, self._follow_track)

    def _follow_track(self) -> None:
        session = self.session
        if session is None or session.stopped:
            return
        now = session.elapsed()
        screen = self.screen if isinstance(self.screen, ConductScreen) else None
        while self._next_marker < len(self.track) and self.track[self._next_marker].time <= now:
            m = self.track[self._next_marker]
            self._next_marker += 1
            if m.kind in (MarkerKind.ASKED, MarkerKind.RETURNED) and m.question_id:
                session.jump(m.question_id)
            else:
                session.mark(m.kind, m.question_id, m.probe_id, m.text)
            if screen is not None:
                screen.redraw()
        recorder = session.recorder
        ended = (recorder is not None and recorder.finished) or now >= self.duration + 1
        if ended and screen is not None:
            screen.stop_now()


def run_demo(root: Path | None = None, *, speed: float = SPEED) -> int:
    """Create a throwaway demo project and run the demo app in it."""
    from store import Project

    base = root or Path(tempfile.mkdtemp(prefix="kvale-demo-"))
    project = Project.init(base / "demo-project", name="kvale demo")
    app = DemoApp(project, speed=speed)
    app.run()
    return 0
