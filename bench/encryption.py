"""Encryption's cost: recording CPU and opening a 50-interview project, plain vs sealed.

Both halves measure the plain baseline and the encrypted run in the same process, one
after the other, and report the ratio (goal ≤ 1.10 for each: encryption may cost at most
10 %).

* Recording: 30 s (8 s with --quick) through the real sounddevice → PortAudio → ALSA path
  from the file-backed fake microphone (``tests/audio/fakemic.py``) at 16 kHz, once into
  plain WAV chunks and once sealed (`audio.sealed`, AES-256-GCM, 0.5 s records). CPU =
  user+system time of the threads the recorder started (PortAudio callback + writer),
  and of the writer thread alone, over wall time, in % of one core. Runs alternate
  plain/sealed three times; medians.
* Opening: a project of 50 interviews x 5 000 words (10 with --quick; word timings,
  tagged passages, 200 markers each), plain and encrypted. `Project.open` (the key is
  already unlocked: once per session) and open + load every interview (what the review
  screen does), medians of the process's CPU time over alternating runs. The
  passphrase's scrypt derivation (once per session) is reported on its own line.

Run: ``.venv/bin/python -m bench encryption [--quick]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
PASS = "bench passphrase words"


def _signal(seconds: float) -> np.ndarray:
    from audio.files import load_audio

    speech = load_audio(ROOT / "tests" / "fixtures" / "jfk.flac")
    reps = int(np.ceil(seconds * 16000 / len(speech))) + 1
    out: np.ndarray = np.clip(np.rint(np.tile(speech, reps) * 32768), -32768, 32767)
    return out.astype(np.int16)


def _record(seconds: float, key: bytes | None) -> tuple[float, float]:
    """(capture CPU %, writer CPU %) of one recording through PortAudio."""
    sys.path.insert(0, str(ROOT / "tests" / "audio"))
    from fakemic import fake_microphone

    from audio.capture import Recorder

    proc = psutil.Process()
    with fake_microphone(_signal(seconds), 16000, "int16"), tempfile.TemporaryDirectory() as d:
        rec = Recorder(Path(d) / "rec", key=key)
        before = {t.id: t.user_time + t.system_time for t in proc.threads()}
        t0 = time.monotonic()
        rec.start()
        while rec.elapsed < seconds:
            time.sleep(0.1)
            rec.status()
        after = {t.id: t.user_time + t.system_time for t in proc.threads()}
        wall = time.monotonic() - t0
        rec.stop()
    cpu = sum(v for k, v in after.items() if k not in before)
    return 100.0 * cpu / wall, 100.0 * rec.cpu_seconds / wall


def _project(path: Path, n: int, passphrase: str | None) -> None:
    from bench.store import _passages, _transcript
    from guide.transcript import Marker, MarkerKind
    from store import Project

    project = Project.init(path, name="bench", passphrase=passphrase)
    segments = _transcript(5000)
    passages = _passages(segments)
    for i in range(n):
        iid = project.new_interview(f"I{i + 1}", "h", "nb").id
        project.set_transcript(iid, segments)
        project.set_passages(iid, passages)
        for k in range(200):
            project.add_marker(iid, Marker(time=k * 5.0, kind=MarkerKind.BOOKMARK))
    project.close()


def _median_ms(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Median CPU time of this process (not wall time: the machine is shared, and what
    encryption costs is CPU; the reads are from the page cache either way)."""
    out = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return statistics.median(out) * 1000


def run(quick: bool) -> str:
    from store import Project, crypto

    seconds = 8.0 if quick else 30.0
    rec: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(3):
        for sealed in (False, True):
            rec[sealed].append(_record(seconds, bytes(range(32)) if sealed else None))
    cap = {s: statistics.median(c for c, _ in rec[s]) for s in rec}
    wri = {s: statistics.median(w for _, w in rec[s]) for s in rec}

    n = 10 if quick else 50
    with tempfile.TemporaryDirectory(prefix="kvale-bench-enc-") as tmp:
        plain, sealed_p = Path(tmp) / "plain", Path(tmp) / "sealed"
        _project(plain, n, None)
        _project(sealed_p, n, PASS)
        crypto.forget()
        t0 = time.perf_counter()
        crypto.unlock(sealed_p, PASS)
        unlock_ms = (time.perf_counter() - t0) * 1000
        size = {
            p.name: sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
            for p in (plain, sealed_p)
        }

        def opener(path: Path):  # type: ignore[no-untyped-def]
            def go() -> None:
                Project.open(path, read_only=True)

            return go

        def loader(path: Path):  # type: ignore[no-untyped-def]
            def go() -> None:
                project = Project.open(path, read_only=True)
                for s in project.interviews():
                    project.interview(s.id)

            return go

        open_ms = {}
        load_ms = {}
        for path in (plain, sealed_p):
            loader(path)()  # warm the page cache for both before measuring
        runs: dict[str, list[tuple[float, float]]] = {"plain": [], "sealed": []}
        for _ in range(3):  # alternate, so neither is always first
            for name, path in (("plain", plain), ("sealed", sealed_p)):
                runs[name].append((_median_ms(opener(path)), _median_ms(loader(path), 1)))
        for name, got in runs.items():
            open_ms[name] = statistics.median(o for o, _ in got)
            load_ms[name] = statistics.median(v for _, v in got)
        crypto.forget()

    def ratio(a: float, b: float) -> str:
        return f"{b / a:.3f}" if a > 0 else "-"

    lines = [
        f"Plain vs encrypted, measured in this run; goal: ratio ≤ 1.10. Recording: {seconds:.0f} s "
        "through PortAudio (fake ALSA microphone, 16 kHz), medians of 3 alternating runs. "
        f"Project: {n} interviews x 5 000 words, 200 markers each, read-only open, "
        "medians of 5 (load: 3) of the process's CPU time.",
        "",
        "| measure | plain | encrypted | ratio |",
        "|---|---|---|---|",
        f"| recording: capture CPU (% of a core) | {cap[False]:.2f} | {cap[True]:.2f} "
        f"| {ratio(cap[False], cap[True])} |",
        f"| recording: writer thread CPU (% of a core) | {wri[False]:.2f} | {wri[True]:.2f} "
        f"| {ratio(wri[False], wri[True])} |",
        f"| open a {n}-interview project (ms) | {open_ms['plain']:.1f} | {open_ms['sealed']:.1f} "
        f"| {ratio(open_ms['plain'], open_ms['sealed'])} |",
        f"| open + load every interview (ms) | {load_ms['plain']:.0f} | {load_ms['sealed']:.0f} "
        f"| {ratio(load_ms['plain'], load_ms['sealed'])} |",
        f"| project size on disk (MB) | {size['plain'] / 1e6:.1f} | {size['sealed'] / 1e6:.1f} "
        f"| {ratio(size['plain'], size['sealed'])} |",
        "",
        f"Unlocking (scrypt n=2^17, r=8, once per session): {unlock_ms:.0f} ms.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
