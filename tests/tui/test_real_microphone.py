"""The app recording from the real sounddevice → PortAudio → ALSA path.

The machine has no sound card, so the microphone is `tests/audio/fakemic.py`'s file-backed
ALSA capture device (the real PortAudio and ALSA code runs; only the hardware is a socket
fed with a synthetic interview in real time).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pilot_wait import consent_and_start

from tui.app import KvaleApp
from tui.widgets.level_meter import LevelMeter

sys.path.insert(0, str(Path(__file__).parents[1] / "audio"))


@pytest.mark.slow
async def test_interview_records_from_portaudio_with_a_live_meter(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    fakemic = pytest.importorskip("fakemic")
    from audio.capture import read_recording

    signal, rate = sf.read(str(short_interview[0]), dtype="float32")
    pcm = (np.clip(signal, -1, 1) * 32767).astype(np.int16)
    with fakemic.fake_microphone(pcm, rate, "int16"):
        app = KvaleApp(project, live=False, mic_check=False, check_interrupted=False)
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.press("n")
            await pilot.pause()
            session = await consent_and_start(app, pilot)
            await pilot.press("n")
            loud = []
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                await pilot.pause(0.2)
                loud.append(app.screen.query_one(LevelMeter).reading.level_db)
            await pilot.press("n")
            assert max(loud) > -40, loud  # the meter follows the real stream
            session.close()
        audio = read_recording(session.current_part, 0.0, 60.0)
    assert len(audio) / 16000 > 6.0
    assert float(np.abs(audio).max()) > 0.05  # speech, not zeros
    markers = project.interview(session.interview_id).markers
    assert [m.question_id for m in markers if m.kind == "asked"] == ["1", "1.1"]
    assert markers[1].time > markers[0].time + 6
