"""Stress: real processes on one project at once, round after round.

Each round starts, at the same moment, on one project folder:

- the interview pipeline (a process doing what the app does: consent, start on a
  file source, questions and a bookmark, stop, transcribe and tag with tiny.en,
  confirm and delete the recording), participant ``P<round>``;
- ``kvale import`` of a recording, participant ``S<round>``;
- ``kvale purge`` of the previous round's imported participant;
- an open review (a process that opens the project as the app does, reads every
  interview and codes the first passage of each with the code ``r<round>``);
- ``kvale export md`` and ``kvale list`` (read-only, while the others write).

Writers meet the lock and wait their turn (the harness runs a CLI command again
when it meets the "open in another kvale window" sentence; the children retry
their open). After each round the project is checked: every write that was
reported done is there (imports, coded spans of every round so far, interviews
with their markers), nothing of a purged participant is anywhere in the folder
(no resurrected coded quote), and no process printed a traceback.

``python -m bench stress`` runs 50 rounds; tests/store/test_stress.py runs 2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIO = ROOT / "tests" / "fixtures" / "jfk.flac"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
BUSY = "open in another kvale window"

OPEN_RETRY = r"""
import sys, time
from pathlib import Path
from store.lock import ProjectBusy
from tui.launch import open_project

def open_retry(path):
    deadline = time.monotonic() + 300
    busy = 0
    while True:
        try:
            return open_project(Path(path)), busy
        except ProjectBusy:
            busy += 1
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
"""

PIPELINE = (
    OPEN_RETRY
    + r"""
import datetime as dt
from audio.capture import FileSource
from guide.bundled import load_bundled
from tui.session import InterviewSession
from tui.project_adapter import record_consent

path, code, audio = sys.argv[1:4]
project, busy = open_retry(path)
with project:
    with project.operation("start", participant=code):
        record_consent(project, code, takes_part=True, audio=True, date=dt.date(2026, 1, 5))
        s = InterviewSession.new(project, load_bundled("nav-trivsel-en"), code, "en",
                                 live=False, model="tiny.en")
        s.start(FileSource(Path(audio), realtime=True, speed=8.0))
    s.next()
    s.bookmark()
    time.sleep(0.5)
    s.next()
    time.sleep(0.5)
    s.stop()
    s.process()
    s.confirm_and_delete()
    print("ok", s.interview_id, busy, flush=True)
"""
)

REVIEW = (
    OPEN_RETRY
    + r"""
from store.review import ReviewSession

path, code = sys.argv[1:3]
project, busy = open_retry(path)
with project:
    session = ReviewSession.open(project)
    coded = []
    for interview in session.corpus.interviews:
        if interview.passages:
            session.code_passage(interview.id, 0, code)
            coded.append(interview.id)
    time.sleep(0.3)  # the review stays open a moment
    print("ok", ",".join(coded) or "-", busy, flush=True)
"""
)


def _run(cmd: list[str], counts: Counter[str], name: str) -> subprocess.CompletedProcess[str]:
    """Run a command; run it again while it meets the lock (a writer's turn comes)."""
    deadline = time.monotonic() + 300
    while True:
        done = subprocess.run(
            cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if done.returncode == 2 and BUSY in done.stderr and time.monotonic() < deadline:
            counts[f"{name}: met the lock"] += 1
            time.sleep(0.1)
            continue
        return done


def _kvale(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def _setup(path: Path) -> str:
    from guide.bundled import load_bundled
    from guide.transcript import Passage, Segment, Tag, TagSource, Word
    from store import Project

    project = Project.init(path, name="stress")
    guide = load_bundled("nav-trivsel-en")
    iid = project.new_interview("K1", project.add_guide(guide), "en").id
    words = [Word(i * 0.4, i * 0.4 + 0.3, f"keeper{i}") for i in range(40)]
    segments = [Segment(w.start, w.end, w.text, (w,)) for w in words]
    project.set_transcript(iid, segments)
    project.set_passages(
        iid,
        [
            Passage(s.start, s.end, s.text, s.words, Tag("1.1", TagSource.MARKER, 0.9))
            for s in segments
        ],
    )
    project.close()
    return iid


def _check(
    path: Path,
    keeper: str,
    rounds_coded: list[str],
    imported: set[str],
    purged: set[str],
    interviews: dict[str, int],
) -> None:
    from store import Project
    from store.codebook import Codebook

    with Project.open(path, read_only=True) as project:
        rows = {s.id: s for s in project.interviews()}
        people = {s.participant for s in rows.values()}
        for code in imported - purged:
            assert code in people, f"import of {code} lost"
            (row,) = [s for s in rows.values() if s.participant == code]
            assert row.words > 10 and row.status.value == "transcribed", row
        for iid, markers in interviews.items():
            assert iid in rows, f"interview {iid} lost"
            interview = project.interview(iid)
            assert len(interview.markers) >= markers, (iid, interview.markers)
            assert interview.deletion is not None and interview.passages
        assert not project.damaged
        for code in purged:
            assert code not in people and code not in {p.code for p in project.participants()}
    book = Codebook.load(path)
    names = {c.id: c.name for c in book.codes}
    on_keeper = {names[s.code_id] for s in book.spans if s.interview_id == keeper}
    missing = [c for c in rounds_coded if c not in on_keeper]
    assert not missing, f"coded spans lost: {missing}"
    live_ids = set(rows)
    stale = [s for s in book.spans if s.interview_id not in live_ids]
    assert not stale, f"coded quotes of a purged interview came back: {stale[:3]}"
    for p in path.rglob("*"):
        if p.is_file() and p.suffix in {".json", ".jsonl", ".md"}:
            text = p.read_text(encoding="utf-8", errors="replace")
            for code in purged:
                assert f'"participant":"{code}"' not in text.replace(" ", ""), (p, code)
                assert f"{code}-20" not in text, (p, code)


def stress_rounds(rounds: int) -> Counter[str]:
    """Run ``rounds`` rounds; returns counts (writes done, lock meetings).

    Raises:
        AssertionError: a lost write, a resurrected quote, or a traceback.
    """
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="kvale-stress-") as tmp:
        path = Path(tmp) / "p"
        keeper = _setup(path)
        imported: set[str] = set()
        purged: set[str] = set()
        coded: list[str] = []
        interviews: dict[str, int] = {}
        for r in range(1, rounds + 1):
            results: dict[str, subprocess.CompletedProcess[str]] = {}

            def go(name: str, cmd: list[str], results=results) -> None:  # type: ignore[no-untyped-def]
                results[name] = _run(cmd, counts, name)

            # each round's import is a recording of its own: the same file again is
            # "already imported" (one recording is one interview) until its participant's
            # purge, running at the same time, has forgotten it
            recording = Path(tmp) / f"S{r}{AUDIO.suffix}"
            shutil.copyfile(AUDIO, recording)
            jobs = {
                "pipeline": [sys.executable, "-c", PIPELINE, str(path), f"P{r}", str(AUDIO)],
                "import": _kvale(
                    "--project",
                    str(path),
                    "import",
                    str(recording),
                    "--guide",
                    "nav-trivsel-en",
                    "--participant",
                    f"S{r}",
                    "--consent",  # the participant signed (kvale import records it)
                    "--model",
                    "tiny.en",
                    "--language",
                    "en",
                ),
                "review": [sys.executable, "-c", REVIEW, str(path), f"r{r}"],
                "export": _kvale("--project", str(path), "export", "md"),
                "list": _kvale("--project", str(path), "list"),
            }
            if f"S{r - 1}" in imported:
                jobs["purge"] = _kvale("--project", str(path), "purge", f"S{r - 1}", "--yes")
            threads = [threading.Thread(target=go, args=(n, c)) for n, c in jobs.items()]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for name, done in results.items():
                assert "Traceback" not in done.stderr, (name, done.stderr)
                assert done.returncode == 0, (name, done.returncode, done.stderr)
                counts[f"{name}: done"] += 1
                if name in ("pipeline", "review"):  # they wait their turn themselves
                    counts[f"{name}: met the lock"] += int(done.stdout.split()[2])
            imported.add(f"S{r}")
            if "purge" in jobs:
                purged.add(f"S{r - 1}")
            coded.append(f"r{r}")
            ok = results["pipeline"].stdout.split()
            interviews[ok[1]] = 2
            _check(path, keeper, coded, imported, purged, interviews)
            counts["rounds checked"] += 1
    return counts


def run(quick: bool) -> str:
    rounds = 5 if quick else 50
    started = time.perf_counter()
    counts = stress_rounds(rounds)
    took = time.perf_counter() - started
    rows = ["| what | count |", "|---|---|"]
    rows += [f"| {k} | {v} |" for k, v in sorted(counts.items())]
    return (
        f"{rounds} rounds of pipeline + kvale import + kvale purge + open review + export + "
        f"list on one project, all started at once ({took:.0f} s). After every round: no "
        "lost write, no resurrected coded quote, no traceback.\n\n" + "\n".join(rows)
    )
