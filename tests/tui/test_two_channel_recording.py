"""Recording one microphone per person: two channels, and who speaks from them.

The form offers it where the input device has two channels; the recording keeps both,
a resumed interview goes on with both, and after the interview the voices come from the
channels' levels (`audio.channels`), while the words are transcribed from their mix.
The microphone in the Pilot test is `tests/audio/fakemic.py`'s file-backed ALSA device
(the real sounddevice → PortAudio → ALSA code runs; only the hardware is a socket).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pilot_wait import consent_and_start
from textual.widgets import Checkbox

from audio.capture import FileSource
from audio.files import load_audio
from audio.recording import read_recording, recording_channels
from guide.bundled import load_bundled
from tui.app import KvaleApp
from tui.project_adapter import record_consent
from tui.session import InterviewSession

sys.path.insert(0, str(Path(__file__).parents[1] / "audio"))

FIXTURES = Path(__file__).parents[1] / "fixtures"
RATE = 16_000


def two_people(first_clip: str = "jfk.flac") -> tuple[np.ndarray, float]:
    """(frames, 2) float32: ``first_clip`` on the left microphone, then a pause, then LJ
    Speech's reader on the right one; each microphone hears the other person 20 dB
    lower. And the time (s) the second person begins."""
    first = load_audio(FIXTURES / first_clip)
    second = load_audio(FIXTURES / "LJ001-0001.wav")
    gap = np.zeros(RATE, dtype=np.float32)
    left = np.concatenate([first, gap, np.zeros_like(second)])
    right = np.concatenate([np.zeros_like(first), gap, second])
    return np.stack([left + 0.1 * right, right + 0.1 * left], axis=1), (len(first) + RATE) / RATE


def record(session: InterviewSession, path: Path, channels: int | None) -> None:
    session.start(FileSource(path, realtime=False), channels=channels)
    assert session.recorder is not None
    while not session.recorder.finished:
        time.sleep(0.05)


@pytest.mark.slow
def test_a_two_channel_interview_gets_its_voices_from_the_channels(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two people who sound alike (two readings by LJ Speech's one reader), each on their
    own microphone: the speaker model hears one voice in the mix, the channels two."""
    stereo, second_starts = two_people("LJ001-0002.wav")
    path = tmp_path / "two.wav"
    sf.write(path, stereo, RATE)
    record_consent(project, "T1", takes_part=True, audio=True, date=dt.date(2023, 3, 13))
    guide = load_bundled("nav-trivsel-en")
    session = InterviewSession.new(project, guide, "T1", "en", live=False, model="tiny.en")
    record(session, path, channels=2)
    part = session.current_part
    assert recording_channels(part) == 2
    kept = read_recording(part, keep_channels=True)
    assert kept.shape[1] == 2
    # the first person is louder on the left, the second on the right
    cut = round(second_starts * RATE)
    assert np.abs(kept[:cut, 0]).mean() > 5 * np.abs(kept[:cut, 1]).mean()
    assert np.abs(kept[cut:, 1]).mean() > 5 * np.abs(kept[cut:, 0]).mean()
    session.next()
    session.stop()
    session.process()
    words = [w for s in project.interview(session.interview_id).segments for w in s.words]
    assert len(words) > 20
    first = {w.voice for w in words if w.end < second_starts - 0.3}
    second = {w.voice for w in words if w.start > second_starts + 0.3}
    assert len(first) == 1 and len(second) == 1 and first != second, (first, second)
    assert None not in first | second


def test_a_resumed_interview_records_the_channels_it_began_with(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stereo, _second = two_people()
    path = tmp_path / "two.wav"
    sf.write(path, stereo[: 3 * RATE], RATE)
    mono = tmp_path / "one.wav"
    sf.write(mono, stereo[: 2 * RATE, 0], RATE)
    record_consent(project, "T2", takes_part=True, audio=True, date=dt.date(2023, 3, 13))
    guide = load_bundled("nav-trivsel-en")
    first = InterviewSession.new(project, guide, "T2", "en", live=False)
    record(first, path, channels=2)
    first.close()  # cut off: the app quit while recording
    again = InterviewSession.resume_interrupted(project, first.interview_id, live=False)
    record(again, mono, channels=None)
    parts = again.parts()
    assert [recording_channels(p) for p in parts] == [2, 2]
    again.close()


async def test_no_two_channel_choice_without_a_two_channel_device(project) -> None:  # type: ignore[no-untyped-def]
    """Here PortAudio sees no input device at all (no sound card, no fake microphone):
    the form does not offer a choice the recording could not keep."""
    from tui.screens.new_interview import device_channels

    assert device_channels(None) == 0
    assert device_channels("a USB microphone") == 0
    app = KvaleApp(project, live=False, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        split = app.screen.query_one("#two-channels", Checkbox)
        assert not split.display
        split.value = True  # ticked anyway (it cannot be seen): the interview is mono
        app.screen.query_one("#takes-part", Checkbox).value = True
        app.screen.query_one("#audio-consent", Checkbox).value = True
        chosen = []
        app.screen.dismiss = chosen.append  # type: ignore[method-assign]
        app.screen.action_start()
        assert chosen and chosen[0].channels == 1


@pytest.mark.slow
async def test_the_form_offers_one_microphone_per_person_and_records_both(project) -> None:  # type: ignore[no-untyped-def]
    fakemic = pytest.importorskip("fakemic")
    stereo, _second = two_people()
    pcm = (np.clip(stereo[: 6 * RATE], -1, 1) * 32767).astype(np.int16)
    with fakemic.fake_microphone(pcm, RATE, "int16") as mic:
        app = KvaleApp(project, live=False, mic_check=False, check_interrupted=False)
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            split = form.query_one("#two-channels", Checkbox)
            assert split.display  # the fake microphone has two channels (and more)
            split.value = True
            session = await consent_and_start(app, pilot)
            mic.signal_done.wait(15)
            await pilot.pause(0.5)
            session.close()
        part = session.current_part
        kept = read_recording(part, keep_channels=True)
    assert recording_channels(part) == 2
    assert kept.shape[1] == 2 and len(kept) > 5 * RATE
    # what each microphone heard, as fed: the left one louder in JFK's words
    speech = np.abs(kept[: 5 * RATE])
    assert speech[:, 0].mean() > 5 * speech[:, 1].mean()
