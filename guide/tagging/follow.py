"""One correction, and the rest follow: tag again the passages not tagged by hand, with
the manual tags as fixed points of the decoding.

A paraphrased asking the decoder misreads sets every later question one behind: the
order of the guide carries the error on. A manual tag pins the question in force where
it lies (`evidence.emissions`, ``manual``), so decoding again puts the askings after it
back in their places; one retag by the researcher can mend a whole run of passages.
"No question" said of small talk before the interview begins (no passage before it has
a question) pins the time before the first question there, so the talk after it that
goes with it follows, and the first asking after it is read again (`tagger.pins`).
The passages keep their bounds, text, words, speaker and codes (the researcher's
splits, merges, corrections and coding); only their automatic tags change.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from guide.model import Guide
from guide.tagging.options import TaggingOptions
from guide.tagging.tagger import Analysis, _sources, _speaker, analyse, pins, researcher_voice
from guide.transcript import (
    NO_QUESTION,
    Marker,
    Passage,
    Segment,
    Speaker,
    Tag,
    TagSource,
    is_manual,
)


def follow_manual(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker],
    passages: Sequence[Passage],
    *,
    language: str | None = None,
    options: TaggingOptions | None = None,
    start: int = 0,
    askings: Sequence[tuple[str, str]] = (),
) -> list[Passage]:
    """Tag again every passage without a manual tag so that it agrees with the manual ones.

    Args:
        guide: The interview's guide.
        segments: The transcript as stored (the decoding's units are cut from it), with
            each word's voice when known.
        markers: The interviewer's key presses (may be empty).
        passages: The interview's passages now, in time order; those with a manual
            primary tag are the fixed points, and the voice the researcher named the
            interviewer's is theirs (`researcher_voice`; else it is decided).
        language: The interview's language; default the guide's.
        options: The model's parameters; defaults if None.
        start: Only the passages from this index on change, and the interviewer's turn
            just before it when the decoding now gives that turn the question of the
            passage at ``start`` (the asking of a retagged answer). The review screen
            passes the passage just retagged: the researcher has read those before it.
        askings: This interviewer's askings in earlier interviews (`tag_transcript`).

    Returns:
        The passages, as many and in the same order, with the same start, end (seconds),
        text, words, speaker and codes. A passage with a manual tag, or before
        ``start`` (but for those above), is returned as it is. Every other one gets the
        question the decoding gives most of its words (confidence = its mean posterior
        there, 0–1), or none where the decoding puts them before the first question,
        where that is its question already or the decoding is surer of it than of the
        passage's tag before (`_surer`); its secondary tags are kept, less the new
        primary. With no manual tag and no voice set by the researcher, or no
        transcript, the passages come back unchanged.
    """
    opts = options or TaggingOptions()
    segs = sorted(segments, key=lambda s: s.start)
    manual = [p for p in passages if is_manual(p)]
    voice = researcher_voice(passages)
    if not (manual or voice is not None) or not segs:
        return list(passages)
    pinned_by = pins(passages)
    a = analyse(guide, segs, markers, language, opts, pinned_by, askings, voice)
    if not a.units:
        return list(passages)
    ids = [q.id for q in a.matcher.questions]
    sources = _sources(a, opts)
    starts = [u.start for u in a.units]
    out = [_relabel(p, a, ids, sources, starts) for p in passages]
    # the passages before ``start`` stay as read, but for the interviewer's turn just
    # before it, when the decoding now gives it the question of the passage at ``start``
    # (the asking of a retagged answer)
    first = start
    pinned = passages[start].primary if 0 < start < len(passages) else None
    while pinned is not None and pinned.question_id != NO_QUESTION and first > 0:
        before, new = passages[first - 1], out[first - 1].primary
        if is_manual(before) or before.speaker is not Speaker.INTERVIEWER:
            break
        if before.primary is None or new is None or new.question_id != pinned.question_id:
            break
        first -= 1
    # small talk said to be no question: the talk the decoding now puts before the first
    # question with it goes untagged too (only there: with no such tag, a reading that
    # finds no question, as with the voice named wrong, takes no tag away)
    small_talk = any(p.primary and p.primary.question_id == NO_QUESTION for p in pinned_by)
    begins = next((i for i, p in enumerate(out) if p.primary is not None), len(out))
    return [
        p
        if is_manual(p)
        or i < first
        or not _surer(p, out[i], _intro_share(p, a, starts) if small_talk and i < begins else None)
        else _followed(p, out[i])
        for i, p in enumerate(passages)
    ]


def _followed(old: Passage, new: Passage) -> Passage:
    """``new``, its tag marked as one that follows a manual tag where its question
    changed (`TagSource.FOLLOWED`: the next retag may move it again)."""
    if new.primary is None or (old.primary and old.primary.question_id == new.primary.question_id):
        return new
    return replace(new, primary=replace(new.primary, source=TagSource.FOLLOWED))


def _surer(old: Passage, new: Passage, before_first: float | None = None) -> bool:
    """Whether ``new`` may replace ``old``: the same question (its confidence as the
    decoding with the manual tags has it), or another one the decoding is surer of than
    the first decoding was of the old one (a passage it was sure of and now doubts
    stays as it was). ``new`` without a question (the decoding puts the passage before
    the first question) replaces a tag only when ``before_first`` is given, the
    decoding's probability of that (0–1), and it is above the old tag's confidence or
    the old tag only followed an earlier retag."""
    if old.primary is None:
        return True
    if new.primary is None:
        if before_first is None:
            return False
        return old.primary.source is TagSource.FOLLOWED or before_first > old.primary.confidence
    if old.primary.question_id == new.primary.question_id:
        return True
    # a tag set to follow an earlier manual tag follows the manual tags as they are now
    # (a retag corrected: its followers go with it, however sure the first decoding was)
    if old.primary.source is TagSource.FOLLOWED:
        return True
    return new.primary.confidence > old.primary.confidence


def _intro_share(p: Passage, a: Analysis, starts: list[float]) -> float:
    """The decoding's probability that the passage lies before the first question (the
    mean over its words' units, 0–1)."""
    units = _units_of(p, starts)
    gone = sum(1.0 - float(a.decoded.posterior[t].sum()) for t in units)
    return min(1.0, max(0.0, gone / len(units)))


def _units_of(p: Passage, starts: list[float]) -> list[int]:
    """Each of the passage's words' unit (the last that starts at or before the word's
    middle), or its middle's without words."""
    times = [(w.start + w.end) / 2 for w in p.words] or [(p.start + p.end) / 2]
    return [max(0, bisect.bisect_right(starts, t) - 1) for t in times]


def _relabel(
    p: Passage, a: Analysis, ids: list[str], sources: list[TagSource], starts: list[float]
) -> Passage:
    """The passage with the question the decoding gives most of its words."""
    units = _units_of(p, starts)
    # the question most of its words are given (a tie: the one heard first)
    q = Counter(int(a.decoded.question[t]) for t in units).most_common(1)[0][0]
    if q < 0:
        return replace(p, primary=None)
    mine = [t for t in units if int(a.decoded.question[t]) == q]
    conf = sum(float(a.decoded.posterior[t, q]) for t in units) / len(units)
    primary = Tag(ids[q], sources[mine[0]], round(min(1.0, max(0.0, conf)), 4))
    secondary = tuple(t for t in p.secondary if t.question_id != primary.question_id)
    return replace(p, primary=primary, secondary=secondary)


def tagger_speakers(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker],
    passages: Sequence[Passage],
    *,
    language: str | None = None,
    options: TaggingOptions | None = None,
) -> list[Speaker]:
    """Who speaks each passage as the tagger says it (the speaker a passage set by hand
    goes back to when the researcher lets the tagger decide again): from the voices,
    with the interviewer's as the researcher named it (`researcher_voice`) or as decided
    from the turns, else from the askings. One per passage, in order; the speaker of
    most of its words (a tie: the first heard); a passage without words, by its middle.
    With no transcript, each passage's speaker as it is."""
    opts = options or TaggingOptions()
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return [p.speaker for p in passages]
    a = analyse(
        guide, segs, markers, language, opts, pins(passages), (), researcher_voice(passages)
    )
    if not a.units:
        return [p.speaker for p in passages]
    starts = [u.start for u in a.units]
    out = []
    for p in passages:
        units = _units_of(p, starts)
        out.append(Counter(_speaker(a, t) for t in units).most_common(1)[0][0])
    return out
