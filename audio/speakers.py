"""The speaker model behind `audio.voices`: speech stretches, GE2E embeddings and the
Viterbi resegmentation into turns (how many voices: `audio.spectral`).

The method and its measurements are described in `audio.voices`. Audio is float32 at
16 kHz; times are seconds; embeddings are 256-dimensional (Resemblyzer's GE2E encoder).
"""

from __future__ import annotations

import logging
import threading
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from audio.samples import TARGET_RATE

log = logging.getLogger(__name__)

Array = npt.NDArray[np.float64]
Audio = npt.NDArray[np.float32]

FRAME_S = 0.01  # mel frames and voice labels every 10 ms
WINDOW_S = 1.0  # embedding window: AMI turns and back-channels last 0.3-4 s
HOP_S = 0.25  # between window starts
MIN_WINDOW_S = 0.3  # shorter speech stretches get no embedding of their own
VAD_MIN_SILENCE_MS = 250
VAD_PAD_MS = 60
TARGET_DBFS = -30.0  # the encoder's training level
MIN_VOICE_S = 4.0  # a voice speaks at least this long in the turns (`audio.voices`)
SWITCH_COST = 8.0  # Viterbi: cost of a change of voice inside a speech stretch ...
SWITCH_AT_PAUSE = 1.0  # ... and across a pause
SCORE_SCALE = 20.0  # cosine similarities are scaled so the switch costs compare
BATCH = 64  # windows per encoder call


@dataclass(frozen=True)
class VoiceTurn:
    """A stretch of speech by one voice."""

    start: float  # seconds
    end: float
    voice: int  # 0 … count-1: anonymous; 0 = the voice heard first


_ENCODER: Any = None
_ENCODER_LOCK = threading.Lock()


def _encoder() -> Any:
    """Resemblyzer's GE2E encoder, loaded once (weights from inside the wheel)."""
    global _ENCODER
    with _ENCODER_LOCK:
        if _ENCODER is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from resemblyzer import VoiceEncoder

                _ENCODER = VoiceEncoder("cpu", verbose=False)
        return _ENCODER


def speech_stretches(samples: Audio) -> list[tuple[int, int]]:
    """Speech stretches in samples (Silero VAD)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(samples) < TARGET_RATE // 10:
        return []
    spans = get_speech_timestamps(
        samples,
        VadOptions(min_silence_duration_ms=VAD_MIN_SILENCE_MS, speech_pad_ms=VAD_PAD_MS),
    )
    return [(int(s["start"]), int(s["end"])) for s in spans]


def normalised(samples: Audio, spans: list[tuple[int, int]]) -> Audio:
    """``samples`` scaled so their speech is at ``TARGET_DBFS`` (RMS)."""
    speech = np.concatenate([samples[a:b] for a, b in spans])
    rms = float(np.sqrt(np.mean(speech.astype(np.float64) ** 2)))
    if rms <= 1e-6:
        return samples
    gain = 10.0 ** (TARGET_DBFS / 20.0) / rms
    out: Audio = (samples * np.float32(gain)).astype(np.float32)
    return out


def embedding_windows(
    spans: list[tuple[int, int]], window_s: float = WINDOW_S, hop_s: float = HOP_S
) -> list[tuple[int, int, int]]:
    """Embedding windows (first frame, end frame, stretch index) in 10 ms frames:
    ``window_s`` long every ``hop_s`` seconds over each speech stretch (``spans``, samples)."""
    hop = round(TARGET_RATE * FRAME_S)
    size, step, least = (round(s / FRAME_S) for s in (window_s, hop_s, MIN_WINDOW_S))
    out: list[tuple[int, int, int]] = []
    for i, (a, b) in enumerate(spans):
        fa, fb = a // hop, b // hop
        n = fb - fa
        if n < least:
            continue
        if n <= size:
            out.append((fa, fb, i))
            continue
        count = int(np.ceil((n - size) / step)) + 1
        for s in np.linspace(fa, fb - size, count).round().astype(int).tolist():
            out.append((s, s + size, i))
    return out


def _mel(samples: Audio) -> npt.NDArray[np.float32]:
    """The encoder's input: (frames, 40) mel power spectrogram, 25 ms / 10 ms, exactly as
    ``resemblyzer.audio.wav_to_mel_spectrogram`` computes it (librosa's STFT and mel
    filters; the product taken with a plain matrix product, 30 times faster here than
    librosa's einsum, in torch so it stays on the one thread `_embed` allows)."""
    import librosa
    import torch

    basis = librosa.filters.mel(sr=TARGET_RATE, n_fft=400, n_mels=40).astype(np.float32)
    power = (np.abs(librosa.stft(samples, n_fft=400, hop_length=160)) ** 2).astype(np.float32)
    product = torch.from_numpy(basis) @ torch.from_numpy(np.ascontiguousarray(power))
    out: npt.NDArray[np.float32] = np.ascontiguousarray(product.numpy().T)
    return out


def embed(samples: Audio, windows: list[tuple[int, int, int]]) -> Array:
    """GE2E embeddings (windows, 256), unit length, of the windows of ``samples``."""
    import torch

    encoder = _encoder()
    hop = round(TARGET_RATE * FRAME_S)
    mels: dict[int, npt.NDArray[np.float32]] = {}
    out = np.zeros((len(windows), 256))
    by_length: dict[int, list[int]] = {}
    for k, (a, b, _) in enumerate(windows):
        by_length.setdefault(b - a, []).append(k)
    # one mel spectrogram per speech stretch, cut into the stretch's windows
    stretch_of: dict[int, tuple[int, int]] = {}
    for a, b, i in windows:
        lo, hi = stretch_of.get(i, (a, b))
        stretch_of[i] = (min(lo, a), max(hi, b))
    threads = torch.get_num_threads()
    # one thread: the voices are found while Whisper transcribes on the other core, and
    # the LSTM on two busy cores is ten times slower than on one (bench/voices.py)
    torch.set_num_threads(1)
    try:
        for i, (a, b) in stretch_of.items():
            mels[i] = _mel(samples[a * hop : b * hop + hop])
        _encode(encoder, windows, mels, stretch_of, by_length, out)
    finally:
        torch.set_num_threads(threads)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: Array = out / np.maximum(norms, 1e-9)
    return result


def _encode(
    encoder: Any,
    windows: list[tuple[int, int, int]],
    mels: dict[int, npt.NDArray[np.float32]],
    stretch_of: dict[int, tuple[int, int]],
    by_length: dict[int, list[int]],
    out: Array,
) -> None:
    """Fill ``out`` with the encoder's embeddings of the windows, batched by length."""
    import torch

    with torch.inference_mode():
        for length, ks in by_length.items():
            for j in range(0, len(ks), BATCH):
                chunk = ks[j : j + BATCH]
                batch = np.zeros((len(chunk), length, mels[windows[chunk[0]][2]].shape[1]))
                for r, k in enumerate(chunk):
                    a, b, i = windows[k]
                    first = stretch_of[i][0]
                    part = mels[i][a - first : b - first]
                    batch[r, : len(part)] = part
                emb = encoder(torch.from_numpy(batch.astype(np.float32)))
                out[chunk] = emb.numpy()


def _centroids(emb: Array, labels: npt.NDArray[np.int_], k: int) -> Array:
    cents = np.stack([emb[labels == j].mean(axis=0) for j in range(k)])
    out: Array = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
    return out


def viterbi(score: Array, switch: Array) -> npt.NDArray[np.int_]:
    """Best path: ``score`` (n, k) per step; ``switch[i]`` costs a change before step i."""
    n, k = score.shape
    back = np.zeros((n, k), dtype=np.int_)
    acc = score[0].copy()
    idx = np.arange(k)
    for i in range(1, n):
        best_prev = int(np.argmax(acc))
        cross = acc[best_prev] - switch[i]
        stay = acc
        take_cross = cross > stay
        back[i] = np.where(take_cross, best_prev, idx)
        acc = np.where(take_cross, cross, stay) + score[i]
    path = np.zeros(n, dtype=np.int_)
    path[-1] = int(np.argmax(acc))
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def resegment(
    emb: Array,
    windows: list[tuple[int, int, int]],
    labels: npt.NDArray[np.int_],
    k: int,
    spans: list[tuple[int, int]],
) -> list[tuple[int, int, int]]:
    """Frame labels from the windows' similarity to each voice, smoothed by a Viterbi
    path; returned as runs (first frame, end frame, voice) over the speech frames."""
    cents = _centroids(emb, labels, k)
    sims = emb @ cents.T  # (windows, k)
    hop = round(TARGET_RATE * FRAME_S)
    frames = [(a // hop, max(a // hop + 1, b // hop)) for a, b in spans]
    n = frames[-1][1] if frames else 0
    total = np.zeros((n, k))
    count = np.zeros(n)
    for (a, b, _), s in zip(windows, sims, strict=True):
        total[a:b] += s
        count[a:b] += 1
    speech = np.zeros(n, dtype=bool)
    for a, b in frames:
        speech[a:b] = True
    idx = np.flatnonzero(speech)
    if len(idx) == 0:
        return []
    covered = count > 0
    # frames of speech no window covers take the scores of the nearest covered frame
    cov_idx = np.flatnonzero(covered)
    mean = np.zeros((n, k))
    mean[covered] = total[covered] / count[covered, None]
    if len(cov_idx) == 0:
        return []
    near = cov_idx[np.clip(np.searchsorted(cov_idx, idx), 0, len(cov_idx) - 1)]
    near_left = cov_idx[np.clip(np.searchsorted(cov_idx, idx) - 1, 0, len(cov_idx) - 1)]
    pick = np.where(np.abs(near_left - idx) < np.abs(near - idx), near_left, near)
    score = mean[pick] * SCORE_SCALE
    switch = np.full(len(idx), SWITCH_COST)
    switch[1:][np.diff(idx) > 1] = SWITCH_AT_PAUSE
    path = viterbi(score, switch)
    runs: list[tuple[int, int, int]] = []
    for f, v in zip(idx.tolist(), path.tolist(), strict=True):
        if runs and runs[-1][2] == v and runs[-1][1] == f:
            runs[-1] = (runs[-1][0], f + 1, v)
        else:
            runs.append((f, f + 1, v))
    return runs


def to_turns(runs: list[tuple[int, int, int]]) -> tuple[VoiceTurn, ...]:
    """Turns in seconds, voices renumbered by first appearance; consecutive runs of one
    voice are one turn (pauses inside a turn included)."""
    order: dict[int, int] = {}
    for _, _, v in runs:
        order.setdefault(v, len(order))
    out: list[VoiceTurn] = []
    for a, b, v in runs:
        voice = order[v]
        start, end = round(a * FRAME_S, 3), round(b * FRAME_S, 3)
        if out and out[-1].voice == voice:
            out[-1] = VoiceTurn(out[-1].start, end, voice)
        else:
            out.append(VoiceTurn(start, end, voice))
    return tuple(out)
