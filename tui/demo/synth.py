"""Synthetic English interviews made with espeak-ng, for the pipeline tests and the demo.

`synth_interview` speaks each turn (interviewer voice, then participant voice), joins them
with pauses into a 16 kHz mono FLAC and writes the matching marker track (the time each
question was asked) as JSON, the format `tui.demo.load_track` reads.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16_000

SHORT = [
    ("1.1", "How long have you worked at NAV?", "I have worked at NAV for about eight years."),
    (
        "2.2",
        "What about your colleagues?",
        "My colleagues are very supportive and we often help each other with hard cases.",
    ),
    (
        "3.3",
        "And in relation to your manager?",
        "My manager is busy, so sometimes I feel alone with difficult decisions.",
    ),
]


def speak(text: str, voice: str, speed: int, *, trim: bool = False) -> np.ndarray:
    """``text`` spoken by espeak-ng, as 16 kHz mono float32 (leading/trailing silence cut
    when ``trim``)."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "t.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text],
            check=True,
            capture_output=True,
        )
        data, rate = sf.read(str(wav), dtype="float32")
    if data.ndim > 1:
        data = data.mean(axis=1)
    n = round(len(data) * RATE / rate)
    out: np.ndarray = np.interp(np.arange(n) * rate / RATE, np.arange(len(data)), data)
    out = out.astype(np.float32)
    if trim:
        loud = np.flatnonzero(np.abs(out) > 0.01)
        if len(loud):
            out = out[max(0, loud[0] - 160) : loud[-1] + 160]
    return out


VOICES = (("en-us", 150), ("en+f3", 160))  # interviewer, participant: a man and a woman


def synth_interview(
    turns: list[tuple[str, str, str]],
    audio_out: Path,
    track_out: Path | None = None,
    voices: tuple[tuple[str, int], tuple[str, int]] = VOICES,
) -> list[dict[str, object]]:
    """Write the interview to ``audio_out`` (FLAC) and its markers to ``track_out``.

    ``voices``: (espeak-ng voice, words per minute) of the interviewer and the participant.
    """
    pause = np.zeros(int(0.8 * RATE), np.float32)
    parts: list[np.ndarray] = [np.zeros(int(0.5 * RATE), np.float32)]
    markers: list[dict[str, object]] = []
    t = 0.5
    for qid, question, answer in turns:
        markers.append({"time": round(t, 2), "kind": "asked", "question_id": qid})
        for text, (voice, speed) in zip((question, answer), voices, strict=True):
            chunk = speak(text, voice, speed) * 0.6
            parts += [chunk, pause]
            t += (len(chunk) + len(pause)) / RATE
    parts.append(np.zeros(int(1.0 * RATE), np.float32))
    sf.write(str(audio_out), np.concatenate(parts), RATE, format="FLAC")
    if track_out is not None:
        track_out.write_text(json.dumps({"markers": markers}, indent=2), encoding="utf-8")
    return markers


DEMO = [
    ("1.1", "How long have you worked at NAV?", "I have worked at NAV for about eight years now."),
    (
        "2.1",
        "What strengthens your well-being in the work with users?",
        "When a user finally gets a job after a long time, that gives me a lot of energy.",
    ),
    (
        "2.2",
        "And in relation to colleagues?",
        "My colleagues are very supportive. We ask each other for advice every day.",
    ),
    (
        "3.1",
        "What reduces your well-being in the work with users?",
        "Threats from users. Once a man shouted at me in the reception, and I was afraid.",
    ),
    (
        "3.3",
        "What about your manager?",
        "My manager is busy, so sometimes I feel alone with difficult decisions.",
    ),
    (
        "5",
        "NAV is much discussed in the media. How does that affect you?",
        "It is hard to read the comments. People do not know what we actually do.",
    ),
]


def main() -> None:
    """Write a placeholder demo sample next to the demo module (``python -m tui.demo.synth``)."""
    here = Path(__file__).parent
    synth_interview(DEMO, here / "sample-interview.flac", here / "sample-interview.json")


if __name__ == "__main__":
    main()
