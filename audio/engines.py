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

Decoding options: beam search, no prompt unless a caller passes one, and
``condition_on_previous_text=False``: each 30 s window decoded on its own. That is what
lets the live transcriber (`audio.live`) decode the batch run's very windows in separate
calls, so the transcript at the end of an interview is the batch transcript. Measured
(`bench/decoding.py`, the engine alone on 6.7 min of real English joined from the shared
clips): WER 33.5 % this way, 18.2 % with the previous window's text as context (kvale's
whole path: 36.1 % / 19.5 %); on the espeak interviews the same in English (7.6 %) and
better this way in Norwegian (79.8 % / 86.3 %). Conditioning breaks the live = batch
equivalence (a call's first window lacks the exact context; giving it the text before as
a prompt did not restore it), so it waits for a live mode built around it. The guide's
questions as initial prompt (with conditioning): 15.6 % on the real English (18.2 %
without), 8.5 % on the English espeak interview (7.6 % without), 85.9 % on the
Norwegian (86.3 %): a mixed result, against a failure WER hardly counts, guide text
written where people said something else (4 of 5 imports of a clean read clip, and 30 s
of a Norwegian interview, in the issue that led here). So no prompt.

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

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from audio.files import load_audio as files_load_audio
from audio.models import ResolvedModel, model_cache_dir, resolve_model
from audio.speech import Spans, speech_only, speech_spans
from audio.types import Segment, TranscriptionInfo, Word
from kvale_errors import AudioError, TranscriptionError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FRAME_S = 0.01  # one mel frame (hop 160 samples at 16 kHz): the unit of a window's seek
DETECT_S = 30.0  # seconds of speech language detection listens to
CONDITION_ON_PREVIOUS_TEXT = False
OPENAI_TEMPERATURES = (0.0, 0.4, 0.8)
OPENAI_BEST_OF = 2
ENGINES = ("faster-whisper", "openai-whisper")
Audio = Path | str | npt.NDArray[np.float32]


def _t(seconds: float) -> float:
    """A timestamp as a plain float rounded to milliseconds."""
    return round(float(seconds), 3)


class _Cancelled(Exception):
    """Raised inside openai-whisper's loop to stop it; never leaves this module."""


def normalize_language(language: str | None) -> str | None:
    """Whisper's code for a language: ``nb`` and ``no`` → ``no``; ``nn`` stays; None = detect.

    Raises:
        TranscriptionError: Whisper does not know the language.
    """
    if language is None or language in ("", "auto"):
        return None
    code = language.strip().lower()
    code = {"nb": "no", "nob": "no", "nno": "nn", "eng": "en"}.get(code, code)
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    if code not in _LANGUAGE_CODES:
        raise TranscriptionError(
            f"Whisper does not know the language '{language}'. Use a code such as "
            "no (bokmål), nn (nynorsk) or en, or leave the language out to detect it."
        )
    return code


def _english_only(model: str, lang: str | None) -> str:
    """English-only models (``*.en``): English, or a sentence for any other language."""
    if lang not in (None, "en"):
        raise TranscriptionError(
            f"The model '{model}' understands English only. For language '{lang}' choose a "
            "multilingual model such as base or small (--model base)."
        )
    return "en"


def load_audio(path: Path | str) -> npt.NDArray[np.float32]:
    """Decode an audio file or a recording folder to 16 kHz mono float32 (see
    `audio.files.load_audio`).

    Raises:
        AudioError: the file is missing, damaged or not audio.
    """
    path = Path(path)
    if not (path.is_file() or path.is_dir()):
        raise AudioError(f"There is no audio file at {path}. Check the path.")
    return files_load_audio(path)


def _as_array(audio: Audio) -> npt.NDArray[np.float32]:
    if isinstance(audio, (str, Path)):
        return load_audio(audio)
    arr = np.asarray(audio, dtype=np.float32)
    if arr.ndim != 1:
        raise AudioError("Audio for transcription must be mono (one channel) at 16 kHz.")
    return arr


def _speech_of(samples: npt.NDArray[np.float32], speech: Spans | None) -> npt.NDArray[np.float32]:
    """Up to `DETECT_S` seconds of the speech in ``samples``, for language detection."""
    spans = speech if speech is not None else speech_spans(samples)
    return speech_only(samples, spans, DETECT_S)


@runtime_checkable
class Engine(Protocol):
    """What every transcription engine offers."""

    name: str
    model_name: str

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
    ) -> tuple[Iterator[Segment], TranscriptionInfo]:
        """Transcribe audio lazily; see the module docstring for cancellation."""
        ...


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
            raise TranscriptionError(
                f"The model at {self.resolved.path} cannot be loaded ({exc}). It may be "
                f"incomplete; fetch it again with `kvale models get {model}`."
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
    ) -> tuple[Iterator[Segment], TranscriptionInfo]:
        """Transcribe lazily; see `Engine.transcribe`."""
        samples = _as_array(audio)
        lang = normalize_language(language)
        prob: float | None = None
        if self.resolved.languages == ("en",):
            lang = _english_only(self.model_name, lang)
        elif lang is None and len(samples):
            listened = _speech_of(samples, speech)
            lang, prob, _all = self._model.detect_language(listened)
        segments, info = self._model.transcribe(
            samples,
            language=lang,
            initial_prompt=initial_prompt or None,
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


def _fw_segments(
    segments: Iterator[Any], cancel: threading.Event | None, offset: float
) -> Iterator[Segment]:
    for i, seg in enumerate(segments):
        if cancel is not None and cancel.is_set():
            log.info("transcription cancelled after %d segments", i)
            return
        words = tuple(
            Word(_t(w.start + offset), _t(w.end + offset), w.word, float(w.probability))
            for w in (seg.words or ())
        )
        yield Segment(
            id=i,
            start=_t(seg.start + offset),
            end=_t(seg.end + offset),
            text=seg.text.strip(),
            words=words,
            avg_logprob=float(seg.avg_logprob),
            no_speech_prob=float(seg.no_speech_prob),
            compression_ratio=float(seg.compression_ratio),
            window=_t(seg.seek * FRAME_S + offset),
        )
        if cancel is not None and cancel.is_set():
            log.info("transcription cancelled after %d segments", i + 1)
            return


class OpenAIWhisperEngine:
    """openai-whisper in fp32 on the CPU, fed numpy arrays (no ffmpeg).

    Args:
        model: a model name or path. CTranslate2 folders (the packaged weights) are
            converted once into an openai checkpoint cached in kvale's model cache.
        cpu_threads: torch threads (0 = leave torch's default).
    """

    name = "openai-whisper"

    def __init__(self, model: str = "base", cpu_threads: int = 0):
        import torch
        import whisper

        from audio.convert import convert_ct2_to_openai

        if cpu_threads > 0:
            torch.set_num_threads(cpu_threads)
        self.model_name = model
        self.resolved = resolve_model(model, self.name)
        heads: list[list[int]] = []
        if self.resolved.format == "ct2":
            checkpoint, heads = convert_ct2_to_openai(
                self.resolved.path, model_cache_dir(), name=self.resolved.name
            )
        else:
            checkpoint = self.resolved.path
        try:
            self._model = whisper.load_model(str(checkpoint), device="cpu")
        except (RuntimeError, ValueError, KeyError, OSError) as exc:
            raise TranscriptionError(
                f"The model at {checkpoint} cannot be loaded ({exc}). Fetch it again with "
                f"`kvale models get {model}`."
            ) from exc
        if heads:
            dims = self._model.dims
            mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
            for layer, head in heads:
                mask[layer, head] = True
            self._model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)

    def _detect(self, samples: npt.NDArray[np.float32]) -> tuple[str, float]:
        import whisper

        if not self._model.is_multilingual:
            return "en", 1.0
        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(samples), self._model.dims.n_mels)
        _, probs = self._model.detect_language(mel)
        lang = max(probs, key=probs.get)
        return str(lang), float(probs[lang])

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
    ) -> tuple[Iterator[Segment], TranscriptionInfo]:
        """Transcribe (blocking inside the iterator); see `Engine.transcribe`."""
        samples = _as_array(audio)
        lang = normalize_language(language)
        if not self._model.is_multilingual:
            lang, prob = _english_only(self.model_name, lang), 1.0
        elif lang is None:
            lang, prob = self._detect(_speech_of(samples, speech))
        else:
            prob = 1.0
        info = TranscriptionInfo(
            language=lang,
            language_probability=prob,
            duration=len(samples) / SAMPLE_RATE,
            engine=self.name,
            model=self.model_name,
        )
        options: dict[str, Any] = {
            "language": lang,
            "initial_prompt": initial_prompt or None,
            "word_timestamps": word_timestamps,
            "beam_size": beam_size if beam_size > 1 else None,
            "best_of": OPENAI_BEST_OF,
            "temperature": OPENAI_TEMPERATURES,
            "condition_on_previous_text": CONDITION_ON_PREVIOUS_TEXT,
            "fp16": False,
            "verbose": None,
        }
        if vad:
            from faster_whisper.vad import get_speech_timestamps

            spans = get_speech_timestamps(samples)
            if not spans:
                return iter(()), info
            options["clip_timestamps"] = [
                t / SAMPLE_RATE for s in spans for t in (s["start"], s["end"])
            ]
        return self._segments(samples, options, cancel, offset), info

    def _segments(
        self,
        samples: npt.NDArray[np.float32],
        options: dict[str, Any],
        cancel: threading.Event | None,
        offset: float,
    ) -> Iterator[Segment]:
        model = self._model
        original = model.decode

        def decode(*args: Any, **kwargs: Any) -> Any:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            return original(*args, **kwargs)

        model.decode = decode
        try:
            result = model.transcribe(samples, **options)
        except _Cancelled:
            log.info("openai-whisper transcription cancelled")
            return
        finally:
            del model.decode  # back to the class method
        for i, seg in enumerate(result["segments"]):
            words = tuple(
                Word(
                    _t(w["start"] + offset),
                    _t(w["end"] + offset),
                    w["word"],
                    float(w["probability"]),
                )
                for w in seg.get("words", ())
            )
            yield Segment(
                id=i,
                start=_t(seg["start"] + offset),
                end=_t(seg["end"] + offset),
                text=seg["text"].strip(),
                words=words,
                avg_logprob=float(seg["avg_logprob"]),
                no_speech_prob=float(seg["no_speech_prob"]),
                compression_ratio=float(seg["compression_ratio"]),
                window=_t(seg["seek"] * FRAME_S + offset),
            )


def transcribe_file(path: Path | str, **kw: Any) -> tuple[list[Segment], TranscriptionInfo]:
    """Batch transcription of a file; see `audio.transcribe.transcribe_file` (re-exported)."""
    from audio.transcribe import transcribe_file as _transcribe_file

    return _transcribe_file(path, **kw)


def get_engine(engine: str = "auto", model: str = "base", **kw: Any) -> Engine:
    """Build an engine: ``auto`` picks faster-whisper when it can load the model.

    Args:
        engine: ``auto``, ``faster-whisper`` or ``openai-whisper``.
        model: model name or path.
        **kw: passed to the engine (``compute_type``, ``cpu_threads``).

    Raises:
        TranscriptionError: unknown engine, or the model is missing (the sentence says how
            to fetch it).
    """
    if engine == "auto":
        resolved = resolve_model(model, "auto")
        engine = "faster-whisper" if resolved.format == "ct2" else "openai-whisper"
    if engine == "faster-whisper":
        return FasterWhisperEngine(model, **kw)
    if engine == "openai-whisper":
        kw.pop("compute_type", None)
        return OpenAIWhisperEngine(model, **kw)
    raise TranscriptionError(
        f"There is no transcription engine called '{engine}'. Use faster-whisper or openai-whisper."
    )
