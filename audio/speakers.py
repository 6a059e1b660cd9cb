"""The speaker model behind `audio.voices`: speech stretches, GE2E embeddings, clustering,
the decision how many voices there are, and the Viterbi resegmentation into turns.

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
WINDOW_S = 1.5  # embedding window for the decision how many voices there are
HOP_S = 0.5  # between window starts
FINE_WINDOW_S = 1.0  # ... and for the turns (`audio.voices._refined`): AMI turns are short
FINE_HOP_S = 0.25
MIN_WINDOW_S = 0.3  # shorter speech stretches get no embedding of their own
VAD_MIN_SILENCE_MS = 250
VAD_PAD_MS = 60
TARGET_DBFS = -30.0  # the encoder's training level
MAX_VOICES = 4
FISHER_MIN = 6.0  # two voices are told apart by at least this much (`_fisher`)
MORE_FISHER_MIN = 30.0  # ... and a third or fourth voice by this much (`decide`)
MIN_VOICE_S = 4.0  # a voice speaks at least this long
SWITCH_COST = 8.0  # Viterbi: cost of a change of voice inside a speech stretch ...
SWITCH_AT_PAUSE = 1.0  # ... and across a pause
SCORE_SCALE = 20.0  # cosine similarities are scaled so the switch costs compare
BATCH = 64  # windows per encoder call
MAX_CLUSTERED = 2000  # windows clustered directly (`cluster`)


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


def cluster(emb: Array, k: int) -> npt.NDArray[np.int_]:
    """``k`` clusters of the embeddings minus their mean (cosine, average linkage).

    Over ``MAX_CLUSTERED`` windows (a long recording), the clustering is fitted on that
    many evenly spaced windows and every window joins the nearest cluster mean: average
    linkage keeps all pairwise distances (n² of them)."""
    from sklearn.cluster import AgglomerativeClustering

    centred = emb - emb.mean(axis=0)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    fit = centred
    if len(centred) > MAX_CLUSTERED:
        fit = centred[np.linspace(0, len(centred) - 1, MAX_CLUSTERED).round().astype(int)]
    with warnings.catch_warnings():  # repeated audio gives equal windows: fewer clusters
        warnings.simplefilter("ignore")
        labels: npt.NDArray[np.int_] = AgglomerativeClustering(
            n_clusters=k, metric="cosine", linkage="average"
        ).fit_predict(fit)
    if fit is not centred:
        means = np.stack([fit[labels == j].mean(axis=0) for j in range(k)])
        labels = np.argmax(centred @ means.T, axis=1)
    return labels


def _centroids(emb: Array, labels: npt.NDArray[np.int_], k: int) -> Array:
    cents = np.stack([emb[labels == j].mean(axis=0) for j in range(k)])
    out: Array = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
    return out


def _largest_cosine(cents: Array) -> float:
    sims = cents @ cents.T
    return float(sims[~np.eye(len(cents), dtype=bool)].max())


def _fisher(emb: Array, labels: npt.NDArray[np.int_], a: int, b: int) -> float:
    """How far apart voices ``a`` and ``b`` are: Fisher's criterion, (difference of the
    means)² / (sum of the variances), of the windows projected on the line between the
    two voices' mean embeddings. Cross-validated: the line is fitted on every other block
    of three windows (blocks do not overlap in time) and measured on the others, and the
    other way round, since a line fitted on the windows it measures finds a difference
    even between two halves of one voice in 256 dimensions."""
    fold = (np.arange(len(emb)) // 3) % 2
    values = []
    for f in (0, 1):
        fit, test = fold == f, fold != f
        xa, xb = emb[fit & (labels == a)], emb[fit & (labels == b)]
        ya, yb = emb[test & (labels == a)], emb[test & (labels == b)]
        if min(len(xa), len(xb), len(ya), len(yb)) < 2:
            continue
        d = xa.mean(axis=0) - xb.mean(axis=0)
        pa, pb = ya @ d, yb @ d
        spread = float(pa.var() + pb.var())
        values.append(float((pa.mean() - pb.mean()) ** 2 / max(spread, 1e-12)))
    return float(np.mean(values)) if values else 0.0


@dataclass(frozen=True)
class Split:
    """One clustering tried by the decision (for the bench and the calibration)."""

    k: int
    fisher: float  # Fisher's criterion of the two closest voices (`_fisher`)
    shortest_s: float  # speech of the voice that speaks least, seconds
    labels: npt.NDArray[np.int_]  # per window
    runs: tuple[tuple[int, int, int], ...] | None = None  # resegmented (`resegment`)


def splits(emb: Array, windows: list[tuple[int, int, int]]) -> list[Split]:
    """The clusterings into 2 … MAX_VOICES voices of the window embeddings."""
    out: list[Split] = []
    for k in range(2, MAX_VOICES + 1):
        if len(emb) < 2 * k:
            break
        labels = cluster(emb, k)
        sizes = np.bincount(labels, minlength=k)
        if sizes.min() < 2:
            fisher = 0.0
        else:
            fisher = min(_fisher(emb, labels, a, b) for a in range(k) for b in range(a + 1, k))
        seconds = _voice_seconds(windows, labels, k)
        out.append(Split(k, fisher, float(seconds.min()), labels))
    return out


def _voice_seconds(
    windows: list[tuple[int, int, int]], labels: npt.NDArray[np.int_], k: int
) -> Array:
    """Seconds of speech per voice: the frames its windows cover."""
    n = max(b for _, b, _ in windows)
    out = np.zeros(k)
    for v in range(k):
        covered = np.zeros(n, dtype=bool)
        for (a, b, _), label in zip(windows, labels, strict=True):
            if label == v:
                covered[a:b] = True
        out[v] = covered.sum() * FRAME_S
    return out


def decide(found: list[Split]) -> Split | None:
    """The split with the most voices that are all told apart and each speak at least
    ``MIN_VOICE_S`` (``shortest_s``: in the resegmented turns, `audio.voices._refined`);
    None: one voice.

    Two voices need `_fisher` ≥ ``FISHER_MIN`` (set between one-voice recordings, at most
    5.9, and two-voice ones, from 9.3: bench/voices.py). Each further voice needs
    ``MORE_FISHER_MIN``: one person's windows also split when the room noise or the
    distance to the microphone changes (JFK with and without applause: 12; a meeting
    excerpt's second speaker: 8), while the voices of a group differ by far more (96 in
    the three-voice test)."""
    best = None
    for s in found:  # k = 2, 3, …: stop at the first that fails
        need = FISHER_MIN if s.k == 2 else MORE_FISHER_MIN
        if s.fisher < need or s.shortest_s < MIN_VOICE_S:
            break
        best = s
    return best


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
