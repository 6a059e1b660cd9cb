"""`kvale record`'s headless loop (`tui.commands.audio.record_until`), on real speech."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import soundfile as sf

from audio.files import load_audio
from tui.commands.audio import record_until

JFK = Path(__file__).resolve().parents[1] / "fixtures" / "jfk.flac"


def test_record_until_headless(tmp_path: Path) -> None:
    speech = np.clip(np.rint(load_audio(JFK) * 32768), -32768, 32767).astype(np.int16)
    speech_wav = tmp_path / "speech.wav"
    sf.write(str(speech_wav), speech, 16000, subtype="PCM_16")
    seen: list[object] = []
    info = record_until(
        tmp_path / "out",
        source_file=speech_wav,
        realtime=False,
        on_status=seen.append,
        seconds=None,
    )
    assert info.frames == len(speech)
    t0 = time.monotonic()
    info2 = record_until(tmp_path / "out2", source_file=speech_wav, seconds=1.0)
    # stops at 1 s, paced by the clock: no more than the time the call took, plus the
    # blocks the file source sends as soon as it starts (its blocks are 0.05 s)
    assert 1.0 <= info2.duration <= time.monotonic() - t0 + 0.15
    assert seen or info.duration > 0
