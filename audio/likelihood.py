"""How likely Whisper finds a given text for a stretch of audio: teacher-forced scoring.

A hypothesis is scored as Whisper's own decoder scores its beams: the sum of the natural
log-probabilities of its tokens, each given the audio and the tokens before it, plus the
log-probability of ending the text there (end-of-text). Timestamps are not predicted
(``<|notimestamps|>``), no prompt is given. Comparing the scores of several texts for the
same audio asks the model which of them the audio holds: a text that writes a phrase
twice where it was said once, or stops while the audio still holds speech, scores low.
`audio.overlap` uses it to decide which words heard again are beyond the words already
written.

Both engines score with the same weights: faster-whisper (`fw_scores`, CTranslate2: the
encoder runs once, the decoder once for the whole batch of texts) and openai-whisper
(`openai_scores`, PyTorch).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

MAX_S = 30.0  # Whisper hears at most one 30 s window


def _log_softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    top = float(np.max(x))
    return np.asarray(x - (top + np.log(np.sum(np.exp(x - top)))), dtype=np.float64)


def fw_scores(
    model: Any, samples: npt.NDArray[np.float32], texts: Sequence[str], language: str
) -> list[float]:
    """Log-probability of each text given ``samples`` with a faster-whisper model.

    Args:
        model: a ``faster_whisper.WhisperModel``.
        samples: mono float32 at 16 kHz, at most `MAX_S` seconds (longer is cut).
        texts: the hypotheses, as the engine writes them (words with their leading space).
        language: Whisper's language code (``en``, ``no`` ...).

    Returns:
        One score (natural log, ≤ 0) per text, in order.
    """
    import ctranslate2
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    if not texts:
        return []
    multilingual = model.model.is_multilingual
    tok = Tokenizer(
        model.hf_tokenizer,
        multilingual,
        task="transcribe",
        language=language if multilingual else None,
    )
    features = model.feature_extractor(samples[: int(MAX_S * 16_000)])
    encoded = np.array(model.encode(pad_or_trim(features)))  # (1, 1500, d_model)
    start = [*tok.sot_sequence, tok.no_timestamps]
    tokens = [tok.encode(t) for t in texts]
    batch = ctranslate2.StorageView.from_array(
        np.ascontiguousarray(np.repeat(encoded, len(texts), axis=0))
    )
    longest = max(len(t) for t in tokens) + 1
    results = model.model.generate(
        batch,
        [start + t for t in tokens],
        beam_size=1,
        max_length=min(448, 2 * longest + 8),
        return_logits_vocab=True,
        suppress_blank=False,
        suppress_tokens=[],
    )
    out = []
    for ids, result in zip(tokens, results, strict=True):
        steps = result.logits[0]
        if len(steps) < len(ids) + 1:
            raise RuntimeError(f"CTranslate2 returned {len(steps)} steps for {len(ids) + 1} tokens")
        total = 0.0
        for i, target in enumerate([*ids, tok.eot]):
            total += float(_log_softmax(np.asarray(steps[i], dtype=np.float64))[target])
        out.append(total)
    return out


def openai_scores(
    model: Any, samples: npt.NDArray[np.float32], texts: Sequence[str], language: str
) -> list[float]:
    """`fw_scores` with an openai-whisper model (``whisper.model.Whisper``), in PyTorch."""
    import torch
    import whisper
    from whisper.tokenizer import get_tokenizer

    if not texts:
        return []
    tok = get_tokenizer(
        model.is_multilingual,
        num_languages=model.num_languages,
        language=language if model.is_multilingual else None,
        task="transcribe",
    )
    mel = whisper.log_mel_spectrogram(
        whisper.pad_or_trim(samples[: int(MAX_S * 16_000)]), model.dims.n_mels
    )
    out = []
    with torch.no_grad():
        features = model.embed_audio(mel[None])
        start = list(tok.sot_sequence_including_notimestamps)
        for text in texts:
            ids = [*tok.encode(text), tok.eot]
            seq = torch.tensor([start + ids[:-1]])
            logp = torch.log_softmax(model.logits(seq, features)[0].float(), dim=-1)
            first = len(start) - 1
            out.append(float(sum(logp[first + i, t] for i, t in enumerate(ids))))
    return out
