"""Project store: open, list, load and save times for a realistic project.

A project of N interviews x 5 000 words (word timings, tagged passages, 200
markers each) on disk. Baselines measured in the same run: parsing every
interview document (what opening would cost without the summaries kept in the
project document) and rewriting the interview document (what a marker would
cost without the append-only marker log).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from guide.transcript import Marker, MarkerKind, Passage, Segment, Tag, TagSource, Word
from store import Project


def _transcript(words: int) -> list[Segment]:
    segments, t = [], 0.0
    for start in range(0, words, 20):
        ws = []
        for n in range(start, min(start + 20, words)):
            ws.append(Word(round(t, 2), round(t + 0.3, 2), f"ord{n}", 0.93))
            t += 0.4
        segments.append(Segment(ws[0].start, ws[-1].end, " ".join(w.text for w in ws), tuple(ws)))
    return segments


def _passages(segments: list[Segment]) -> list[Passage]:
    return [
        Passage(s.start, s.end, s.text, s.words, Tag("2.1", TagSource.MARKER, 0.8))
        for s in segments
    ]


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.1f} ms (max {max(xs) * 1000:.1f})"


def run(quick: bool) -> str:
    n_interviews = 10 if quick else 50
    words = 5000
    n_markers = 100 if quick else 1000
    with tempfile.TemporaryDirectory(prefix="kvale-bench-store-") as tmp:
        project = Project.init(Path(tmp) / "p", name="bench")
        segments = _transcript(words)
        passages = _passages(segments)
        ids = []
        t0 = time.perf_counter()
        for k in range(n_interviews):
            iid = project.new_interview(f"I{k + 1}", "h" * 64, "nb").id
            for j in range(200):
                project.add_marker(iid, Marker(j * 5.0, MarkerKind.ASKED, "2.1"))
            project.set_transcript(iid, segments)
            project.set_passages(iid, passages)
            ids.append(iid)
        build = time.perf_counter() - t0
        path = project.path
        size = sum(p.stat().st_size for p in (path / "interviews").iterdir()) / n_interviews

        def open_and_list() -> None:
            Project.open(path).interviews()

        def parse_all() -> None:
            p = Project.open(path)
            for iid in ids:
                p.interview(iid)

        open_t = _time(open_and_list, 5)
        parse_t = _time(parse_all, 1 if not quick else 2)
        one = ids[0]
        load_t = _time(lambda: project.interview(one), 10)
        save_t = _time(lambda: project.set_transcript(one, segments), 10)
        passages_t = _time(lambda: project.set_passages(one, passages), 10)
        full = project.interview(one)
        rewrite_t = _time(lambda: project.save_interview(full), 10)
        marker_t = []
        for j in range(n_markers):
            m = Marker(2000.0 + j, MarkerKind.BOOKMARK, "2.1", text="x")
            t = time.perf_counter()
            project.add_marker(one, m)
            marker_t.append(time.perf_counter() - t)

    rows = [
        ("open project + list interviews", _ms(open_t), "summaries in kvale-project.json"),
        (
            "baseline: open + parse every interview",
            _ms(parse_t),
            f"{statistics.median(parse_t) / statistics.median(open_t):.0f}x the open above",
        ),
        ("load one interview", _ms(load_t), f"{size / 1024:.0f} KiB document + marker log"),
        ("set_transcript (5 000 words)", _ms(save_t), "doc + summary, fsynced"),
        ("set_passages (5 000 words)", _ms(passages_t), "doc + summary, fsynced"),
        (
            f"add_marker x {n_markers}",
            _ms(marker_t),
            f"append + fsync; {statistics.median(rewrite_t) / statistics.median(marker_t):.0f}x "
            "cheaper than the baseline below",
        ),
        ("baseline: rewrite interview document", _ms(rewrite_t), "what a marker would cost"),
    ]
    head = (
        f"Project of {n_interviews} interviews x {words} words (built in {build:.1f} s), "
        "on the local disk; medians.\n\n"
        "| operation | time | note |\n|---|---|---|\n"
    )
    return head + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
