"""The whole interview path in the app, with real parts.

new interview → consent → conduct with navigation → stop → processing → confirm → delete,
with `audio.capture.FileSource` standing in for the microphone (no sound card here), real
live transcription (packaged tiny.en, faster-whisper) and the real tagger and store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilot_wait import wait_until
from textual.widgets import Checkbox

from guide.transcript import Speaker
from tui.app import KvaleApp
from tui.screens.conduct import ConductScreen
from tui.screens.confirm import ConfirmScreen
from tui.widgets.outline import GuideOutline

WINDOW = 4096


def _windows(folder: Path) -> list[bytes]:
    """4 KB windows of every recording file (skipping headers and silent stretches)."""
    out: list[bytes] = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for offset in range(4096, max(4096, len(data) - WINDOW), max(WINDOW, len(data) // 8)):
            window = data[offset : offset + WINDOW]
            if len(window) == WINDOW and len(set(window)) > 16:
                out.append(window)
    return out


def _files_holding(root: Path, windows: list[bytes]) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(w in data for w in windows):
                found.append(path)
    return found


@pytest.mark.slow
async def test_whole_path_records_tags_and_deletes(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    from audio.capture import FileSource

    audio, track_path = short_interview
    track = json.loads(track_path.read_text())["markers"]
    app = KvaleApp(
        project,
        model="tiny.en",
        live=True,
        source_factory=lambda: FileSource(audio, realtime=True),
        mic_check=False,
        check_interrupted=False,
    )
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#takes-part", Checkbox).value = True
        form.query_one("#audio-consent", Checkbox).value = True
        form.query_one("#language").value = "en"
        form.query_one("#guide").value = "nav-trivsel-en"
        await pilot.pause()
        form.action_start()
        await wait_until(pilot, lambda: isinstance(app.screen, ConductScreen), 10)
        session = app.session
        assert session is not None and session.started
        pressed_at: list[float] = []
        # Walk the guide as the interviewer would: jump to each question as it is asked.
        for marker in track:
            await wait_until(pilot, lambda m=marker: session.elapsed() >= m["time"], 30)
            await pilot.press("j")  # focus the outline; picking a row posts QuestionSelected
            outline = app.screen.query_one(GuideOutline)
            assert outline.has_focus
            pressed_at.append(session.elapsed())
            outline.post_message(GuideOutline.QuestionSelected(marker["question_id"]))
            await pilot.pause()
            assert session.current_id == marker["question_id"]
            await pilot.press("b")  # bookmark this moment
        await pilot.press("n")  # and on to the next question
        await wait_until(pilot, lambda: session.recorder.finished, 40)  # the file source ended
        folder = session.recording_dir
        await pilot.press("q")
        await pilot.pause()
        assert session.started and not session.stopped  # the confirm did not stop anything
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 240, 0.5)
        windows = _windows(folder)
        assert windows, "the recording should have left bytes to look for"
        confirm = app.screen
        assert confirm.passages
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: confirm.deleted, 30)

    iid = session.interview_id
    interview = project.interview(iid)
    stored = list(interview.markers)
    asked = [m for m in stored if m.kind == "asked"]
    assert [m.question_id for m in asked[:3]] == [m["question_id"] for m in track]
    for got, want, at in zip(asked, track, pressed_at, strict=False):
        # stored on the recording's timeline, at the moment of the key press
        assert got.time >= want["time"] and abs(got.time - at) < 1.0, (got, want, at)
    assert sum(m.kind == "bookmark" for m in stored) == len(track)
    passages = list(interview.passages)
    after_first = [p for p in passages if p.start >= asked[0].time]
    assert after_first and all(p.primary is not None for p in after_first)
    colleagues = [p for p in passages if "colleague" in p.text.lower()]
    assert colleagues and colleagues[0].primary.question_id == "2.2"
    # the two voices were found in the recording before it was deleted
    assert {w.voice for s in interview.segments for w in s.words} == {0, 1}
    askings = " ".join(p.text for p in passages if p.speaker is Speaker.INTERVIEWER).lower()
    assert "how long have you worked" in askings and "eight years" not in askings
    assert not _files_holding(project.path, windows), "recording bytes left in the project"
    assert not folder.exists() or not any(folder.iterdir())
    records = list(project.deletion_records())
    assert records and records[-1].interview_id == iid and records[-1].size > 0
