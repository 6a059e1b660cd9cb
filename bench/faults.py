"""Kill -9 at random moments of import, purge and export; a project is as before or after.

Each run builds a project on disk, snapshots the folder, starts the real
`kvale` command in a new process (``kvale import``, ``kvale purge``, ``kvale
export docx``), SIGKILLs it after a random delay drawn over the command's
whole length, opens the project again as the next start would (which
completes or undoes the interrupted work), and compares the folder:

- exactly as before (byte for byte, every file), or
- exactly as after: a whole import (one new interview, transcribed and
  tagged, nothing else changed but the project document's rows for it), a
  whole purge (nothing of the participant left anywhere, the other
  participant's files byte for byte as before), a whole export (the same
  files, with the same text, as an uninterrupted export of the same project).

Anything else fails the run. The tests (tests/store/test_kill_operations.py)
run a few rounds of each; ``python -m bench faults`` runs 20 of each and
writes the counts.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tui.import_queue import QUEUE_FILE, load_queue

ROOT = Path(__file__).resolve().parents[1]
AUDIO = ROOT / "tests" / "fixtures" / "jfk.flac"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
IGNORED = {".kvale.lock", ".kvale-exports.lock"}
#: the kill comes at a uniform moment of [0, SPAN x the command's measured length]:
#: a little past its end, so some runs finish and the "as after" check runs too
SPAN = 1.25


def folder_state(root: Path) -> dict[str, bytes]:
    """Every file under ``root``: relative path -> bytes (lock files aside)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in IGNORED
    }


def kvale_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def build_project(path: Path, *, others: int = 1, withdrawn: int = 12) -> dict[str, list[str]]:
    """A project: participant WX7 (``withdrawn`` interviews, each with a recording folder),
    ``others`` more participants, coded spans for all, a condensation note, an md export."""
    from guide.bundled import load_bundled
    from guide.transcript import Passage, Segment, Tag, TagSource, Word
    from store import Project
    from store.codebook import Codebook
    from store.exports import export_project

    guide = load_bundled("nav-trivsel-en")
    project = Project.init(path, name="faults")
    guide_hash = project.add_guide(guide)
    book = Codebook()
    code = book.add_code("team")
    group = book.add_group("Support")
    book.move_code(code.id, group.id)
    ids: dict[str, list[str]] = {}
    plan = [("WX7", withdrawn)] + [(f"C{k + 1}", 1) for k in range(others)]
    for who, n in plan:
        for k in range(n):
            iid = project.new_interview(who, guide_hash, "en").id
            words = [Word(i * 0.4, i * 0.4 + 0.3, f"{who.lower()}w{k}x{i}") for i in range(200)]
            segments = [
                Segment(ws[0].start, ws[-1].end, " ".join(w.text for w in ws), tuple(ws))
                for ws in (words[i : i + 20] for i in range(0, 200, 20))
            ]
            project.set_transcript(iid, segments)
            passages = [
                Passage(s.start, s.end, s.text, s.words, Tag("2.2", TagSource.MARKER, 0.8))
                for s in segments
            ]
            project.set_passages(iid, passages)
            rec = project.recordings_dir(iid) / "part-01"
            rec.mkdir(parents=True, exist_ok=True)
            (rec / "audio.raw").write_bytes(os.urandom(200_000))
            book.apply(code.id, iid, passages[1])
            ids.setdefault(who, []).append(iid)
        book.set_note(group.id, f"What {who} said, condensed.", participant=who)
    book.save(path)
    export_project(project, "md", None)
    project.close()
    return ids


@dataclass
class Outcome:
    kind: str  # "before" | "after"
    journal: bool  # the kill left a journal (the operation was under way)
    recovered: list[str]


def _kill_after(cmd: list[str], delay: float) -> tuple[int | None, str]:
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        proc.wait(delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    return proc.returncode, err


def _reopen(path: Path) -> list[str]:
    from store import Project

    project = Project.open(path)
    recovered = list(project.recovered)
    project.close()
    return recovered


def _assert_unchanged_except(
    before: dict[str, bytes], after: dict[str, bytes], allowed: set[str]
) -> None:
    for name, data in before.items():
        if name in allowed:
            continue
        assert after.get(name) == data, f"{name} changed or vanished"


# --- import -----------------------------------------------------------------------


def import_run(base: Path, rng: random.Random, length: float) -> Outcome:
    path = base / "p"
    build_project(path, withdrawn=1)
    before = folder_state(path)
    cmd = kvale_command(
        "--project",
        str(path),
        "import",
        str(AUDIO),
        "--guide",
        "nav-trivsel-en",
        "--participant",
        "N1",
        "--consent",  # the participant signed (kvale import records it)
        "--model",
        "tiny.en",
        "--language",
        "en",
    )
    _code, err = _kill_after(cmd, rng.uniform(0.2, length * SPAN))
    assert "Traceback" not in err, err
    journal = (path / ".kvale-journal.json").exists()
    recovered = _reopen(path)
    after = folder_state(path)
    if after == before:
        if journal:
            assert any("undone" in s for s in recovered), recovered
        return Outcome("before", journal, recovered)
    from store import Project

    new = set(after) - set(before)
    # the interview; and, once the import has finished, the import queue's note of it
    # (so that the same file is not imported twice: `tui.import_queue.record_imported`)
    queue = new & {QUEUE_FILE}
    interviews = new - queue
    assert len(interviews) == 1 and next(iter(interviews)).startswith("interviews/N1-"), sorted(new)
    _assert_unchanged_except(before, after, {"kvale-project.json"})
    assert not [n for n in after if ".tmp-" in n or "journal" in n]
    with Project.open(path, read_only=True) as project:
        (row,) = [s for s in project.interviews() if s.participant == "N1"]
        interview = project.interview(row.id)
        assert interview.status.value == "transcribed", interview.status
        assert interview.word_count > 10 and interview.passages
        assert row.words == interview.word_count
    if queue:
        (entry,) = load_queue(path)
        assert (entry.interview, entry.participant, entry.status) == (row.id, "N1", "done")
    return Outcome("after", journal, recovered)


# --- purge ------------------------------------------------------------------------


def purge_run(base: Path, rng: random.Random, length: float) -> Outcome:
    path = base / "p"
    ids = build_project(path)
    before = folder_state(path)
    cmd = kvale_command("--project", str(path), "purge", "WX7", "--yes")
    _code, err = _kill_after(cmd, rng.uniform(0.0, length * SPAN))
    assert "Traceback" not in err, err
    journal = (path / ".kvale-journal.json").exists()
    recovered = _reopen(path)
    after = folder_state(path)
    if after == before:
        assert not journal
        return Outcome("before", journal, recovered)
    if journal:
        assert any("completed" in s for s in recovered), recovered
    from store import Project
    from store.codebook import Codebook

    gone = ids["WX7"]
    left = [n for n in after if any(iid in n for iid in gone)]
    assert not left, left
    assert not (path / "exports").exists()
    allowed = {"kvale-project.json", "codebook.json"}
    allowed |= {n for n in before if any(iid in n for iid in gone) or n.startswith("exports/")}
    _assert_unchanged_except(before, after, allowed)
    book = Codebook.load(path)
    assert {s.interview_id for s in book.spans} == set(ids["C1"]), book.spans
    assert all(not k.endswith("|WX7") for k in book.notes)
    text = json.dumps(book.to_dict())
    assert "wx7" not in text.lower()
    with Project.open(path, read_only=True) as project:
        assert "WX7" not in {p.code for p in project.participants()}
        assert {s.participant for s in project.interviews()} == {"C1"}
        # one record that a withdrawal happened, keeping no code (issue 15)
        assert [r.code for r in project.purge_records()] == [""]
    return Outcome("after", journal, recovered)


# --- export -----------------------------------------------------------------------


def _docx_texts(folder: Path) -> dict[str, str]:
    from docx import Document

    return {
        p.name: "\n".join(par.text for par in Document(str(p)).paragraphs)
        for p in sorted(folder.glob("*.docx"))
    }


def export_run(base: Path, rng: random.Random, length: float, reference: dict[str, str]) -> Outcome:
    path = base / "p"
    shutil.copytree(base.parent / "export-template", path)
    _reopen(path)  # a copied project refreshes its summaries' file stamps once
    before = folder_state(path)
    cmd = kvale_command("--project", str(path), "export", "docx")
    _code, err = _kill_after(cmd, rng.uniform(0.2, length * SPAN))
    assert "Traceback" not in err, err
    staging = any(".staging-" in p.name or ".old-" in p.name for p in path.rglob(".*"))
    recovered = _reopen(path)
    after = folder_state(path)
    assert not any(".staging-" in p.name or ".old-" in p.name for p in path.rglob(".*"))
    if after == before:
        return Outcome("before", staging, recovered)
    _assert_unchanged_except(before, after, {n for n in before if n.startswith("exports/docx/")})
    assert [n for n in after if n.startswith("exports/") and not n.startswith("exports/docx/")] == [
        n for n in before if n.startswith("exports/") and not n.startswith("exports/docx/")
    ]
    assert _docx_texts(path / "exports" / "docx") == reference
    return Outcome("after", staging, recovered)


def _export_template(folder: Path, others: int) -> dict[str, str]:
    """A project of ``others`` + 1 interviews whose docx folder holds an older export
    (participant C1 only); returns the texts of a whole export of it (made on a copy)."""
    from store import Project
    from store.exports import export_project

    build_project(folder, others=others, withdrawn=1)
    with Project.open(folder) as project:
        export_project(project, "docx", None, participant="C1")
    ref = folder.parent / "ref"
    shutil.copytree(folder, ref)
    with Project.open(ref) as project:
        export_project(project, "docx", None)
    texts = _docx_texts(ref / "exports" / "docx")
    shutil.rmtree(ref)
    return texts


def _time_command(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, check=True)
    return time.perf_counter() - t0


def kill_rounds(kind: str, rounds: int, seed: int = 14, size: int = 50) -> Counter[str]:
    """Run ``rounds`` kill -9 runs of one operation; returns counts of outcomes.

    ``size``: interviews of the export's project (50 makes 53 .docx files).

    Raises:
        AssertionError: a run left the project neither as before nor as after.
    """
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix=f"kvale-faults-{kind}-") as tmp:
        work = Path(tmp)
        reference: dict[str, str] = {}
        if kind == "export":
            reference = _export_template(work / "export-template", size)
            probe = work / "probe" / "p"
            shutil.copytree(work / "export-template", probe)
            _reopen(probe)
            length = _time_command(kvale_command("--project", str(probe), "export", "docx"))
        elif kind == "import":
            probe = work / "probe" / "p"
            build_project(probe, withdrawn=1)
            length = _time_command(
                kvale_command(
                    "--project",
                    str(probe),
                    "import",
                    str(AUDIO),
                    "--guide",
                    "nav-trivsel-en",
                    "--participant",
                    "N1",
                    "--consent",  # the participant signed (kvale import records it)
                    "--model",
                    "tiny.en",
                    "--language",
                    "en",
                )
            )
        else:
            probe = work / "probe" / "p"
            build_project(probe)
            length = _time_command(kvale_command("--project", str(probe), "purge", "WX7", "--yes"))
        for i in range(rounds):
            base = work / f"run{i}"
            base.mkdir()
            if kind == "import":
                outcome = import_run(base, rng, length)
            elif kind == "purge":
                outcome = purge_run(base, rng, length)
            else:
                outcome = export_run(base, rng, length, reference)
            counts[outcome.kind + (" (journal)" if outcome.journal else "")] += 1
            shutil.rmtree(base)
        counts["_length_ms"] = round(length * 1000)
    return counts


def run(quick: bool) -> str:
    rounds = 3 if quick else 20
    rows = ["| operation | runs | as before | as after | killed mid-way (journal) | length |"]
    rows.append("|---|---|---|---|---|---|")
    for kind in ("import", "purge", "export"):
        counts = kill_rounds(kind, rounds)
        before = counts["before"] + counts["before (journal)"]
        after = counts["after"] + counts["after (journal)"]
        mid = counts["before (journal)"] + counts["after (journal)"]
        rows.append(
            f"| {kind} | {rounds} | {before} | {after} | {mid} | {counts['_length_ms']} ms |"
        )
    return (
        f"kill -9 at a uniform random moment of [0, {SPAN} x length] of the real command; "
        "after the next open the "
        "folder must be byte for byte as before, or a whole result (see bench/faults.py). "
        "Every run passed. 'killed mid-way': the kill left a journal (import, purge) or a "
        "staging folder (export) that the next open undid or completed.\n\n" + "\n".join(rows)
    )
