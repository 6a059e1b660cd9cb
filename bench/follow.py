"""Review effort: how many retags a researcher makes before every answer passage has
its right question, when each retag is only that passage's (``one at a time``) and when
the other passages follow it (`guide.tagging.follow_manual`, as the review screen does).

The researcher is simulated: reading from the start, they retag the first answer passage
(most of its words the participant's) whose question is wrong (the question most of its
answer words were given in) and go on; the
count ends when no answer passage is wrong, or at ``CAP`` retags. One at a time, that is
the number of wrong passages. Accuracy = answer words with the right primary question
(`bench.tagging_conditions.score`) before any retag and after the first and the third.

The interviews are those of the tagging bench with no key presses, where the tags hold
least (`bench.tagging`): the text-level interviews in held-out own words, the written
sets (C held out of every change), and the interviews with recorded answers through
kvale's transcription with the voices found (`bench.tagging_real`). Nothing here was
tuned: `follow_manual` has no parameter of its own. Then a project reviewed interview by
interview, learning or not how the interviewer asks from those reviewed before
(`store.askings`, `guide.tagging.learned`). Last, the time of one follow on a
~60-minute transcript against one tagging of it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bench.synth import Interview
from bench.tagging_conditions import _truth, known_voices, score, text_interview
from bench.tagging_written import SETS, interviews
from guide.tagging import follow_manual, retag_passage, tag_transcript
from guide.transcript import Passage, Segment
from store.askings import askings_of

CAP = 40  # retags at most, per interview


def _wrong(iv: Interview, passages: Sequence[Passage]) -> tuple[int, str] | None:
    """The first answer passage (most of its words the participant's) whose primary
    question is not the one most of its answer words were given in, with that question;
    None when there is none."""
    for i, p in enumerate(passages):
        truth = [_truth(iv, (w.start + w.end) / 2) for w in p.words]
        answer = Counter(q for q, role, _ in truth if role == "participant" and q is not None)
        if not answer or 2 * answer.total() < len(truth):
            continue
        right = answer.most_common(1)[0][0]
        if p.primary is None or p.primary.question_id != right:
            return i, right
    return None


@dataclass(frozen=True)
class Review:
    """One simulated review: accuracy (0–1) before any retag and after each, the retags
    made, the seconds spent in `follow_manual`, the answer words (`score`), and the
    passages as the review left them."""

    accs: list[float]
    retags: int
    spent: float
    words: int
    passages: list[Passage]


def review(
    iv: Interview,
    segments: Sequence[Segment],
    *,
    follow: bool,
    askings: Sequence[tuple[str, str]] = (),
) -> Review:
    """Simulate the review of one interview with no key presses; ``askings``: how the
    interviewer asked in the interviews reviewed before (`guide.tagging.learned`)."""
    lang = iv.language
    passages = tag_transcript(iv.guide, segments, [], language=lang, askings=askings)
    first = score(iv, passages)
    accs = [first["acc"]]
    spent = 0.0
    retags = 0
    while retags < CAP and (wrong := _wrong(iv, passages)) is not None:
        passages = retag_passage(passages, *wrong)
        if follow:
            t0 = time.perf_counter()
            passages = follow_manual(
                iv.guide, segments, [], passages, language=lang, start=wrong[0], askings=askings
            )
            spent += time.perf_counter() - t0
        accs.append(score(iv, passages)["acc"])
        retags += 1
    return Review(accs, retags, spent, int(first["words"]), passages)


def _sets(quick: bool) -> Iterator[tuple[str, str, list[tuple[Interview, list[Segment]]]]]:
    seeds = range(1, 4) if quick else range(1, 21)
    for lang in ("en", "nb"):
        ivs = [text_interview(lang, s, "held_out", "none", "") for s in seeds]
        yield "own words, held out (text-level)", lang, [(iv, iv.oracle_segments()) for iv in ivs]
    for which in SETS:
        for lang in ("en", "nb"):
            ivs = interviews(which, lang, "none")[: 3 if quick else None]
            name = f"written set {which}" + (" (held out)" if which == "C" else "")
            yield name, lang, [(iv, iv.oracle_segments()) for iv in ivs]
    if not quick:
        from bench.tagging import transcribe, with_voices
        from bench.tagging_real import build_real

        for lang in ("en", "nb"):
            real = [build_real(lang, s) for s in (1, 2, 3)]
            pairs = [(iv, with_voices(iv, transcribe(iv), [])[0]) for iv in real if iv is not None]
            if pairs:
                yield "recorded answers, asr + voices", lang, pairs


def _pct(accs: Sequence[Sequence[float]], k: int, words: Sequence[int]) -> str:
    got = [a[min(k, len(a) - 1)] for a in accs]
    return f"{sum(g * w for g, w in zip(got, words, strict=True)) / max(sum(words), 1):.1%}"


def run(quick: bool) -> str:
    """The table: per set and language, accuracy before and after retags, and retags to
    every answer passage right, one at a time and following."""
    rows = [
        "Review effort with no key presses (module docstring): answer words with the right "
        "primary question before any retag, and after 1 and 3 retags one at a time / with "
        "the rest following; retags until every answer passage is right (mean per "
        f"interview; at most {CAP}), one at a time and following; seconds per following "
        "retag.\n",
        "| interviews | lang | n | answer words | no retag | after 1 retag | after 3 retags "
        "| retags: one at a time | retags: following | s per follow |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, lang, pairs in _sets(quick):
        words, plain_accs, follow_accs, plain_n, follow_n = [], [], [], [], []
        spent, calls = 0.0, 0
        for iv, segs in pairs:
            plain = review(iv, segs, follow=False)
            words.append(plain.words)
            plain_accs.append(plain.accs)
            following = review(iv, segs, follow=True)
            follow_accs.append(following.accs)
            plain_n.append(plain.retags)
            follow_n.append(following.retags)
            spent, calls = spent + following.spent, calls + following.retags
        k = len(pairs)
        rows.append(
            f"| {name} | {lang} | {k} | {sum(words)} | {_pct(follow_accs, 0, words)} "
            f"| {_pct(plain_accs, 1, words)} / {_pct(follow_accs, 1, words)} "
            f"| {_pct(plain_accs, 3, words)} / {_pct(follow_accs, 3, words)} "
            f"| {sum(plain_n) / k:.1f} | {sum(follow_n) / k:.1f} "
            f"| {spent / max(calls, 1):.3f} |"
        )
    return "\n".join(rows) + "\n" + _project(quick) + _speed()


def _project(quick: bool) -> str:
    """A project reviewed interview by interview, in the written set's order, with the
    voices known (as kvale tags with the voices found; then the speaker of each passage
    is right): each interview tagged and its retags followed with the askings the
    researcher vouched for in those reviewed before (`store.askings.askings_of`: the
    interviewer's passages tagged by hand, or asking an answer tagged by hand), or
    with none. Retags per interview, first half and second half of the set."""
    rows = [
        "\nA project reviewed in order, each interview tagged with how the interviewer "
        "asked in those reviewed before (`store.askings`) or not; voices known, no "
        "presses, retags following; retags per interview in the first and second half "
        "of the set, and answer words right before any retag:\n",
        "| set | lang | n | retags, not learning (1st / 2nd half) "
        "| retags, learning (1st / 2nd half) | right before retags: not learning / learning |",
        "|---|---|---|---|---|---|",
    ]
    for which in SETS:
        for lang in ("en", "nb"):
            ivs = interviews(which, lang, "none")[: 4 if quick else None]
            half = len(ivs) // 2
            cells = []
            first = []
            for learning in (False, True):
                vouched: list[tuple[str, str]] = []
                counts, n, right = [], 0.0, 0.0
                for iv in ivs:
                    segs = known_voices(iv, iv.oracle_segments())
                    done = review(iv, segs, follow=True, askings=vouched if learning else ())
                    n, right = n + done.words, right + done.words * done.accs[0]
                    counts.append(done.retags)
                    vouched += askings_of(done.passages)
                a, b = counts[:half], counts[half:]
                cells.append(f"{sum(a) / max(len(a), 1):.1f} / {sum(b) / max(len(b), 1):.1f}")
                first.append(f"{right / n:.1%}" if n else "–")
            name = which + (" (held out)" if which == "C" else "")
            rows.append(
                f"| {name} | {lang} | {len(ivs)} | {cells[0]} | {cells[1]} "
                f"| {first[0]} / {first[1]} |"
            )
    return "\n".join(rows) + "\n"


def _speed() -> str:
    """One follow against one tagging, on the ~60-minute transcript of the tagging
    bench's speed table (`bench.tagging._tiled`: a held-out own-words interview tiled),
    no presses, a retag in its middle; best of 3 each, in this run."""
    from bench.tagging import _tiled, best

    iv = text_interview("en", 1, "held_out", "none", "")
    segs, _markers, length = _tiled(iv)
    passages = tag_transcript(iv.guide, segs, [], language="en")
    middle = len(passages) // 2
    manual = retag_passage(passages, middle, "3.2")

    tag = best(lambda: tag_transcript(iv.guide, segs, [], language="en"))
    follow = best(lambda: follow_manual(iv.guide, segs, [], manual, language="en", start=middle))
    words = sum(len(x.words) for x in segs)
    return (
        f"\nSpeed ({words} words, {length / 60:.0f} min, {len(passages)} passages; best of 3): "
        f"tag_transcript {tag:.3f} s, a retag's follow {follow:.3f} s "
        f"({follow / tag:.2f} × the tagging).\n"
    )
