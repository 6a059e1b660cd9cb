"""Tag a transcript against the guide: units, evidence, decoding, passages."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from guide.model import Guide
from guide.tagging.echo import return_echo, returning
from guide.tagging.evidence import (
    NONE_BY_HAND,
    Scores,
    decide_interviewer,
    emissions,
    score_units,
)
from guide.tagging.learned import AskingModel
from guide.tagging.matcher import Matcher, language_of
from guide.tagging.model import Decoded, InterviewModel
from guide.tagging.options import TaggingOptions
from guide.tagging.presses import kept_presses
from guide.tagging.units import Unit, make_units
from guide.transcript import (
    NO_QUESTION,
    Marker,
    Passage,
    Segment,
    Speaker,
    SpeakerSource,
    Tag,
    TagSource,
    Word,
    is_manual,
    speaker_said,
    voice_of,
    word_text,
)
from kvale_errors import KvaleError

log = logging.getLogger(__name__)

_EPS = 1e-3


@dataclass(frozen=True)
class Detection:
    """A unit in which the interviewer asks (reads or paraphrases) a guide question."""

    question_id: str
    start: float  # seconds
    end: float  # seconds
    score: float  # posterior probability that this question is in force, 0–1
    segment_index: int
    word_start: int = 0  # first word of the unit in the segment's words
    word_end: int = 0  # one past its last word (0 when the segment has no words)
    # lexical/character-level likeness to the question's wordings, 0–1 (at a return the
    # interviewer announces, also to its earlier askings: `echo.return_echo`)
    letters: float = 0.0
    voiced: bool = False  # spoken in the voice decided to be the interviewer's


@dataclass(frozen=True)
class Analysis:
    """One decoding of a transcript."""

    matcher: Matcher
    units: list[Unit]
    scores: Scores
    decoded: Decoded
    interviewer: int | None
    presses: list[Marker]  # the key presses that mark an asking (`kept_presses`)


def analyse(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker],
    language: str | None,
    options: TaggingOptions,
    manual: Sequence[Passage] = (),
    askings: Sequence[tuple[str, str]] = (),
    voice: int | None = None,
) -> Analysis:
    """Cut into units, score them, decide the interviewer's voice (unless ``voice``, the
    one the researcher said, is given), decode."""
    matcher = Matcher(guide, language_of(guide, language), options)
    markers = kept_presses(markers)
    presses = [m.time for m in markers]
    units = make_units(segments, matcher.language, options, presses)
    scores = score_units(matcher, units, markers, guide.intro, options)
    learned = AskingModel(askings, matcher.language, options.learned_prior)
    if learned:
        ids = [q.id for q in matcher.questions]
        scores = replace(scores, learned=learned.log_ratios([u.text for u in units], ids))
    # a theme heading that is no question ("Informasjon") is rarely asked aloud; the
    # question that opens a theme seldom left out, a follow-up as the talk needs it
    aloud = [
        options.heading_asked if title else options.theme_asked if opens else 1.0
        for title, opens in zip(matcher.titles, scores.opens, strict=True)
    ]
    themes = [q.section_id for q in matcher.questions]
    # in an interview with key presses, a question change no press marks is less likely
    pinned = bool(np.any(scores.presses))
    unpressed = math.log(options.press_missed) if pinned else 0.0
    model = InterviewModel(len(matcher.questions), options, aloud, themes, unpressed)
    if not units or not matcher.questions:
        n, t = len(matcher.questions), len(units)
        nothing = Decoded(
            np.full(t, -1, dtype=np.int64), np.zeros(t, dtype=bool), np.zeros((t, n)), np.zeros(t)
        )
        return Analysis(matcher, units, scores, nothing, None, markers)
    fixed = _manual_per_unit(matcher, units, manual)
    interviewer = voice
    log_e = model.emissions(*emissions(units, scores, options, interviewer, fixed))
    if interviewer is None and any(u.voice is not None for u in units):
        # who asks, from a decoding without voices: its posteriors are all it takes
        gamma = model.posteriors(log_e, scores.presses, scores.backs)
        interviewer = decide_interviewer(units, gamma[:, model.asking].sum(axis=1), scores, options)
        if interviewer is not None:
            log_e = model.emissions(*emissions(units, scores, options, interviewer, fixed))
    if options.echo and returning(units, scores.backs, scores.lexical, matcher.language):
        # at a return the interviewer announces, the earlier asking it says again, as a
        # first decoding finds the askings (`return_echo`)
        path = model.viterbi(log_e, scores.presses, scores.backs)
        echo = options.echo * return_echo(
            units,
            model.q[path],
            model.asking[path],
            scores.backs,
            scores.lexical,
            matcher.language,
        )
        if np.any(echo > scores.lexical):
            scores = replace(scores, lexical=np.maximum(scores.lexical, echo))
            log_e = model.emissions(*emissions(units, scores, options, interviewer, fixed))
    temperature = options.confidence_temperature / mean_word_probability(segments)
    # where no press pins the path, each unit's most probable question (`decode`)
    labels = options.label_temperature if not pinned and options.label_temperature else None
    decoded = model.decode(
        log_e, scores.presses, scores.backs, temperature=temperature, label_temperature=labels
    )
    return Analysis(matcher, units, scores, decoded, interviewer, markers)


def mean_word_probability(segments: Sequence[Segment]) -> float:
    """The mean of ASR's word probabilities (0.05–1; 1 without words): the share of the
    transcript's words likely heard right. Words with probability 0 are left out: the
    store marks text the researcher put back that way (`restore_removed`), which is a
    mark for review, not ASR's measure."""
    probs = [w.probability for s in segments for w in s.words if w.probability > 0.0]
    return min(1.0, max(math.fsum(probs) / len(probs), 0.05)) if probs else 1.0


def pins(passages: Sequence[Passage]) -> list[Passage]:
    """The passages whose manual tags pin the decoding, in time order: each tagged by hand
    with a question, and each tagged "No question" (`NO_QUESTION`) while no passage before
    it has a question (small talk before the interview begins: the decoding puts it before
    the first question). A "No question" later on is the researcher's for that passage
    alone: the model has no state for talk between two questions, and pinning the time
    before the first question there would take the questions before it away."""
    out = []
    begun = False
    for p in sorted(passages, key=lambda p: p.start):
        none = p.primary is None or p.primary.question_id == NO_QUESTION
        if is_manual(p) and not (none and begun):
            out.append(p)
        begun = begun or not none
    return out


def _manual_per_unit(
    matcher: Matcher, units: Sequence[Unit], manual: Sequence[Passage]
) -> list[int] | None:
    """Per unit, the guide index of the question a manual tag over it gives, `NONE_BY_HAND`
    where the researcher said its passage answers none (`NO_QUESTION`: small talk, the
    intro), or -1 where no manual tag lies over it; None without manual tags."""
    if not manual:
        return None
    index = {q.id: i for i, q in enumerate(matcher.questions)}
    out = []
    for u in units:
        mid = (u.start + u.end) / 2
        q = -1
        for p in manual:
            if p.primary is not None and p.start - _EPS <= mid <= p.end + _EPS:
                qid = p.primary.question_id
                q = NONE_BY_HAND if qid == NO_QUESTION else index.get(qid, -1)
                break
        out.append(q)
    return out


def researcher_voice(passages: Sequence[Passage]) -> int | None:
    """The interviewer's voice as the researcher named it in review: the one voice
    (`voice_of`) more of whose words in passages set by voice (`SpeakerSource.VOICE`)
    are the interviewer's than the participant's. None when no voice is, or more than
    one (the tagger then decides it from the turns). A speaker the researcher set for
    one passage names no voice: it may be a word the voices got wrong."""
    said: dict[int, int] = {}
    for p in passages:
        v = voice_of(p)
        if p.speaker_source is SpeakerSource.VOICE and v is not None:
            n = len(p.words) if p.speaker is Speaker.INTERVIEWER else -len(p.words)
            said[v] = said.get(v, 0) + n
    asks = [v for v, n in said.items() if n > 0]
    return asks[0] if len(asks) == 1 else None


def _speaker(a: Analysis, t: int) -> Speaker:
    u = a.units[t]
    if a.interviewer is not None and u.voice is not None:
        return Speaker.INTERVIEWER if u.voice == a.interviewer else Speaker.PARTICIPANT
    if a.decoded.question[t] < 0:
        return Speaker.UNKNOWN
    if a.decoded.asking[t] or (u.probe and u.question):  # ("Can you give an example?")
        return Speaker.INTERVIEWER
    return Speaker.UNKNOWN if u.question else Speaker.PARTICIPANT


def _sources(a: Analysis, options: TaggingOptions) -> list[TagSource]:
    """Per unit: MARKER when a key press for its question (``a.presses``) lies within the
    press window of the asking that began its run of units, else DETECTED."""
    ids = [q.id for q in a.matcher.questions]
    presses: dict[str, list[float]] = {}
    for m in a.presses:
        if m.question_id is not None:
            presses.setdefault(m.question_id, []).append(m.time)
    out: list[TagSource] = []
    source = TagSource.DETECTED
    for t, u in enumerate(a.units):
        q = int(a.decoded.question[t])
        new_run = t == 0 or q != int(a.decoded.question[t - 1])
        if (
            q >= 0
            and (new_run or a.decoded.asking[t])
            and (new_run or source is TagSource.DETECTED)
        ):
            lo, hi = u.start - options.press_early, u.end + options.press_late
            pressed = any(lo <= m <= hi for m in presses.get(ids[q], ()))
            source = TagSource.MARKER if pressed else TagSource.DETECTED
        out.append(source)
    return out


def tag_transcript(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker],
    *,
    language: str | None = None,
    previous: Sequence[Passage] = (),
    options: TaggingOptions | None = None,
    askings: Sequence[tuple[str, str]] = (),
) -> list[Passage]:
    """Cut the transcript into passages and tag each with the question it answers.

    Args:
        guide: The interview guide.
        segments: The transcript segments (any order; sorted by start), with word
            timestamps if any, and each word's voice (`Word.voice`) when the audio told.
        markers: The interviewer's key presses (may be empty, as for an import); a
            question brought up and then skipped with the skip key marks no asking.
        language: The interview's language; default the guide's, else English.
        previous: The passages of an earlier tagging: their manual tags carry over and
            always win, and so do the speakers the researcher set (`speaker_said`),
            which may also say whose voice is the interviewer's (`researcher_voice`).
        options: The model's parameters; defaults if None.
        askings: How this interviewer asked the guide's questions before: (question id,
            their words) from earlier interviews on the same guide, as the researcher
            tagged or pressed them (`learned.AskingModel`; may be empty).

    Returns:
        The passages in time order, covering every word once, each with a primary tag
        (None before the first question; confidence = the posterior probability of that
        question at its units), secondary tags (content) and a speaker.
    """
    opts = options or TaggingOptions()
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return []
    manual = [p for p in previous if is_manual(p)]
    said = [p for p in previous if speaker_said(p)]  # the speakers set by hand stay
    a = analyse(
        guide, segs, markers, language, opts, pins(previous), askings, researcher_voice(said)
    )
    ids = [q.id for q in a.matcher.questions]
    sources = _sources(a, opts)
    unit_of: dict[tuple[int, int], int] = {}
    for t, u in enumerate(a.units):
        for where in u.keys:
            unit_of[where] = t
    # per unit, what a passage must share: the question, the speaker, the tag's source
    label = [(int(a.decoded.question[t]), _speaker(a, t), sources[t]) for t in range(len(a.units))]

    passages: list[Passage] = []
    for si, seg in enumerate(segs):
        items = [(wi, w) for wi, w in enumerate(seg.words)] if seg.words else [(-1, None)]
        group: list[tuple[int, Word | None, int]] = []
        current: tuple[object, ...] | None = None
        for wi, w in items:
            t = unit_of.get((si, wi), -1)
            start = w.start if w is not None else seg.start
            end = w.end if w is not None else seg.end
            m = _manual_index(manual, start, end) if manual else -1
            h = _manual_index(said, start, end) if said else -1
            k: tuple[object, ...] = (*label[t], m, h) if t >= 0 else (-1, m, h)
            if group and k != current:
                passages.append(_passage(a, seg, group, ids, sources, manual, said, opts))
                group = []
            current = k
            group.append((wi, w, t))
        if group:
            passages.append(_passage(a, seg, group, ids, sources, manual, said, opts))
    return passages


def _manual_index(manual: Sequence[Passage], start: float, end: float) -> int:
    mid = (start + end) / 2
    for i, p in enumerate(manual):
        if p.start - _EPS <= mid <= p.end + _EPS:
            return i
    return -1


def _passage(
    a: Analysis,
    seg: Segment,
    group: Sequence[tuple[int, Word | None, int]],
    ids: Sequence[str],
    sources: Sequence[TagSource],
    manual: Sequence[Passage],
    said: Sequence[Passage],
    options: TaggingOptions,
) -> Passage:
    words = tuple(w for _wi, w, _t in group if w is not None)
    if words:
        text = word_text(words) if len(words) < len(seg.words) else seg.text.strip()
        start, end = words[0].start, words[-1].end
    else:
        text, start, end = seg.text.strip(), seg.start, seg.end
    t0 = group[0][2]
    primary = None
    speaker = Speaker.UNKNOWN
    if t0 >= 0:
        speaker = _speaker(a, t0)
        q = int(a.decoded.question[t0])
        if q >= 0:
            post = a.decoded.posterior
            conf = sum(float(post[t, q]) for _wi, _w, t in group) / len(group)
            primary = Tag(ids[q], sources[t0], round(min(1.0, max(0.0, conf)), 4))
    passage = Passage(start=start, end=end, text=text, words=words, speaker=speaker)
    if (h := _manual_index(said, start, end)) >= 0:
        passage = replace(
            passage,
            speaker=said[h].speaker,
            speaker_source=said[h].speaker_source,
            said_voice=said[h].said_voice,
        )
    m = _manual_index(manual, start, end)
    return _finish(passage, primary, manual[m].primary if m >= 0 else None, a.matcher, options)


def _finish(
    passage: Passage,
    primary: Tag | None,
    manual: Tag | None,
    matcher: Matcher,
    options: TaggingOptions,
) -> Passage:
    """Add a secondary tag from content (a participant passage that also speaks to
    another question), and the manual tag on top of everything."""
    secondary: list[Tag] = []
    if passage.speaker is not Speaker.INTERVIEWER and passage.text:
        primary_id = primary.question_id if primary else None
        sims = matcher.content_scores(passage.text, primary_id)
        ranked = sorted(
            ((q, s) for q, s in sims.items() if q != primary_id),
            key=lambda qs: (
                -qs[1],
                0 if primary_id and matcher.section[qs[0]] == matcher.section[primary_id] else 1,
                matcher.order[qs[0]],
            ),
        )
        if ranked and ranked[0][1] >= options.content_secondary:
            qid, sim = ranked[0]
            secondary.append(Tag(qid, TagSource.CONTENT, round(min(1.0, 0.8 * sim), 4)))
    if manual is not None:
        if primary is not None and primary.question_id != manual.question_id:
            secondary.insert(0, primary)
        primary = manual
    secondary = [t for t in secondary if primary is None or t.question_id != primary.question_id]
    return replace(passage, primary=primary, secondary=tuple(secondary))


def detect_questions(
    guide: Guide,
    segments: Sequence[Segment],
    language: str | None = None,
    options: TaggingOptions | None = None,
) -> list[Detection]:
    """Where the interviewer asks (reads or paraphrases) a guide question, from the words
    (and voices) alone: the askings the decoder finds, without key presses.

    Returns:
        One detection per asking (consecutive asking units of one question merged), in
        time order, with the posterior of that question as its score (0–1).
    """
    opts = options or TaggingOptions()
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return []
    a = analyse(guide, segs, [], language, opts)
    ids = [q.id for q in a.matcher.questions]
    out: list[Detection] = []
    prev = -1
    for t, u in enumerate(a.units):
        q = int(a.decoded.question[t])
        if not a.decoded.asking[t] or q < 0:
            prev = -1
            continue
        if q == prev and out and out[-1].segment_index == u.segment_index:
            last = out[-1]
            out[-1] = replace(last, end=u.end, word_end=u.word_end)
            continue
        out.append(
            Detection(
                ids[q],
                u.start,
                u.end,
                round(float(a.decoded.posterior[t, q]), 4),
                u.segment_index,
                u.word_start,
                u.word_end,
                round(float(a.scores.lexical[t, q]), 4),
                a.interviewer is not None and u.voice == a.interviewer,
            )
        )
        prev = q
    return out


def interviewer_voice(
    guide: Guide,
    segments: Sequence[Segment],
    markers: Sequence[Marker] = (),
    *,
    language: str | None = None,
    options: TaggingOptions | None = None,
) -> int | None:
    """Which voice (``Word.voice``) is the interviewer's, or None when the voices do not
    say clearly; decided from the turns as a whole, as `tag_transcript` decides it."""
    opts = options or TaggingOptions()
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return None
    return analyse(guide, segs, markers, language, opts).interviewer


def retag_passage(passages: Sequence[Passage], index: int, question_id: str) -> list[Passage]:
    """Tag one passage by hand: a manual tag (confidence 1.0) that survives re-tagging.

    The passage's previous primary tag is kept as a secondary one, unless it was a
    manual tag too (the researcher changed their mind).

    Raises:
        KvaleError: there is no passage at ``index``.
    """
    if not 0 <= index < len(passages):
        raise KvaleError(
            f"There is no passage {index + 1}; the transcript has {len(passages)} passages. "
            "Pick a passage from the list.",
            title="No such passage",
        )
    old = passages[index]
    secondary = tuple(t for t in old.secondary if t.question_id != question_id)
    # the tagger's tag is kept; the researcher's own earlier choice, changed now, is not
    replaced = old.primary
    if (
        replaced is not None
        and replaced.question_id != question_id
        and replaced.source is not TagSource.MANUAL
    ):
        secondary = (replaced, *secondary)
    new = replace(old, primary=Tag(question_id, TagSource.MANUAL, 1.0), secondary=secondary)
    return [*passages[:index], new, *passages[index + 1 :]]
