"""openai-whisper behind kvale's `audio.engine_base.Engine` interface.

Fed numpy arrays (no ffmpeg), fp32 on the CPU. CTranslate2 model folders (the packaged
weights) are converted once into an openai checkpoint in kvale's model cache
(`audio.convert`). Its ``transcribe`` is blocking by nature, so the iterator yields all
segments after the last window is decoded; cancellation is still checked before every
window. Its temperature fallback gets a short ladder (`OPENAI_TEMPERATURES`, best of
`OPENAI_BEST_OF`): fp32 PyTorch is several times slower per window than CTranslate2.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from audio.engine_base import (
    CONDITION_ON_PREVIOUS_TEXT,
    FRAME_S,
    SAMPLE_RATE,
    Audio,
    Cancelled,
    as_array,
    english_only,
    ms,
    normalize_language,
    speech_of,
)
from audio.models import model_cache_dir, resolve_model
from audio.speech import Spans
from audio.types import Segment, TranscriptionInfo, Word
from kvale_errors import TranscriptionError

log = logging.getLogger(__name__)

OPENAI_TEMPERATURES = (0.0, 0.4, 0.8)
OPENAI_BEST_OF = 2


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
        context: Sequence[int] | None = None,
    ) -> tuple[Iterator[Segment], TranscriptionInfo]:
        """Transcribe (blocking inside the iterator); see `Engine.transcribe`. openai-whisper
        takes a prompt as text: ``context`` is given as its decoded text."""
        samples = as_array(audio)
        lang = normalize_language(language)
        if not self._model.is_multilingual:
            lang, prob = english_only(self.model_name, lang), 1.0
        elif lang is None:
            lang, prob = self._detect(speech_of(samples, speech))
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
            "initial_prompt": self._text(context, lang) if context else (initial_prompt or None),
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

    def _text(self, tokens: Sequence[int], language: str | None) -> str:
        """Token ids of this model as text."""
        from whisper.tokenizer import get_tokenizer

        tok = get_tokenizer(self._model.is_multilingual, language=language or "en")
        return str(tok.decode([t for t in tokens if t < tok.eot]))

    def score(self, audio: Audio, texts: Sequence[str], *, language: str) -> list[float]:
        """Log-probability of each text given ``audio`` (≤ 30 s); `audio.likelihood`."""
        from audio.likelihood import openai_scores

        lang = normalize_language(language) or "en"
        return openai_scores(self._model, as_array(audio), texts, lang)

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
                raise Cancelled
            return original(*args, **kwargs)

        model.decode = decode
        try:
            result = model.transcribe(samples, **options)
        except Cancelled:
            log.info("openai-whisper transcription cancelled")
            return
        finally:
            del model.decode  # back to the class method
        for i, seg in enumerate(result["segments"]):
            words = tuple(
                Word(
                    ms(w["start"] + offset),
                    ms(w["end"] + offset),
                    w["word"],
                    float(w["probability"]),
                )
                for w in seg.get("words", ())
            )
            yield Segment(
                id=i,
                start=ms(seg["start"] + offset),
                end=ms(seg["end"] + offset),
                text=seg["text"].strip(),
                words=words,
                avg_logprob=float(seg["avg_logprob"]),
                no_speech_prob=float(seg["no_speech_prob"]),
                compression_ratio=float(seg["compression_ratio"]),
                window=ms(seg["seek"] * FRAME_S + offset),
                tokens=tuple(int(t) for t in seg["tokens"]),
                temperature=float(seg["temperature"]),
            )
