"""Review benchmark: a project of 50 synthetic interviews × 5 000 words.

Targets (issue 7): opening the project ≤ 1 s; the by-question view ≤ 200 ms.

Measured, each the median of several runs, against a baseline from the same
run: ``json.loads`` of the very bytes of the project's 50 interview documents.

- open: ``Project.open`` + the interviews list (what the review screen shows
  first);
- load all: every interview read through ``Project`` into a review `Corpus`
  (what the by-question view needs; the review screen does it in a worker);
- by question: `store.analysis.by_question` for one question across all 50
  interviews (median over every guide question, and the slowest), and the
  whole question × participant matrix;
- the screens (Textual Pilot): the by-question view showing another question
  (50 participants); the transcript view opening a 5 000-word interview, and
  redrawing after a retag.

Run: ``make bench`` or ``.venv/bin/python -m bench review [--quick]``.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from guide.bundled import load_bundled
from guide.model import Guide
from guide.transcript import Passage, Speaker, Tag, TagSource, Word
from store.analysis import by_question, question_matrix
from store.corpus import Corpus, ReviewInterview

INTERVIEWS = 50
WORDS = 5_000
VOCAB = [
    "vi",
    "har",
    "et",
    "godt",
    "lag",
    "her",
    "og",
    "spør",
    "hverandre",
    "om",
    "råd",
    "når",
    "det",
    "blir",
    "tungt",
    "tar",
    "noen",
    "over",
    "brukerne",
    "kan",
    "være",
    "krevende",
    "men",
    "lederen",
    "er",
    "til",
    "stede",
    "det",
    "gir",
    "trygghet",
    "i",
    "hverdagen",
    "arbeidet",
    "med",
    "brukere",
    "gir",
    "mening",
    "selv",
    "om",
    "tiden",
    "ikke",
    "strekker",
    "til",
]


def synthetic_interview(n: int, guide: Guide, words: int, rng: random.Random) -> ReviewInterview:
    """One interview: the guide's questions in order, each asked and answered at length."""
    ids = guide.ids
    per_question = words // len(ids)
    passages: list[Passage] = []
    t = 0.0
    for qid in ids:
        left = per_question
        q_text = guide.question(qid).text
        asked = q_text.split()
        passages.append(_passage(t, asked, qid, Speaker.INTERVIEWER, rng))
        t = passages[-1].end + 0.5
        left -= len(asked)
        while left > 0:
            size = min(left, rng.randint(25, 60))
            tokens = [rng.choice(VOCAB) for _ in range(size)]
            passages.append(_passage(t, tokens, qid, Speaker.PARTICIPANT, rng))
            t = passages[-1].end + 0.3
            left -= size
    return ReviewInterview(
        id=f"int-{n:03d}",
        participant=f"I{n}",
        date=f"2023-03-{1 + n % 28:02d}",
        duration=t,
        passages=tuple(passages),
        status="confirmed",
        guide=guide,
    )


def _passage(
    t: float, tokens: list[str], qid: str, speaker: Speaker, rng: random.Random
) -> Passage:
    words = []
    for tok in tokens:
        words.append(Word(t, t + 0.35, tok, round(rng.uniform(0.4, 1.0), 3)))
        t += 0.4
    tag = Tag(qid, TagSource.MARKER, round(rng.uniform(0.5, 1.0), 3))
    return Passage(words[0].start, words[-1].end, " ".join(tokens), tuple(words), tag, (), speaker)


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _real_project(folder: Path, interviews: list[ReviewInterview], guide: Guide) -> Path:
    """Save the synthetic interviews in a real `store.Project`; returns its folder."""
    from dataclasses import replace

    from store import Project

    project = Project.init(folder, name="bench")
    guide_hash = project.add_guide(guide)
    for item in interviews:
        interview = project.new_interview(item.participant, guide_hash, guide.language)
        project.save_interview(
            replace(
                interview,
                passages=list(item.passages),
                duration=item.duration,
                started_at=f"{item.date}T10:00:00",
            )
        )
    return folder


def _screen_time(corpus: Corpus, runs: int) -> float:
    """Median seconds for the by-question screen to show another question (Pilot)."""
    from textual.app import App

    from store.review import ReviewSession
    from tui.screens.by_question import ByQuestionScreen

    session = ReviewSession(corpus)
    times: list[float] = []

    class BenchApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ByQuestionScreen(session))

    async def drive() -> None:
        async with BenchApp().run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, ByQuestionScreen)
            ids = screen.ids
            for k in range(runs):
                started = time.perf_counter()
                screen.show(ids[(k * 7 + 3) % len(ids)])
                await pilot.pause()
                times.append(time.perf_counter() - started)

    asyncio.run(drive())
    return statistics.median(times)


def _transcript_times(corpus: Corpus) -> tuple[float, float]:
    """Seconds to open the transcript screen of one interview, and to retag a passage (Pilot)."""
    from textual.app import App

    from store.review import ReviewSession
    from tui.screens.transcript import TranscriptScreen

    session = ReviewSession(corpus)
    interview_id = corpus.interviews[0].id
    result: list[float] = []

    async def drive() -> None:
        async with App[None]().run_test(size=(160, 50)) as pilot:
            started = time.perf_counter()
            await pilot.app.push_screen(TranscriptScreen(session, interview_id))
            await pilot.pause()
            result.append(time.perf_counter() - started)
            screen = pilot.app.screen
            assert isinstance(screen, TranscriptScreen)
            screen.query_one("#passages").highlighted = 3  # type: ignore[attr-defined]
            started = time.perf_counter()
            screen._do("retag", 3, "2.2")
            await pilot.pause()
            result.append(time.perf_counter() - started)

    asyncio.run(drive())
    return result[0], result[1]


def run(quick: bool) -> str:
    n_interviews = 10 if quick else INTERVIEWS
    runs = 3 if quick else 7
    rng = random.Random(7)
    guide = load_bundled("nav-trivsel-nb")
    interviews = [synthetic_interview(n + 1, guide, WORDS, rng) for n in range(n_interviews)]
    total_words = sum(i.word_count for i in interviews)
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="kvale-bench-review-") as tmp:
        folder = Path(tmp)
        from store import Project
        from store.corpus import corpus_from_project

        project_dir = _real_project(folder / "project", interviews, guide)
        stored = sorted((project_dir / "interviews").glob("*.json"))
        stored_size = sum(p.stat().st_size for p in stored)

        def real_baseline() -> object:
            return [json.loads(p.read_bytes()) for p in stored]

        base = _median(real_baseline, runs)
        rows.append(("baseline: json.loads of the project's interview documents", base, ""))

        def open_project() -> object:
            return list(Project.open(project_dir).interviews())

        rows.append(("open: Project.open + interviews list", _median(open_project, runs), "≤ 1 s"))

        def load_real() -> Corpus:
            return corpus_from_project(Project.open(project_dir))

        rows.append(
            ("load all: Project → review Corpus (every passage)", _median(load_real, runs), "")
        )
        corpus = load_real()
        ids = guide.ids
        per_q = [_median(lambda q=q: by_question(corpus, q), runs) for q in ids]  # type: ignore[misc]
        rows.append(
            ("by_question, one question × all interviews", statistics.median(per_q), "≤ 200 ms")
        )
        rows.append(("by_question, slowest question", max(per_q), "≤ 200 ms"))
        rows.append(
            ("question × participant matrix", _median(lambda: question_matrix(corpus), runs), "")
        )
        rows.append(
            ("by-question screen: show a question (Pilot)", _screen_time(corpus, runs), "≤ 200 ms")
        )
        opened, retagged = _transcript_times(corpus)
        rows.append(("transcript screen: open a 5 000-word interview (Pilot)", opened, ""))
        rows.append(("transcript screen: retag a passage (Pilot)", retagged, ""))
    lines = [
        f"{n_interviews} synthetic interviews × {WORDS} words ({total_words:,} words, "
        f"{stored_size / 1e6:.1f} MB of project documents with word timings); "
        f"median of {runs} runs.",
        "",
        "| step | time | × baseline | target |",
        "|---|---:|---:|---|",
    ]
    for name, seconds, goal in rows:
        ratio = f"{seconds / base:.1f}" if base and seconds else ""
        lines.append(f"| {name} | {seconds * 1000:.1f} ms | {ratio} | {goal} |")
    return "\n".join(lines)
