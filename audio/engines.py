"""Transcription engines behind one small interface.

An engine turns audio (a file path, or a 16 kHz mono float32 array) into a lazy
iterator of typed `Segment`s with word timestamps and probabilities, plus a
`TranscriptionInfo` (duration, language). Progress is ``segment.end / info.duration``.

Cancellation: set the ``cancel`` Event; the iterator then **ends cleanly** (no exception)
at the next window boundary — within one 30 s decoding window — and yields nothing more.

Two engines:

* `FasterWhisperEngine` (CTranslate2; int8 on CPU by default) — truly lazy: each segment
  is yielded as soon as it is decoded.
* `OpenAIWhisperEngine` (openai-whisper, fp32 on CPU, numpy input, no ffmpeg). It runs
  CTranslate2 model folders by converting them once into a cached checkpoint. Its
  ``transcribe`` is blocking by nature, so its iterator yields all segments after the last
  window is decoded; cancellation is still checked before every window.

Decoding options: faster-whisper's own defaults (beam 5 as kvale passes it, the
temperature fallback 0.0…1.0, and ``condition_on_previous_text``: each 30 s window is
decoded with the text of the windows before it as context), no prompt. The engine's
output is the floor: kvale's batch path starts from exactly what faster-whisper run
plainly writes (`tests/audio/test_conditioning.py` holds the words equal on 69 s of real
speech), and the layers after it (`audio.guards`, `audio.gaps`) add speech it skipped
and remove text only on strong evidence. Conditioning collapses a speaker's repeated
phrases ("Montreal Forced Aligner" said again and again) and can skip a sentence said a
second time (JFK's, in the live test's audio); those are stretches of speech without
words, which the gap filler transcribes again. The live transcriber (`audio.follow`)
decodes in several calls and passes each call the decoder's tokens of the windows before
it (`audio.engine_base.context_of`, reset after a window decoded above temperature 0.5,
as faster-whisper resets), so the transcript at the end of an interview is the batch
transcript but for small differences: the log-mel of a stretch is not exactly the whole
recording's, so a window can start 20 ms off and decode a few words differently (the live
tests allow 3 % WER between the two). Until 2026-12-01 kvale decoded without
conditioning; on the floor benchmark that left held-out groups up to 4.4 points behind
the plain engine (`bench/floor.py`).
The other options were measured on the engine alone (`bench/decoding.py`, base int8,
beam 5, 2026-12-01, each row's model seeded alike) and none is used. On 6.7 min of real
English joined from the shared clips: the defaults 27.0 % WER; condition off 28.8 %;
the defaults from another seed 29.9 % (temperature-fallback sampling alone moves this
set by about 3 points); ``hallucination_silence_threshold`` 2 s 41.0 %; ``clip_timestamps``
at the speech Silero VAD finds 37.4 %. On the espeak interview that asks the guide's
questions, ``hotwords`` "NAV" (the guide's acronyms) gave 8.6 % against 7.6 % in English
and 79.4 % against 81.8 % in Norwegian (espeak Norwegian, which base barely follows):
mixed, and each within the 3 points sampling alone moves a set, so not measurably a
help. The guide's questions as initial prompt wrote guide text where people said
something else (4 of 5 imports of a clean read clip, and 30 s of a Norwegian interview,
in the issue that led here).

faster-whisper falls back through temperatures 0.0…1.0 (best of 5) as it does by
default. openai-whisper's fallback runs the same ladder with ``best_of``
candidates at every step in fp32 PyTorch, several times slower per window on a CPU: it
gets a short ladder (0.0, 0.4, 0.8, best of 2), which bounds a hard window at three
decodes. The two engines therefore give the same words on clear speech and may differ
where decoding falls back (hard or noisy audio); `bench/transcription.py` measures how
often. faster-whisper is the one to use; openai-whisper is there for its reference
implementation.

When no language is given, it is detected on the recording's *speech*
(`audio.speech`: up to 30 s of it), not on its first 30 s, which may be silence, a
door or small talk in another language.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from audio.engine_base import (
    CONDITION_ON_PREVIOUS_TEXT,
    FRAME_S,
    Audio,
    Engine,
    as_array,
    english_only,
    ms,
    normalize_language,
    speech_of,
)
from audio.models import ResolvedModel, resolve_model
from audio.openai_engine import OpenAIWhisperEngine
from audio.speech import Spans
from audio.types import Segment, TranscriptionInfo, Word
from kvale_errors import N_, TranscriptionError

__all__ = [
    "ENGINES",
    "Engine",
    "FasterWhisperEngine",
    "OpenAIWhisperEngine",
    "get_engine",
    "normalize_language",
]

log = logging.getLogger(__name__)

ENGINES = ("faster-whisper", "openai-whisper")


class FasterWhisperEngine:
    """faster-whisper (CTranslate2) on the CPU.

    Args:
        model: a model name (``base``) or path, resolved offline by `resolve_model`.
        compute_type: CTranslate2 compute type (``int8`` default, ``float32``, ``int8_float32``).
        cpu_threads: threads for CTranslate2 (0 = its default).
    """

    name = "faster-whisper"

    def __init__(self, model: str = "base", compute_type: str = "int8", cpu_threads: int = 0):
        from faster_whisper import WhisperModel

        self.resolved: ResolvedModel = resolve_model(model, self.name)
        self.model_name = model
        self.compute_type = compute_type
        try:
            self._model = WhisperModel(
                str(self.resolved.path),
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cpu_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError.said(
                N_(
                    "The model at {path} cannot be loaded ({problem}). It may be incomplete; "
                    "fetch it again with `kvale models get {model}`."
                ),
                path=self.resolved.path,
                problem=exc,
                model=model,
            ) from exc

    def transcribe(
        self,
        audio: Audio,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        cancel: threading.Event | None = None,
        word_timestamps: bool = True,
        beam_size: int = 5,
        vad: bool = False,
        offset: float = 0.0,
        speech: Spans | None = None,
        context: Sequence[int] | None = None,
    ) -> tuple[Iterator[Segment], TranscriptionInfo]:
        """Transcribe lazily; see `Engine.transcribe`."""
        samples = as_array(audio)
        lang = normalize_language(language)
        prob: float | None = None
        if self.resolved.languages == ("en",):
            lang = english_only(self.model_name, lang)
        elif lang is None and len(samples):
            listened = speech_of(samples, speech)
            lang, prob, _all = self._model.detect_language(listened)
        segments, info = self._model.transcribe(
            samples,
            language=lang,
            initial_prompt=list(context) if context else (initial_prompt or None),
            word_timestamps=word_timestamps,
            beam_size=beam_size,
            vad_filter=vad,
            condition_on_previous_text=CONDITION_ON_PREVIOUS_TEXT,
        )
        result = TranscriptionInfo(
            language=info.language,
            language_probability=float(info.language_probability if prob is None else prob),
            duration=float(info.duration),
            engine=self.name,
            model=self.model_name,
        )
        return _fw_segments(segments, cancel, offset), result

    def score(self, audio: Audio, texts: Sequence[str], *, language: str) -> list[float]:
        """Log-probability of each text given ``audio`` (≤ 30 s); `audio.likelihood`."""
        from audio.likelihood import fw_scores

        return fw_scores(self._model, as_array(audio), texts, normalize_language(language) or "en")


def _fw_segments(
    segments: Iterator[Any], cancel: threading.Event | None, offset: float
) -> Iterator[Segment]:
    for i, seg in enumerate(segments):
        if cancel is not None and cancel.is_set():
            log.info("transcription cancelled after %d segments", i)
            return
        words = tuple(
            Word(ms(w.start + offset), ms(w.end + offset), w.word, float(w.probability))
            for w in (seg.words or ())
        )
        yield Segment(
            id=i,
            start=ms(seg.start + offset),
            end=ms(seg.end + offset),
            text=seg.text.strip(),
            words=words,
            avg_logprob=float(seg.avg_logprob),
            no_speech_prob=float(seg.no_speech_prob),
            compression_ratio=float(seg.compression_ratio),
            window=ms(seg.seek * FRAME_S + offset),
            tokens=tuple(seg.tokens),
            temperature=float(seg.temperature or 0.0),
        )
        if cancel is not None and cancel.is_set():
            log.info("transcription cancelled after %d segments", i + 1)
            return


#: the seed of Whisper's temperature-fallback sampling in every engine kvale loads
SAMPLING_SEED = 0


def seed_sampling(seed: int) -> None:
    """Make Whisper's temperature-fallback sampling repeatable (both engines).

    CTranslate2 seeds each of a model's threads from this when the thread first samples,
    so it holds for a model that has not sampled yet (one loaded after it, or before its
    first transcription), not for one that has."""
    import ctranslate2

    ctranslate2.set_random_seed(seed)
    with contextlib.suppress(ImportError):
        import torch

        torch.manual_seed(seed)


def get_engine(
    engine: str = "auto", model: str = "base", *, seed: int | None = SAMPLING_SEED, **kw: Any
) -> Engine:
    """Build an engine: ``auto`` picks faster-whisper when it can load the model.

    Its temperature-fallback sampling is seeded (``seed``, `SAMPLING_SEED` unless told;
    None: as the caller seeded it) before it loads, so a recording transcribed by a
    freshly loaded engine gives the same words every time (unseeded, two runs on 75 s of
    a Norwegian interview differed); an engine that has transcribed before draws on from
    where it was.

    Args:
        engine: ``auto``, ``faster-whisper`` or ``openai-whisper``.
        model: model name or path.
        **kw: passed to the engine (``compute_type``, ``cpu_threads``).

    Raises:
        TranscriptionError: unknown engine, or the model is missing (the sentence says how
            to fetch it).
    """
    if seed is not None:
        seed_sampling(seed)
    if engine == "auto":
        resolved = resolve_model(model, "auto")
        engine = "faster-whisper" if resolved.format == "ct2" else "openai-whisper"
    if engine == "faster-whisper":
        return FasterWhisperEngine(model, **kw)
    if engine == "openai-whisper":
        kw.pop("compute_type", None)
        return OpenAIWhisperEngine(model, **kw)
    raise TranscriptionError.said(
        N_(
            "There is no transcription engine called '{engine}'. Use faster-whisper or "
            "openai-whisper."
        ),
        engine=engine,
    )
