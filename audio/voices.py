"""Tell the two voices of an interview apart, from the audio alone (numpy only).

An interview holds two people: the interviewer and the participant. `find_voices` labels
each stretch of speech with one of two anonymous voices (0 = the voice heard first), so
the tagger can find the interviewer's turns even where the recogniser garbled the words.

Method:

1. Frames of 25 ms every 10 ms. Speech frames by energy, relative to the recording's own
   level distribution (floor = 10th percentile, peak = 99th percentile of frame energy;
   speech is above 40 % of the way from floor to peak and above -60 dBFS), so quiet
   recordings work and digital silence holds no speech. Silences under 0.2 s are bridged
   into speech runs.
2. On the loud frames only: 12 MFCCs (numpy mel filterbank, c0 dropped) and log F0 from a
   normalised, taper-corrected autocorrelation over 40 ms (60-400 Hz; the first peak
   within 90 % of the best one, which avoids octave-down errors). Voiced frames
   (autocorrelation peak ≥ 0.5) give a 13-dimensional feature vector (standardised).
3. Speech runs are cut into windows of about 0.5 s that never straddle a pause, and the
   windows into segments of about 2 s inside a run. Clustering works on segments: one
   full-covariance Gaussian per voice over its segments' frames; each segment moves to
   the voice whose Gaussian explains its frames better, until nothing moves (a classic
   speaker-clustering scheme: the covariance captures the voice, the 2 s pooling averages
   the words out). Starting splits: the median of the segments' mean log F0 (pitch is the
   strongest cue between a male and a female voice), their first principal axes and a
   few seeded random directions; the split with the best likelihood wins.
4. Windows are labelled by a 2-state Viterbi over the windows' summed frame
   log-likelihoods (tempered by ``TEMPER``, frames are correlated) with a switch penalty
   that is high inside a speech run and low across a pause: turns last seconds and
   usually change at a pause.

`Voices.separation` is a BIC-corrected likelihood gain per voiced frame, in nats:
(log-likelihood of the frames under the two voices' Gaussians − under one Gaussian for
all − the BIC penalty ½·P·ln N for the P = 104 extra parameters) / N. Measured: one voice
0.05-0.49 (LJSpeech reader 0.15-0.18, espeak voices 0.05-0.15, JFK in crowd noise
0.33-0.49); two voices 1.0-2.2 (JFK/LJSpeech 1.01,
espeak nb/nb+f2 1.6-1.8, en-us/en-us+f3 2.2). Two voices of one pitch and timbre that
differ only in accent (espeak en-us and en-gb, both male) measure 0.13-0.15: one voice. `two` is
True when separation ≥ ``TWO_MIN_SEPARATION`` (0.7) and the smaller voice holds at least
``TWO_MIN_SHARE`` of the speech.

Cost: about 14 s for 60 min on one core (FFTs dominate; memory is the audio plus
blocks of ``BLOCK_FRAMES`` frames).
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from audio.files import TARGET_RATE, load_audio, resample, to_mono

log = logging.getLogger(__name__)

Array = npt.NDArray[np.float64]

FRAME = 400  # 25 ms at 16 kHz
HOP = 160  # 10 ms
PITCH_FRAME = 640  # 40 ms: two periods of a 60 Hz voice
N_FFT = 512
N_MELS = 26
N_MFCC = 12  # c1..c12
F0_MIN, F0_MAX = 60.0, 400.0
VOICED_MIN = 0.5  # normalised autocorrelation peak of a voiced frame
BLOCK_FRAMES = 20_000  # frames per block (200 s): bounds memory on long recordings
SPEECH_REL = 0.4  # speech is this far from the energy floor to the peak ...
SPEECH_ABS_DB = -60.0  # ... and louder than this (dBFS)
BRIDGE_S = 0.2  # silences shorter than this inside speech are bridged
MIN_RUN_S = 0.1  # shorter bursts of energy are not speech
WINDOW_S = 0.5  # target window length
SWITCH_IN_RUN = 20.0  # log-likelihood cost of a voice switch inside a speech run
SWITCH_AT_PAUSE = 4.0  # ... and across a pause
TWO_MIN_SEPARATION = 0.7  # nats per voiced frame
SEGMENT_S = 2.0  # clustering works on segments this long (within a speech run)
COV_FLOOR = 1e-3
MAX_ITER = 20
RANDOM_INITS = 6
MIN_CLUSTER_FRAMES = 100  # a voice needs at least 1 s of voiced speech
TEMPER = 0.1  # frames are correlated: a window's evidence counts this much
TWO_MIN_SHARE = 0.05
MIN_WINDOWS = 6  # fewer speech windows than this: not enough to tell voices apart


@dataclass(frozen=True)
class VoiceTurn:
    """A stretch of speech by one voice."""

    start: float  # seconds
    end: float
    voice: int  # 0 or 1: anonymous; 0 = the voice heard first


@dataclass(frozen=True)
class Voices:
    """The speech of a recording, labelled with two anonymous voices."""

    turns: tuple[VoiceTurn, ...]  # in time order, adjacent same-voice stretches merged
    two: bool  # False: one voice (all turns voice 0); callers then ignore voices
    separation: float  # BIC-corrected likelihood gain per voiced frame, nats (module doc)

    @cached_property
    def starts(self) -> list[float]:
        """The turns' start times, for bisecting."""
        return [t.start for t in self.turns]


def _mel_filterbank(rate: int) -> Array:
    def mel(f: Array) -> Array:
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def hz(m: Array) -> Array:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(np.array(60.0)), mel(np.array(rate / 2 * 0.95)), N_MELS + 2))
    bins = np.fft.rfftfreq(N_FFT, 1.0 / rate)
    fb = np.zeros((N_MELS, len(bins)))
    for i in range(N_MELS):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        up = (bins - lo) / (mid - lo)
        down = (hi - bins) / (hi - mid)
        fb[i] = np.clip(np.minimum(up, down), 0.0, None)
    return fb


def _dct(n_in: int, n_out: int) -> Array:
    k = np.arange(1, n_out + 1)[:, None]
    n = np.arange(n_in)[None, :]
    return np.cos(np.pi * k * (2 * n + 1) / (2 * n_in))  # (n_out, n_in), c0 dropped


def _frames(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """A (frames, PITCH_FRAME) view: frame i starts at sample i * HOP (zero-padded end)."""
    n = 1 + (len(audio) - FRAME) // HOP if len(audio) >= FRAME else 0
    padded = np.concatenate([audio, np.zeros(PITCH_FRAME, dtype=np.float32)])
    view: npt.NDArray[np.float32] = np.lib.stride_tricks.sliding_window_view(padded, PITCH_FRAME)[
        ::HOP
    ][:n]
    return view


def _energy(view: npt.NDArray[np.float32]) -> Array:
    """Per 10 ms frame: energy of the 25 ms frame in dBFS (mean removed)."""
    energy = np.full(len(view), -120.0)
    for b in range(0, len(view), BLOCK_FRAMES):
        short = view[b : b + BLOCK_FRAMES, :FRAME].astype(np.float64)
        power = short.var(axis=1)
        energy[b : b + len(short)] = 10.0 * np.log10(power + 1e-12)
    return energy


def _features(
    view: npt.NDArray[np.float32], which: npt.NDArray[np.int_], rate: int
) -> tuple[Array, Array]:
    """MFCCs (frames, 12) and log F0 (NaN when unvoiced) of the frames ``which``."""
    mfcc = np.zeros((len(which), N_MFCC))
    logf0 = np.full(len(which), np.nan)
    fb = _mel_filterbank(rate).astype(np.float32)
    dct = _dct(N_MELS, N_MFCC)
    hann = np.hanning(FRAME).astype(np.float32)
    pitch_win = np.hanning(PITCH_FRAME).astype(np.float32)
    lag_lo, lag_hi = int(rate / F0_MAX), int(rate / F0_MIN)
    n_ac = 1024  # ≥ PITCH_FRAME + lag_hi: no circular wrap-around at the lags used
    # autocorrelation of the window itself, to undo its taper
    w_ac = np.fft.irfft(np.abs(np.fft.rfft(pitch_win, n_ac)) ** 2)[: lag_hi + 1]
    w_ac = w_ac / w_ac[0]
    for b in range(0, len(which), BLOCK_FRAMES):
        frames = view[which[b : b + BLOCK_FRAMES]]
        short = frames[:, :FRAME]
        short = short - short.mean(axis=1, keepdims=True)
        spec = np.abs(np.fft.rfft(short * hann, N_FFT)) ** 2
        mfcc[b : b + len(frames)] = np.log(spec @ fb.T + 1e-10).astype(np.float64) @ dct.T
        long = frames - frames.mean(axis=1, keepdims=True)
        ac = np.fft.irfft(np.abs(np.fft.rfft(long * pitch_win, n_ac)) ** 2)[:, : lag_hi + 1]
        ac = ac / (ac[:, :1] + 1e-12) / w_ac
        band = ac[:, lag_lo : lag_hi + 1]
        best = band.max(axis=1)
        first = np.argmax(band >= 0.9 * best[:, None], axis=1)
        rows = np.arange(len(band))
        for _ in range(8):  # climb from the crossing to the peak
            nxt = np.minimum(first + 1, band.shape[1] - 1)
            up = band[rows, nxt] > band[rows, first]
            if not up.any():
                break
            first = np.where(up, nxt, first)
        f0 = rate / (first + lag_lo)
        logf0[b : b + len(frames)] = np.where(best >= VOICED_MIN, np.log(f0), np.nan)
    return mfcc, logf0


def _speech_threshold(energy: Array) -> float:
    """The frame energy (dBFS) above which a frame is speech, from the level distribution."""
    if len(energy) == 0:
        return np.inf
    floor, peak = np.percentile(energy, 10), np.percentile(energy, 99)
    if peak < SPEECH_ABS_DB:
        return np.inf
    return float(max(floor + SPEECH_REL * (peak - floor), SPEECH_ABS_DB))


def _speech_runs(energy: Array, threshold: float) -> list[tuple[int, int]]:
    """Runs of speech frames [a, b) with short silences bridged."""
    if not np.isfinite(threshold):
        return []
    speech = energy > threshold
    edges = np.diff(np.concatenate([[0], speech.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    bridge, min_run = round(BRIDGE_S * 100), round(MIN_RUN_S * 100)
    runs: list[tuple[int, int]] = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if runs and a - runs[-1][1] < bridge:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
    return [(a, b) for a, b in runs if b - a >= min_run]


def _windows(runs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Cut runs into windows of about WINDOW_S: (start frame, end frame, run index)."""
    out: list[tuple[int, int, int]] = []
    size = round(WINDOW_S * 100)
    for i, (a, b) in enumerate(runs):
        parts = max(1, round((b - a) / size))
        cuts = np.linspace(a, b, parts + 1).round().astype(int)
        out.extend((int(cuts[j]), int(cuts[j + 1]), i) for j in range(parts))
    return out


def _voiced_frames(
    windows: list[tuple[int, int, int]], mfcc: Array, logf0: Array, loud: npt.NDArray[np.bool_]
) -> tuple[Array, npt.NDArray[np.int_]]:
    """Features (MFCCs and log F0) of the loud voiced frames inside windows, and their
    window."""
    window_id = np.full(len(logf0), -1)
    for i, (a, b, _) in enumerate(windows):
        window_id[a:b] = i
    keep = (window_id >= 0) & ~np.isnan(logf0) & loud
    frames = np.concatenate([mfcc[keep], logf0[keep, None]], axis=1)
    return frames, window_id[keep]


def _segments(windows: list[tuple[int, int, int]]) -> npt.NDArray[np.int_]:
    """Segment id per window: consecutive windows of one run, about SEGMENT_S long."""
    ids = np.zeros(len(windows), dtype=np.int_)
    seg, length, run = 0, 0, windows[0][2]
    for i, (a, b, r) in enumerate(windows):
        if r != run or length >= SEGMENT_S * 100:
            seg, length, run = seg + 1, 0, r
        ids[i] = seg
        length += b - a
    return ids


def _inits(x: Array, seg_of: npt.NDArray[np.int_], n_seg: int) -> list[npt.NDArray[np.int_]]:
    """Starting splits of the segments at the median of their mean log F0, of their first
    principal axes, and of a few random directions (seeded)."""
    counts = np.bincount(seg_of, minlength=n_seg).astype(float)
    used = counts > 0
    means = (
        np.stack(
            [np.bincount(seg_of, weights=x[:, d], minlength=n_seg) for d in range(x.shape[1])],
            axis=1,
        )[used]
        / counts[used, None]
    )
    centred = means - means.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = [means[:, -1] - np.median(means[:, -1])] + [centred @ v for v in vt[:3]]
    rng = np.random.default_rng(0)
    axes += [centred @ rng.standard_normal(x.shape[1]) for _ in range(RANDOM_INITS)]
    out = []
    for axis in axes:
        split = np.zeros(n_seg, dtype=np.int_)
        split[used] = (axis > np.median(axis)).astype(np.int_)
        out.append(split)
    return out


def _gaussian(x: Array) -> tuple[Array, Array]:
    """Full-covariance Gaussian fitted to ``x`` (frames, dims): mean, Cholesky factor."""
    mean: Array = x.mean(axis=0)
    cov = np.cov(x, rowvar=False) + np.eye(x.shape[1]) * COV_FLOOR
    chol: Array = np.linalg.cholesky(cov).astype(np.float64)
    return mean, chol


def _loglik(x: Array, mean: Array, chol: Array) -> Array:
    """Per-frame log-likelihood of ``x`` under the Gaussian (mean, Cholesky factor)."""
    sol = np.linalg.solve(chol, (x - mean).T)
    logdet = 2.0 * np.log(np.diag(chol)).sum()
    out: Array = -0.5 * ((sol**2).sum(axis=0) + logdet + x.shape[1] * np.log(2.0 * np.pi))
    return out


def _segment_sums(values: Array, seg_of: npt.NDArray[np.int_], n: int) -> Array:
    """Sum of ``values`` per segment."""
    return np.bincount(seg_of, weights=values, minlength=n).astype(np.float64)


def _cluster(
    x: Array, seg_of: npt.NDArray[np.int_], n_seg: int, init: npt.NDArray[np.int_]
) -> tuple[npt.NDArray[np.int_], float, Array]:
    """Two voices over segments: alternately fit one full-covariance Gaussian per voice on
    its segments' frames and move each segment to the voice that explains it better.

    Returns the segment labels, the total log-likelihood and the per-frame log-likelihoods
    (frames, 2) of the final Gaussians.
    """
    labels = init.copy()
    ll = np.zeros((len(x), 2))
    for _ in range(MAX_ITER):
        frame_label = labels[seg_of]
        if min(np.sum(frame_label == 0), np.sum(frame_label == 1)) < MIN_CLUSTER_FRAMES:
            return labels, -np.inf, ll
        for k in (0, 1):
            mean, chol = _gaussian(x[frame_label == k])
            ll[:, k] = _loglik(x, mean, chol)
        per_seg = np.stack([_segment_sums(ll[:, k], seg_of, n_seg) for k in (0, 1)], axis=1)
        new = np.argmax(per_seg, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    frame_label = labels[seg_of]
    total = float(ll[np.arange(len(x)), frame_label].sum())
    return labels, total, ll


def _viterbi(score: Array, switch: Array) -> npt.NDArray[np.int_]:
    """Best 2-state path: ``score`` (n, 2) per step; ``switch[i]`` costs a change before i."""
    n = len(score)
    back = np.zeros((n, 2), dtype=np.int_)
    acc = score[0].copy()
    for i in range(1, n):
        stay, cross = acc, acc[::-1] - switch[i]
        back[i] = np.where(stay >= cross, [0, 1], [1, 0])
        acc = np.maximum(stay, cross) + score[i]
    path = np.zeros(n, dtype=np.int_)
    path[-1] = int(np.argmax(acc))
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def _turns(
    runs: list[tuple[int, int]], windows: list[tuple[int, int, int]], labels: list[int]
) -> tuple[VoiceTurn, ...]:
    pieces: list[tuple[int, int, int]] = []
    for (a, b, _), v in zip(windows, labels, strict=True):
        if pieces and pieces[-1][2] == v:
            pieces[-1] = (pieces[-1][0], b, v)
        else:
            pieces.append((a, b, v))
    first = pieces[0][2] if pieces else 0
    offset = (FRAME / 2 - HOP / 2) / TARGET_RATE  # frame i covers i*HOP .. i*HOP+FRAME
    return tuple(
        VoiceTurn(
            start=round(a * HOP / TARGET_RATE + offset, 3),
            end=round(b * HOP / TARGET_RATE + offset, 3),
            voice=int(v != first),
        )
        for a, b, v in pieces
    )


def find_voices(audio: npt.NDArray[np.float32], rate: int = TARGET_RATE) -> Voices:
    """Label the speech in ``audio`` (mono float32) with two anonymous voices.

    Args:
        audio: mono samples (a (frames, channels) array is averaged to mono);
            resampled to 16 kHz when ``rate`` differs.
        rate: the sample rate of ``audio``.

    Returns:
        The turns, whether two voices were found, and how far apart they are.
    """
    samples = to_mono(np.asarray(audio, dtype=np.float32))
    if rate != TARGET_RATE:
        samples = resample(samples, rate, TARGET_RATE)
    view = _frames(samples)
    energy = _energy(view)
    threshold = _speech_threshold(energy)
    runs = _speech_runs(energy, threshold)
    windows = _windows(runs)
    if not windows:
        return Voices(turns=(), two=False, separation=0.0)
    if len(windows) < MIN_WINDOWS:
        return Voices(turns=_turns(runs, windows, [0] * len(windows)), two=False, separation=0.0)
    loud = energy > threshold
    which = np.flatnonzero(loud)
    mfcc = np.zeros((len(energy), N_MFCC))
    logf0 = np.full(len(energy), np.nan)
    mfcc[which], logf0[which] = _features(view, which, TARGET_RATE)
    frames, window_of = _voiced_frames(windows, mfcc, logf0, loud)
    if len(frames) < 2 * MIN_CLUSTER_FRAMES:
        return Voices(turns=_turns(runs, windows, [0] * len(windows)), two=False, separation=0.0)
    x = (frames - frames.mean(axis=0)) / np.maximum(frames.std(axis=0), 1e-9)
    # clustering segments: consecutive windows of one run, up to SEGMENT_S long
    seg_of_window = _segments(windows)
    n_seg = int(seg_of_window[-1]) + 1
    seg_of = seg_of_window[window_of]
    one_mean, one_chol = _gaussian(x)
    one_total = float(_loglik(x, one_mean, one_chol).sum())
    best: tuple[npt.NDArray[np.int_], float, Array] | None = None
    for init in _inits(x, seg_of, n_seg):
        found = _cluster(x, seg_of, n_seg, init)
        if best is None or found[1] > best[1]:
            best = found
    assert best is not None
    _, two_total, ll = best
    dims = x.shape[1]
    penalty = 0.5 * (dims + dims * (dims + 1) / 2) * np.log(len(x))  # BIC: one more Gaussian
    gain = (two_total - one_total - penalty) / len(x)
    separation = max(0.0, float(gain)) if np.isfinite(two_total) else 0.0
    n_win = len(windows)
    score = TEMPER * np.stack([_segment_sums(ll[:, k], window_of, n_win) for k in (0, 1)], axis=1)
    sizes = np.array([b - a for a, b, _ in windows], dtype=float)
    switch = np.full(n_win, SWITCH_IN_RUN)
    run_of = np.array([w[2] for w in windows])
    switch[1:][run_of[1:] != run_of[:-1]] = SWITCH_AT_PAUSE
    labels = _viterbi(score, switch).tolist()
    shares = np.bincount(labels, weights=sizes, minlength=2) / sizes.sum()
    two = separation >= TWO_MIN_SEPARATION and float(shares.min()) >= TWO_MIN_SHARE
    log.debug(
        "voices: %d windows, separation %.2f, shares %.2f/%.2f, two=%s",
        len(windows),
        separation,
        shares[0],
        shares[1],
        two,
    )
    if not two:
        labels = [0] * len(windows)
    return Voices(turns=_turns(runs, windows, labels), two=two, separation=separation)


def find_voices_in_file(path: Path | str) -> Voices:
    """`find_voices` on an audio file or recording folder (decoded by `audio.files`).

    Raises:
        AudioError: the file does not exist, is not audio, or is damaged.
    """
    return find_voices(load_audio(path), TARGET_RATE)


def voice_of(voices: Voices, start: float, end: float) -> int | None:
    """The voice covering most of [start, end] (a transcript word).

    None when no turn overlaps it or the recording seems to hold one voice. Turns are in
    time order and do not overlap, so only those from the last one starting before
    ``start`` are looked at (a 60 min transcript has ~10 000 words and ~1 000 turns).
    """
    if not voices.two:
        return None
    turns = voices.turns
    first = max(0, bisect.bisect_right(voices.starts, start) - 1)
    if end <= start:  # a zero-length word: the turn containing it
        for turn in turns[first : first + 2]:
            if turn.start <= start <= turn.end:
                return turn.voice
        return None
    overlap = [0.0, 0.0]
    for turn in turns[first:]:
        if turn.start >= end:
            break
        overlap[turn.voice] += max(0.0, min(end, turn.end) - max(start, turn.start))
    if max(overlap) <= 0.0:
        return None
    return 0 if overlap[0] >= overlap[1] else 1
