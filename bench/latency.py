"""Keypress-to-repaint latency on the conduct screen, idle vs recording + transcribing.

The conduct screen runs headless under Pilot. Each key (n / p / k) is posted and the time
to the next frame the app hands to its driver (`App._display` with a real update) is
taken. Scenarios, in the same run: *idle* (no recorder, no transcription) and *busy*
(recording a synthetic interview through `audio.capture.FileSource` in real time with the
live transcriber running in its child process). Goal: busy p95 ≤ 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

KEYS = ["n", "n", "k", "p", "n", "b"]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _measure(app: Any, presses: int) -> list[tuple[str, float]]:
    frames: list[float] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        original(screen, renderable)

    app._display = display
    out: list[tuple[str, float]] = []
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause(0.5)
        from tui.screens.conduct import ConductScreen

        for i in range(presses):
            if not isinstance(app.screen, ConductScreen):
                await pilot.press("escape")
            key = KEYS[i % len(KEYS)]
            frames.clear()
            t0 = time.perf_counter()
            await pilot.press(key)
            deadline = t0 + 2.0
            while not any(f >= t0 for f in frames) and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            hit = [f for f in frames if f >= t0]
            if hit:
                out.append((key, (hit[0] - t0) * 1000))
            await asyncio.sleep(0.05)  # a human does not press 100 keys a second
    return out


def _app(project: Any, session: Any) -> Any:
    from tui.app import KvaleApp
    from tui.screens.conduct import ConductScreen

    class BenchApp(KvaleApp):
        def open_first_screen(self) -> None:
            self.session = session
            self.push_screen(ConductScreen(session, participant="I1"))

    return BenchApp(project, check_interrupted=False, mic_check=False)


def run(quick: bool) -> str:
    import datetime as dt

    from audio.capture import FileSource
    from guide.bundled import load_bundled
    from store import Project
    from tui.demo.synth import SHORT, synth_interview
    from tui.project_adapter import record_consent
    from tui.session import InterviewSession

    presses = 40 if quick else 150
    model = "tiny.en" if quick else "base"
    rows = []
    with tempfile.TemporaryDirectory(prefix="kvale-bench-") as tmp:
        root = Path(tmp)
        audio = root / "interview.flac"
        synth_interview(SHORT * (2 if quick else 6), audio)
        guide = load_bundled("nav-trivsel-en")
        for name in ("idle", "recording + live transcription"):
            project = Project.init(root / name.split()[0], name="bench")
            record_consent(project, "I1", takes_part=True, audio=True, date=dt.date.today())
            busy = name != "idle"
            session = InterviewSession.new(project, guide, "I1", "en", live=busy, model=model)
            if busy:
                session.start(FileSource(audio, realtime=True))
                time.sleep(3.0)  # let the child load its model and start working
            try:
                got = asyncio.run(_measure(_app(project, session), presses))
            finally:
                session.close()
            rows.append((name, [ms for _, ms in got]))
            for key in sorted({k for k, _ in got}):
                rows.append((f"{name}, key {key}", [ms for k, ms in got if k == key]))
    base_p95 = _percentile(rows[0][1], 0.95)
    lines = [
        f"Conduct screen, 120×34, {presses} key presses (n/p/k/b), live model {model}; "
        "goal: p95 ≤ 50 ms while recording and transcribing.",
        "",
        "| scenario | n | p50 ms | p95 ms | max ms | p95 / idle |",
        "|---|---|---|---|---|---|",
    ]
    for name, ms in rows:
        p95 = _percentile(ms, 0.95)
        lines.append(
            f"| {name} | {len(ms)} | {statistics.median(ms):.1f} | {p95:.1f} | "
            f"{max(ms):.1f} | {p95 / base_p95:.2f} |"
        )
    return "\n".join(lines)
