"""Guards on an engine's segment stream: take out only what is surely not speech.

The engine's output is the floor. A guard removes text only on strong evidence that
nobody said it, and every removal is handed back as a `Removal` (time, text, reason) so
that the transcript can show it and the researcher can put it back:

* **no speech**: a segment that two independent detectors both place over no speech: no
  voice activity under it at all (`audio.speech`: Silero VAD on the level-normalised
  audio, so a quiet participant is speech too), and Whisper's own estimate for its window,
  ``no_speech_prob``, at least ``engine_no_speech``. This is what Whisper writes over
  silence or hiss ("You", "Thank you for watching."): on the bench's hiss and silence its
  ``no_speech_prob`` was 0.87–0.95. Whispered speech has no voicing, so the VAD misses
  it, but Whisper hears it (0.10 and 0.23 on the two whispered clips of the real corpus):
  it stays.
* **loop**: Whisper stuck on a phrase writes it over and over. Of a run of consecutive
  copies of one phrase, the copies that lie over no speech are removed, and any copies
  beyond ``max_copies`` (more than a person says in a row). People repeat themselves
  ("no, no, no", "jeg vet ikke, jeg vet ikke"): copies over speech up to that bound stay.
* **piled**: ``piled_words`` or more words in a row with no duration at one instant:
  nobody can say them there (Whisper wrote a sentence it heard elsewhere in the window).

Whisper's own checks (``no_speech_prob``, ``avg_logprob``, compression ratio) are the
engine's business: faster-whisper already falls back to higher temperatures or skips a
window on them. No absolute level is used anywhere. `bench/floor.py` counts what each
rule removes on real speech and on non-speech inputs.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from audio.speech import Spans, overlaps, speech_spans
from audio.types import Removal, Segment, Word, with_words

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class GuardSettings:
    """What the guards accept as evidence.

    Attributes:
        speech_pad_s: seconds around a segment or word within which voice activity counts
            as under it (word times are rough by a few hundred ms).
        engine_no_speech: Whisper's ``no_speech_prob`` at which it, too, says no speech.
        max_copies: copies of one phrase in a row that a person may say; more are a loop.
        max_phrase_words: longest phrase (words) looked for in loops.
        min_loop_copies: a run needs this many copies to be looked at as a loop at all.
        piled_words: this many words in a row at one instant were not heard there.
        low_word_probability: words under this are flagged for review (not changed).
    """

    speech_pad_s: float = 0.3
    engine_no_speech: float = 0.5
    max_copies: int = 8
    max_phrase_words: int = 8
    min_loop_copies: int = 3
    piled_words: int = 5
    low_word_probability: float = 0.5


def compression_ratio(text: str) -> float:
    """Bytes of text over bytes of its zlib compression (Whisper's loop measure)."""
    raw = text.encode("utf-8")
    return len(raw) / max(1, len(zlib.compress(raw))) if raw else 0.0


def max_ngram_repeats(text: str, n: int = 3) -> int:
    """How often the most frequent word n-gram occurs in the text."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return 1 if words else 0
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - n + 1):
        key = tuple(words[i : i + n])
        counts[key] = counts.get(key, 0) + 1
    return max(counts.values())


def token(word: str) -> str:
    """A word compared without case and punctuation ("No," == "no")."""
    return re.sub(r"[^\w]", "", word.lower())


def copy_runs(
    tokens: list[str], settings: GuardSettings = GuardSettings()
) -> list[tuple[int, int, int]]:
    """Runs of one phrase repeated in a row: ``(first index, phrase length, copies)``.

    At each position the phrase length that covers most words is taken; runs do not
    overlap. Only runs of at least ``min_loop_copies`` copies are listed.
    """
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(tokens):
        best = (0, 0)  # (words covered, phrase length)
        for n in range(1, settings.max_phrase_words + 1):
            phrase = tokens[i : i + n]
            if len(phrase) < n or not all(phrase):
                break
            k = 1
            while tokens[i + k * n : i + (k + 1) * n] == phrase:
                k += 1
            if k >= settings.min_loop_copies and k * n > best[0]:
                best = (k * n, n)
        if best[0]:
            n = best[1]
            runs.append((i, n, best[0] // n))
            i += best[0]
        else:
            i += 1
    return runs


def without_loops(
    segment: Segment,
    spans: Spans | None,
    settings: GuardSettings = GuardSettings(),
    offset: float = 0.0,
) -> tuple[Segment | None, list[Removal]]:
    """``segment`` without the copies of a looping phrase that nobody said.

    Args:
        segment: a segment with words.
        spans: speech on the audio's own timeline (None: no audio, only the bound applies).
        offset: seconds to subtract from word times to compare with ``spans``.

    Returns:
        The segment (the same object when nothing was removed, None when nothing is
        left) and what was removed.
    """
    words = segment.words
    runs = copy_runs([token(w.word) for w in words], settings)
    if not runs:
        return segment, []
    drop: set[int] = set()
    for first, n, copies in runs:
        for c in range(1, copies):
            idx = range(first + c * n, first + (c + 1) * n)
            copy = [words[k] for k in idx]
            heard = spans is None or any(
                overlaps(spans, w.start - offset, w.end - offset, settings.speech_pad_s)
                for w in copy
            )
            if c >= settings.max_copies or not heard:
                drop.update(idx)
    return _keep(segment, drop, "loop")


def without_piles(segment: Segment, settings: GuardSettings = GuardSettings()) -> Segment | None:
    """``segment`` without its runs of ``piled_words`` or more words piled at one instant.

    Whisper sometimes writes whole sentences it heard elsewhere (earlier in the window,
    or its prompt) with every word at the same time stamp, no time to say them: in the
    demo's live transcript 48 words sat at 60.74 s, repeating an answer given 15 s
    later. Those words are dropped; the rest of the segment stays (its times rebuilt
    from the words kept), or None when nothing is left.
    """
    kept, _removed = _without_piles(segment, settings)
    return kept


def _without_piles(
    segment: Segment, settings: GuardSettings
) -> tuple[Segment | None, list[Removal]]:
    words = segment.words
    drop: set[int] = set()
    i = 0
    while i < len(words):
        j = i
        while (
            j + 1 < len(words)
            and words[j + 1].start - words[i].start < 0.02
            and (words[j + 1].end - words[j + 1].start < 0.02)
        ):
            j += 1
        if j + 1 - i >= settings.piled_words:
            drop.update(range(i, j + 1))
            i = j + 1
            continue
        i += 1
    return _keep(segment, drop, "piled")


def _keep(segment: Segment, drop: set[int], reason: str) -> tuple[Segment | None, list[Removal]]:
    """``segment`` without the words at ``drop``, and the removals (one per run)."""
    if not drop:
        return segment, []
    words = segment.words
    removed: list[Removal] = []
    run: list[Word] = []
    for k, w in enumerate(words):
        if k in drop:
            run.append(w)
        if run and (k not in drop or k == len(words) - 1):
            removed.append(_removal(run, reason))
            run = []
    kept = tuple(w for k, w in enumerate(words) if k not in drop)
    return (with_words(segment, kept) if kept else None), removed


def _removal(words: list[Word], reason: str) -> Removal:
    text = "".join(w.word for w in words).strip()
    return Removal(round(words[0].start, 3), round(words[-1].end, 3), text, reason, tuple(words))


def low_confidence_words(segment: Segment, settings: GuardSettings = GuardSettings()) -> list[int]:
    """Indexes of the words whose probability is under the threshold."""
    return [i for i, w in enumerate(segment.words) if w.probability < settings.low_word_probability]


def guard_segments(
    segments: Iterable[Segment],
    audio: npt.NDArray[np.float32] | None = None,
    settings: GuardSettings = GuardSettings(),
    offset: float = 0.0,
    *,
    spans: Spans | None = None,
    removed: list[Removal] | None = None,
) -> Iterator[Segment]:
    """Pass the engine's segments through, lazily, less what is surely not speech.

    Low-confidence words are not changed here: the review screen asks
    `low_confidence_words` (word.probability < ``settings.low_word_probability``).

    Args:
        segments: the engine's segments.
        audio: the samples the segments came from (16 kHz mono), to find the speech in;
            optional (without it and ``spans`` only the loop bound and piles apply).
        settings: what counts as evidence.
        offset: seconds to subtract from segment times to index ``audio``/``spans``.
        spans: speech found already (`audio.speech.speech_spans` of ``audio``).
        removed: when given, every removal is appended to it.
    """
    if spans is None and audio is not None:
        spans = speech_spans(audio)
    out = removed if removed is not None else []
    for seg in segments:
        if not seg.text.strip():
            continue
        if (
            spans is not None
            and seg.no_speech_prob >= settings.engine_no_speech
            and not overlaps(spans, seg.start - offset, seg.end - offset, settings.speech_pad_s)
        ):
            out.append(Removal(seg.start, seg.end, seg.text.strip(), "no speech", seg.words))
            log.info("removed a segment over no speech at %.1f s", seg.start)
            continue
        kept: Segment | None = seg
        if seg.words:
            kept, gone = without_loops(seg, spans, settings, offset)
            if kept is not None:
                kept, piled = _without_piles(kept, settings)
                gone += piled
            for r in gone:
                log.info("removed %s words at %.1f s", r.reason, r.start)
            out.extend(gone)
        if kept is not None:
            yield kept
