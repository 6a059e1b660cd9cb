"""Crash safety: a writer process SIGKILLed at a random moment loses no committed write.

The child opens a real project on disk and writes as fast as it can: markers
(append-only log) and whole transcripts (atomic document rewrite) on three
interviews. Before each write it tells the parent what it is about to write
("B"), and after the call returned it says it is committed ("C"), through a
pipe flushed per line. After the kill the parent opens the project and checks,
per interview, that every committed write is there and that at most the one
write in flight is there too, whole: nothing newer is half there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store import Project

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from guide.transcript import Marker, MarkerKind, Segment, Word
from store import Project

project = Project.open(sys.argv[1])
ids = sys.argv[2:]
out = sys.stdout

def say(line):
    out.write(line + "\n")
    out.flush()

def transcript(tag):
    words = [Word(i * 0.5, i * 0.5 + 0.4, f"{tag}w{i}") for i in range(60)]
    return [Segment(w.start, w.end, w.text, (w,)) for w in words]

say("ready")
for i in range(100000):
    k = i % len(ids)
    iid = ids[k]
    if i % 4 == 3:
        say(f"B {k} T v{i}")
        project.set_transcript(iid, transcript(f"v{i}"))
        say(f"C {k} T v{i}")
    else:
        say(f"B {k} M {i}")
        project.add_marker(iid, Marker(float(i), MarkerKind.BOOKMARK, "1", text=f"m{i}"))
        say(f"C {k} M {i}")
"""


@pytest.mark.parametrize("run", range(20))
def test_sigkill_at_a_random_moment_loses_no_committed_write(tmp_path: Path, run: int) -> None:
    rng = random.Random(run)
    project = Project.init(tmp_path / "p")
    ids = [project.new_interview(f"I{k + 1}", "h", "en").id for k in range(3)]
    project.close()  # the child is the writer now (one writer at a time)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project.path), *ids],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert child.stdout is not None
    lines: list[str] = []
    ready = threading.Event()

    def reader() -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            lines.append(raw.decode().rstrip("\n"))
            ready.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    assert ready.wait(30), "the writer did not start"
    time.sleep(rng.uniform(0.2, 1.2))
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    thread.join(10)

    committed_markers: dict[int, list[float]] = {k: [] for k in range(3)}
    committed_text: dict[int, str | None] = {k: None for k in range(3)}
    in_flight: dict[int, tuple[str, str] | None] = {k: None for k in range(3)}
    for line in lines[1:]:
        parts = line.split()
        if len(parts) != 4:  # the very last line may be cut by the kill: it never said "C"
            continue
        state, k, kind, value = parts[0], int(parts[1]), parts[2], parts[3]
        if state == "B":
            in_flight[k] = (kind, value)
        else:
            in_flight[k] = None
            if kind == "M":
                committed_markers[k].append(float(value))
            else:
                committed_text[k] = value
    total = sum(len(v) for v in committed_markers.values())
    assert total > 3, "the writer barely ran"
    print(f"run {run}: {len(lines)} lines, {total} markers committed, in flight: {in_flight}")

    again = Project.open(project.path)
    summaries = {s.id: s for s in again.interviews()}
    for k, iid in enumerate(ids):
        interview = again.interview(iid)
        times = [m.time for m in interview.markers]
        flying = in_flight[k]
        allowed_markers = [committed_markers[k]]
        allowed_text = {committed_text[k]}
        if flying is not None and flying[0] == "M":
            allowed_markers.append([*committed_markers[k], float(flying[1])])
        if flying is not None and flying[0] == "T":
            allowed_text.add(flying[1])
        assert times in allowed_markers, (k, times[-3:], committed_markers[k][-3:], flying)
        assert all(m.text == f"m{int(m.time)}" for m in interview.markers)
        tags = {w.text.split("w")[0] for s in interview.segments for w in s.words}
        if interview.segments:
            assert len(tags) == 1 and len(interview.segments) == 60, "a transcript is half there"
            text: str | None = tags.pop()
        else:
            text = None
        assert text in allowed_text, (k, text, committed_text[k], flying)
        assert summaries[iid].words == interview.word_count  # summaries healed on open
    leftovers = [p.name for p in project.path.rglob("*") if ".tmp-" in p.name]
    assert not leftovers, leftovers
