"""Words heard twice across a break in decoding: keep only what is beyond the words there.

Whisper decodes each 30 s window without the text before it (`audio.engines`: no
conditioning), and the gap filler (`audio.gaps`) decodes a stretch by itself. Either may
hear again, often in other words, what the transcript already has beside it: with the
real MFA clip ``mfa_surround`` the window after "…but what are you gonna" began with
"I'm going to do" where the speaker said only "do" (plain faster-whisper, conditioned on
the text before, wrote "do?").

The model decides, not a duration or a count of matching words. For a new piece of
words N, the transcript's words within `CONTEXT_S` before it (P) and after it (F) are
taken with the audio under all of them, and Whisper scores (`audio.likelihood`) the texts
P + N[i:j] + F for the trims of N from the sides where there are neighbours, the empty
trim included. The best-scoring trim is kept; words trimmed are what the model hears as
already written. On a tie the longer text wins: the engine's words are the floor.

Only words that could be a second hearing are offered for trimming: those the
neighbouring words meet in time (`_open`), or any, when a neighbour lies over no speech
at all (written at the wrong time). Whisper's likelihood alone leans towards skipping
speech it skipped once: a participant saying one phrase six times, which the engine
left out and the gap filler heard, scored higher without the copies.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from audio.likelihood import MAX_S
from audio.speech import Spans, overlaps
from audio.types import Removal, Segment, Word, with_words

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
CONTEXT_S = 10.0  # neighbouring words this far before and after a new piece are context
PAD_S = 0.2  # audio around the first and last word scored
WORD_PAD_S = 0.3  # word times are rough by this much (`audio.gaps.WORD_PAD_S`)
MAX_JOINT = 80  # more trims than this are searched one side after the other


class Scorer(Protocol):
    def score(
        self, audio: npt.NDArray[np.float32], texts: Sequence[str], *, language: str
    ) -> list[float]: ...


def _text(words: Sequence[Word]) -> str:
    return "".join(w.word for w in words)


def beyond(
    engine: object,
    audio: npt.NDArray[np.float32],
    new: Sequence[Word],
    before: Sequence[Word],
    after: Sequence[Word] = (),
    *,
    language: str | None,
    offset: float = 0.0,
    spans: Spans | None = None,
) -> tuple[int, int]:
    """Which of ``new`` are beyond the words around it: ``(i, j)``, keep ``new[i:j]``
    (``(0, len(new))``: all; ``i == j``: none).

    Args:
        engine: an engine with a ``score`` method (`audio.likelihood`); without one, or
            without a language, everything is kept.
        audio: mono float32 at 16 kHz; ``offset`` is where it starts on the words' timeline.
        new: the words heard again, in time order.
        before, after: the transcript's words before and after ``new`` in its text order
            (`neighbours`); ``new`` is trimmed at its start only when there are words
            before, at its end only when there are words after.
        spans: speech on the words' timeline (`audio.speech`), for `_open`.
    """
    n = len(new)
    if not n or language is None or not hasattr(engine, "score") or not (before or after):
        return 0, n
    times = [w.start for w in (*before, *new, *after)] + [w.end for w in (*before, *new, *after)]
    lo = max(offset, min(times) - PAD_S)
    hi = min(offset + len(audio) / SAMPLE_RATE, max(times) + PAD_S, lo + MAX_S)
    piece = audio[int((lo - offset) * SAMPLE_RATE) : int((hi - offset) * SAMPLE_RATE)]
    starts = range(_open(new, before, spans) + 1)
    ends = range(n - _open(new[::-1], after, spans, after=True), n + 1)
    pairs = [(i, j) for i in starts for j in ends if i <= j]
    if len(pairs) == 1:  # nothing could be a second hearing
        return 0, n
    score = engine.score

    def best(options: list[tuple[int, int]]) -> tuple[int, int]:
        texts = [_text([*before, *new[i:j], *after]) for i, j in options]
        scores = score(piece, texts, language=language)
        return max(zip(scores, options, strict=True), key=lambda x: (x[0], x[1][1] - x[1][0]))[1]

    if len(pairs) <= MAX_JOINT:
        i, j = best(pairs)
    else:  # the start first, then the end
        i, _ = best([(i, n) for i in starts])
        _, j = best([(i, j) for j in ends if j >= i])
    if (i, j) != (0, n):
        log.info("left out %d of %d words heard again beside words written", n - (j - i), n)
    return i, j


def _open(
    new: Sequence[Word], side: Sequence[Word], spans: Spans | None, *, after: bool = False
) -> int:
    """How many of ``new``'s words, from the ``side`` end (``new`` reversed for the words
    after), could be a second hearing of ``side``: those the side's words meet in time
    (within `WORD_PAD_S`). Words beside speech no word covers are new whatever the model
    prefers there: Whisper skipped that speech once (a participant repeating a phrase six
    times) and its likelihood leans the same way. When a side word lies over no speech
    at all, it was written at the wrong time and may be any of them."""
    if not side:
        return 0
    if spans is not None and any(not overlaps(spans, w.start, w.end) for w in side):
        return len(new)
    if after:
        edge = min(w.start for w in side) - WORD_PAD_S
        return next((k for k, w in enumerate(new) if w.end < edge), len(new))
    edge = max(w.end for w in side) + WORD_PAD_S
    return next((k for k, w in enumerate(new) if w.start > edge), len(new))


def neighbours(segment: Segment, context: Sequence[Segment]) -> tuple[list[Word], list[Word]]:
    """The words of ``context`` within `CONTEXT_S` of ``segment`` that come before and
    after it in the transcript's text, which is in order of segment start (a word's own
    times can be far off: Whisper stretched a segment's last word over 4 s of speech it
    skipped). The span scored stays within Whisper's 30 s."""
    a, b = segment.words[0].start, segment.words[-1].end
    reach = min(CONTEXT_S, (MAX_S - 2 * PAD_S - (b - a)) / 2)
    if reach <= 0:
        return [], []
    ordered = sorted((s for s in context if s is not segment), key=lambda s: (s.start, s.end))
    near = [
        (s.start < segment.start, w)
        for s in ordered
        for w in s.words
        if a - reach <= w.start <= b + reach and w.end >= a - reach
    ]
    return [w for first, w in near if first], [w for first, w in near if not first]


def keep_beyond(
    engine: object,
    audio: npt.NDArray[np.float32],
    segment: Segment,
    context: Sequence[Segment],
    *,
    language: str | None,
    offset: float = 0.0,
    trim_after: bool = True,
    removed: list[Removal] | None = None,
    spans: Spans | None = None,
) -> Segment | None:
    """``segment`` less the words `beyond` finds already written in ``context`` (None:
    all were); the words left out are appended to ``removed`` as ``duplicate`` removals.
    ``trim_after=False``: only its start may be trimmed, against the words before it."""
    words = segment.words
    before, after = neighbours(segment, context)
    i, j = beyond(
        engine,
        audio,
        words,
        before,
        after if trim_after else (),
        language=language,
        offset=offset,
        spans=spans,
    )
    for gone in (words[:i], words[j:]):
        if gone and removed is not None:
            removed.append(
                Removal(gone[0].start, gone[-1].end, _text(gone).strip(), "duplicate", gone)
            )
    if (i, j) == (0, len(words)):
        return segment
    return with_words(segment, words[i:j]) if j > i else None


def settle(
    engine: object,
    audio: npt.NDArray[np.float32],
    segments: Sequence[Segment],
    *,
    again: Sequence[int],
    window_firsts: Sequence[int] = (),
    language: str | None,
    offset: float = 0.0,
    removed: list[Removal] | None = None,
    spans: Spans | None = None,
) -> list[Segment]:
    """``segments`` (a transcript in time order) with the words heard twice left out.

    ``again`` indexes segments heard again (the gap filler's), trimmed at either side;
    ``window_firsts`` the first segment of each decoding window after the first, trimmed
    at its start only (a window decoded without the text before it may write again, in
    other words, what the window before ended with). They are checked in time order,
    each against the transcript as it stands, everything else in it included, so that
    the audio scored holds no speech that none of the texts holds.
    """
    out: list[Segment | None] = list(segments)
    both = set(again)
    for k in sorted(both | set(window_firsts)):
        seg = out[k]
        if seg is None or not seg.words:
            continue
        out[k] = keep_beyond(
            engine,
            audio,
            seg,
            [s for s in out if s is not None],
            language=language,
            offset=offset,
            trim_after=k in both,
            removed=removed,
            spans=spans,
        )
    return [s for s in out if s is not None]
