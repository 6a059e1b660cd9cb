"""Guides in the project folder are offered in the new-interview form; the processing
ETA comes from measured throughput and moves every second; the informant table's Length
is the recording's (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pilot_wait import wait_until
from test_snapshots import ScreenApp, _session
from textual.widgets import Label, Select

from store.guides import add_guide
from tui.app import KvaleApp
from tui.progress import Throughput
from tui.screens.new_interview import NewInterviewScreen
from tui.screens.processing import ProcessingScreen

BUNDLED = Path(__file__).parents[2] / "guide" / "bundled"


async def test_a_guide_in_the_project_is_offered_and_used(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    own = tmp_path / "min-guide.md"
    shutil.copy(BUNDLED / "example-en.md", own)
    add_guide(project.path, own)
    app = KvaleApp(project, mic_check=False, live=False, check_interrupted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen)
        select = form.query_one("#guide", Select)
        assert select.value == "project:min-guide"  # the researcher's own comes first
        assert "nav-trivsel-nb" in [v for _l, v, _g in form.guides]
        guide = app.load_guide(str(select.value))
        assert guide.source == own.read_text(encoding="utf-8")


def test_throughput_eta_grows_while_stalled_and_shrinks_with_work() -> None:
    t = Throughput()
    assert t.eta(0.0) is None
    t.update(0.50, 0.0)  # live transcription did half before the screen opened
    assert t.eta(5.0) is None  # no rate measured yet
    t.update(0.84, 10.0)  # 34 % in 10 s
    assert abs(t.eta(10.0) - 0.16 * 10 / 0.34) < 1e-9  # type: ignore[operator]
    stalled = [t.eta(10.0 + s) for s in range(0, 41, 10)]  # 40 s without a report
    assert stalled == sorted(stalled) and stalled[-1] > 4 * stalled[0]  # type: ignore[operator]
    t.update(0.95, 50.0)
    assert t.eta(50.0) < stalled[-1]  # type: ignore[operator]
    t.update(1.0, 55.0)
    assert t.eta(55.0) == 0.0
    t.update(0.1, 60.0)  # a new pass starts again
    assert t.eta(60.0) is None


async def test_the_processing_eta_label_moves_between_reports(tmp_path: Path) -> None:
    from store import Project

    now = [0.0]
    project = Project.init(tmp_path / "p", name="progress")
    screen = ProcessingScreen(
        _session(project), participant="I3", run=False, clock=lambda: now[0], tick_hz=20
    )
    app = ScreenApp(project, lambda: screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen.show_progress("transcribing", 0.50, 30.0)
        label = screen.query_one("#transcribing-eta", Label)
        assert str(label.render()) == "ETA 0:30"  # the engine's, until a rate is measured
        now[0] = 10.0
        screen.show_progress("transcribing", 0.84, 3.0)
        assert str(label.render()) == "ETA 0:04"  # 16 % at 3.4 %/s, not the engine's 0:03
        # no report for 40 s: the label still moves, by the screen's own tick
        for t, expected in ((20.0, "ETA 0:09"), (30.0, "ETA 0:14"), (50.0, "ETA 0:23")):
            now[0] = t
            await wait_until(pilot, lambda e=expected: str(label.render()) == e, 10, 0.05)
        screen.show_progress("transcribing", 1.0, 0.0)
        assert str(label.render()) == "done"


def test_the_informant_length_is_the_recording_s(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A recording whose speech ends early: 'Length' is the file's, not the last word's
    end (a 3.9-minute file was listed as "1 min"). Real speech (JFK, 11 s), tiny.en."""
    import numpy as np
    import soundfile as sf

    from audio.files import load_audio
    from guide.bundled import load_bundled
    from store.analysis import format_informant_table
    from store.corpus import corpus_from_project
    from tui.session import import_recording

    speech = load_audio(Path(__file__).parents[1] / "fixtures" / "jfk.flac")
    audio = tmp_path / "long-tail.wav"
    sf.write(audio, np.concatenate([speech, np.zeros(16000 * 150, np.float32)]), 16000)
    interview = import_recording(
        project, audio, load_bundled("example-en"), "Ø2", "en", model="tiny.en"
    )
    assert abs(interview.duration - (len(speech) / 16000 + 150)) < 0.01
    table = format_informant_table(corpus_from_project(project))
    assert "3 min" in table  # 161 s, not the 11 s of speech
