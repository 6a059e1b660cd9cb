"""Hear again the segments where Whisper may have written its prompt, not the speech.

kvale prompts Whisper with the guide's questions (a vocabulary hint). Whisper then
sometimes writes one of them where somebody said something else: in the demo's live
transcript the participant's "Even my manager sometimes joins us for lunch." came out as
"In relation to your manager?" (the guide's question 2.3), with high word probabilities.
That is an answer lost without a trace.

The interviewer's askings are copies of prompt sentences too, and rightly so. The voices
(`audio.voices`) tell them apart: a copy in the voice that is not the interviewer's (as
the tagger decides it from the clear askings, `guide.tagging.interviewer_voice`) is
suspect. Copies are looked for sentence by sentence (live transcription decodes long
stretches, so a segment often holds a question and its answer; the demo's live
transcript once read "In relation to the work with users? In relation to the work with
users?", the second one stretched over the participant's answer). Each suspect sentence
is decoded again on its own, without the prompt; when that reading is not itself a copy
of a prompt sentence, it replaces the sentence (and passes the same hallucination
guards). A participant who really repeats the question keeps it: decoded without the
prompt, it still reads as the question.

Only suspects are decoded (a handful per interview, about a second each), so this adds
little to the wait after an interview; without two voices nothing is done.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from audio.engines import Engine
from audio.guards import guard_segments
from audio.types import Segment, Word, with_words
from audio.voices import Voices, voice_of

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
COPY_RATIO = 90.0  # rapidfuzz ratio of normalised texts at which a text is a copy
PAD_S = 0.3  # context on each side of a suspect segment


def prompt_sentences(prompt: str | None) -> list[str]:
    """The sentences of a prompt, normalised (`normalise_text`), at least two words."""
    if not prompt:
        return []
    parts = re.split(r"(?<=[.?!;])\s+", prompt.strip())
    return [n for p in parts if len((n := normalise_text(p)).split()) >= 2]


def normalise_text(text: str) -> str:
    """Lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"\w+", text.lower()))


def copies_prompt(text: str, sentences: Sequence[str]) -> bool:
    """Whether ``text`` reads as one of the prompt's ``sentences`` (nearly verbatim), or
    as most of one (the prompt joins a section's title to its first question:
    "Information How long have you worked at NAV?")."""
    norm = normalise_text(text)
    if not norm:
        return False
    for s in sentences:
        if fuzz.ratio(norm, s) >= COPY_RATIO:
            return True
        if 0.6 * len(s) <= len(norm) <= len(s) and fuzz.partial_ratio(norm, s) >= COPY_RATIO + 5:
            return True
    return False


@dataclass(frozen=True)
class Span:
    """A sentence of a segment: its words ``[first, last)``."""

    segment: int
    first: int
    last: int
    start: float  # from the end of the word before it (its own first word's start if none)
    end: float  # to the start of the word after it: a copy's own times are not to be trusted


def sentences_of(segments: Sequence[Segment]) -> list[tuple[Span, str]]:
    """Each segment's sentences (words up to ".", "?" or "!"), with their text.

    Live transcription decodes long stretches, so one segment often holds a question
    and its answer: copies are looked for sentence by sentence.
    """
    flat = [(i, k) for i, seg in enumerate(segments) for k in range(len(seg.words))]
    out: list[tuple[Span, str]] = []
    begin = 0  # index into flat of the sentence's first word
    for n, (i, k) in enumerate(flat):
        seg = segments[i]
        if not (seg.words[k].word.strip().endswith((".", "?", "!")) or k == len(seg.words) - 1):
            continue
        first = flat[begin][1]
        words = seg.words[first : k + 1]
        before = segments[flat[begin - 1][0]].words[flat[begin - 1][1]] if begin else None
        after = segments[flat[n + 1][0]].words[flat[n + 1][1]] if n + 1 < len(flat) else None
        start = min(words[0].start, before.end) if before is not None else words[0].start
        end = max(words[-1].end, after.start) if after is not None else words[-1].end
        text = "".join(x.word for x in words).strip()
        out.append((Span(i, first, k + 1, start, end), text))
        begin = n + 1
    return out


def _voice(words: Sequence[Word], voices: Voices) -> int | None:
    """The voice of most of the words (by count, then time), as the tagger counts it."""
    counts = [(0, 0.0), (0, 0.0)]
    for w in words:
        v = voice_of(voices, w.start, w.end)
        if v is not None:
            n, t = counts[v]
            counts[v] = (n + 1, t + max(w.end - w.start, 0.01))
    if counts == [(0, 0.0), (0, 0.0)]:
        return None
    return 0 if counts[0] >= counts[1] else 1


def suspects(
    segments: Sequence[Segment], sentences: Sequence[str], voices: Voices | None, asking: int | None
) -> list[Span]:
    """The sentences that copy a prompt sentence in the voice that is not ``asking``
    (the interviewer's, as the tagger found it: `guide.tagging.interviewer_voice`).
    Without two voices or without the interviewer's, nothing is suspect."""
    if voices is None or not voices.two or asking is None or not sentences:
        return []
    return [
        span
        for span, text in sentences_of(segments)
        if copies_prompt(text, sentences)
        and _voice(segments[span.segment].words[span.first : span.last], voices) == 1 - asking
    ]


def _within(segment: Segment, start: float, end: float) -> Segment | None:
    """``segment`` with only its words whose middle is in [start, end], or None."""
    if not segment.words:
        mid = (segment.start + segment.end) / 2
        return segment if start <= mid <= end and segment.text.strip() else None
    words = tuple(w for w in segment.words if start <= (w.start + w.end) / 2 <= end)
    return with_words(segment, words) if words else None


def recheck_prompt_copies(
    engine: Callable[[], Engine],
    audio: npt.NDArray[np.float32],
    segments: Sequence[Segment],
    *,
    prompt: str | None,
    voices: Voices | None,
    asking: int | None,
    language: str | None = None,
    cancel: threading.Event | None = None,
) -> list[Segment]:
    """``segments`` with each prompt copy in the participant's voice heard again.

    Args:
        engine: gives the engine; called only when there is a suspect.
        audio: the whole recording, 16 kHz mono float32, on the segments' timeline.
        prompt: the prompt the segments were transcribed with.
        voices: the recording's voices (`audio.voices.find_voices`).
        asking: which voice is the interviewer's (None: not known; nothing is done).

    Returns:
        The segments in time order, renumbered; a suspect sentence replaced by what was
        heard in its time without the prompt, unless that too reads as a prompt
        sentence (or is empty). The rest of its segment stays as it was.
    """
    sentences = prompt_sentences(prompt)
    todo = suspects(segments, sentences, voices, asking)
    if not todo:
        return list(segments)
    eng = engine()
    heard_for: dict[tuple[int, int], list[Segment]] = {}
    for span in todo:
        if cancel is not None and cancel.is_set():
            break
        lo = max(0.0, span.start - PAD_S)
        hi = min(len(audio) / SAMPLE_RATE, span.end + PAD_S)
        piece = audio[int(lo * SAMPLE_RATE) : int(hi * SAMPLE_RATE)]
        stream, _info = eng.transcribe(
            piece, language=language, initial_prompt=None, cancel=cancel, offset=lo
        )
        # only what falls in the sentence's own time (the padding holds its neighbours')
        heard = [
            kept
            for s in guard_segments(stream, audio)
            if (kept := _within(s, span.start, span.end)) is not None
        ]
        text = " ".join(s.text.strip() for s in heard)
        copied = segments[span.segment].words[span.first : span.last]
        said = "".join(w.word for w in copied).strip()
        if not heard or copies_prompt(text, sentences):
            log.info(
                "%.1f–%.1f s reads %r also without the prompt: kept", span.start, span.end, said
            )
            continue
        # the words heard are the participant's: not logged (logs are not the project)
        log.info(
            "%.1f–%.1f s: %r was the prompt; heard again without it: %d words",
            span.start,
            span.end,
            said,
            len(text.split()),
        )
        heard_for[(span.segment, span.first)] = heard
    if not heard_for:
        return list(segments)
    spans = {(s.segment, s.first): s for s in todo}
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        cuts = sorted((spans[k].first, spans[k].last, v) for k, v in heard_for.items() if k[0] == i)
        if not cuts:
            out.append(seg)
            continue
        at = 0
        for first, last, heard in cuts:
            if first > at:
                out.append(with_words(seg, seg.words[at:first]))
            out.extend(heard)
            at = last
        if at < len(seg.words):
            out.append(with_words(seg, seg.words[at:]))
    out.sort(key=lambda s: (s.start, s.end))
    return [s if s.id == n else replace(s, id=n) for n, s in enumerate(out)]
