"""Two channels that carry one person each: who speaks, from the channels' levels.

A headset per person, a stereo recorder with one microphone each, or a call recorded
per side: in speech, the level difference between the channels (dB, per 10 ms frame)
has two modes, one per person (each microphone hears its own person louder and the
other one through bleed). A two-component Gaussian mixture over the speech frames'
differences finds the modes; the louder channel per frame, smoothed by the Viterbi path
of `audio.speakers`, gives the turns. Each frame's level difference, under the two
modes and the silence between them, also gives the probability that each person speaks
in it (`frame_shares`), which `audio.voices.voice_of` sums over a transcript word.

Speech frames are those the voice activity detector (Silero) finds, and also those it
missed where a channel's level says its person is speaking: a stretch of at least
``MIN_SPEECH_S`` where the louder channel's level is likelier sound than its
microphone's silence (`_missed_speech`). Silero misses some real speech (a quiet or
low-band voice), and Whisper may still write words there; with one person per channel,
the levels say whose they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from audio.samples import TARGET_RATE, to_mono
from audio.speakers import FRAME_S, SWITCH_AT_PAUSE, SWITCH_COST, speech_stretches, viterbi

Audio = npt.NDArray[np.float32]
Shares = npt.NDArray[np.float32]

CHANNEL_MIN_DB = 6.0  # two-channel: the level-difference modes are this far apart ...
CHANNEL_MIN_SHARE = 0.05  # ... and each holds this share of the speech frames
MIN_SPEECH_S = 0.25  # a stretch the detector missed counts from this long (Silero's own
# shortest speech, min_speech_duration_ms)


@dataclass(frozen=True)
class ChannelVoices:
    """What the channels' levels say: turns, the level modes' distance, and per frame
    who speaks."""

    runs: list[tuple[int, int, int]]  # (first frame, end frame, 0 or 1: the channel)
    separation: float  # distance of the two level-difference modes, dB
    shares: Shares  # (frames, 2): per 10 ms frame from the start, the probability that
    # channel 0's and channel 1's person speaks (`frame_shares`)


def channel_runs(stereo: Audio) -> ChannelVoices | None:
    """The voices of a (frames, 2) recording at 16 kHz from its channels' levels: the
    Viterbi turns over the speech frames, the distance of the level modes (dB) and each
    frame's shares (`frame_shares`); None when the channels do not carry one person each
    (the same signal twice, one silent channel, or voices heard alike on both)."""
    mono = to_mono(stereo)
    spans = speech_stretches(mono)
    if not spans:
        return None
    hop = round(TARGET_RATE * FRAME_S)
    n = len(mono) // hop
    power = (stereo[: n * hop].astype(np.float64) ** 2).reshape(n, hop, 2).mean(axis=1)
    level = 10.0 * np.log10(power + 1e-12)  # (frames, 2) dBFS
    speech = np.zeros(n, dtype=bool)
    for a, b in spans:
        speech[a // hop : b // hop] = True
    speech |= _missed_speech(level, speech)
    if not all(_speaks_on(level, speech, k) for k in range(2)):
        # a microphone on which nobody is heard above its own silence carries no person
        # (a second input with only its hum or hiss): the level difference would follow
        # the loudness of one voice against a steady noise, not who speaks
        return None
    diff = (level[:, 0] - level[:, 1])[speech]
    loud = level[speech].max(axis=1) > level[speech].max() - 50.0
    diff = diff[loud]
    if len(diff) < 50:
        return None
    if float(diff.std()) < 1.0:
        return None  # one level difference throughout: the same signal on both
    from sklearn.mixture import GaussianMixture

    gm = GaussianMixture(2, random_state=0).fit(diff[:, None])
    means = gm.means_[:, 0]
    weights = gm.weights_
    if abs(means[0] - means[1]) < CHANNEL_MIN_DB or weights.min() < CHANNEL_MIN_SHARE:
        return None
    if not (min(means) < 0.0 < max(means)):
        return None  # one channel louder throughout: not one person per channel
    runs: list[tuple[int, int, int]] = []
    frames = np.concatenate([np.arange(a, b) for a, b in _stretches(speech)])
    d = level[frames, 0] - level[frames, 1]
    score = np.stack([d, -d], axis=1) / 3.0  # 3 dB of level difference ≈ 1 nat
    switch = np.full(len(frames), SWITCH_COST)
    switch[1:][np.diff(frames) > 1] = SWITCH_AT_PAUSE
    path = viterbi(score, switch)
    for f, v in zip(frames.tolist(), path.tolist(), strict=True):
        if runs and runs[-1][2] == v and runs[-1][1] == f:
            runs[-1] = (runs[-1][0], f + 1, v)
        else:
            runs.append((f, f + 1, v))
    everyone = level[:, 0] - level[:, 1]
    shares = frame_shares(everyone, speech, gm.means_[:, 0], gm.covariances_[:, 0, 0], weights)
    return ChannelVoices(runs, float(abs(means[0] - means[1])), shares)


def frame_shares(
    diff: npt.NDArray[np.float64],
    speech: npt.NDArray[np.bool_],
    means: npt.NDArray[np.float64],
    variances: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
) -> Shares:
    """Per frame, the probability that channel 0's person and channel 1's person speak:
    the posterior of a three-component model of the frame's level difference ``diff``
    (channel 0 minus channel 1, dB): each person's mode (``means``, ``variances``,
    ``weights`` of the speech frames' two-component mixture) and the silence between
    them (median and spread of the frames outside ``speech``, which Gaussian tails
    would give to a mode). Returns (frames, 2) float32, channel 0's person first.

    A transcript word's voice is the person with the larger sum of shares over the
    word's frames (`audio.voices.voice_of`): the expected number of frames each person
    speaks in it, from the frames themselves rather than from smoothed turns, so a
    one-word turn ("yes", "mm") or a word in speech the detector missed is its
    speaker's. Shares rather than summed log-likelihood ratios: a Gaussian's tail makes
    one frame of the other person's loud speech outweigh a hundred frames of a quiet
    voice.
    """
    quiet = diff[~speech] if (~speech).sum() >= 10 else diff
    mid = float(np.median(quiet))
    spread = 1.4826 * float(np.median(np.abs(quiet - mid)))  # MAD: robust to missed speech
    silence_share = float((~speech).mean())
    logs = [
        _log_normal(diff, mid, spread**2) + np.log(max(silence_share, 1e-3)),
        *(
            _log_normal(diff, float(m), float(v)) + np.log((1.0 - silence_share) * float(w))
            for m, v, w in zip(means, variances, weights, strict=True)
        ),
    ]
    stacked = np.stack(logs, axis=1)
    post = np.exp(stacked - stacked.max(axis=1, keepdims=True))
    post /= post.sum(axis=1, keepdims=True)
    first = 1 + int(np.argmax(means))  # the louder-on-channel-0 mode: channel 0's person
    second = 1 + int(np.argmin(means))
    out: Shares = post[:, [first, second]].astype(np.float32)
    return out


def _speaks_on(level: npt.NDArray[np.float64], speech: npt.NDArray[np.bool_], k: int) -> bool:
    """Whether someone is heard on channel ``k`` above its own silence: in the speech
    frames where it is the louder channel, its median level ``level`` (frames, 2; dBFS)
    lies ``CHANNEL_MIN_DB`` or more above its median level outside speech (the level
    difference that tells two people apart also tells a person from the microphone's
    steady hum or hiss, which is all a channel with nobody on it carries). True when
    there is too little silence to tell (fewer than 10 frames)."""
    quiet = level[~speech, k]
    if len(quiet) < 10:
        return True
    own = level[speech & (level.argmax(axis=1) == k), k]
    return bool(len(own)) and float(np.median(own) - np.median(quiet)) >= CHANNEL_MIN_DB


def _missed_speech(
    level: npt.NDArray[np.float64], speech: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Frames outside ``speech`` (the detector's) where the louder channel's own person
    speaks, from its ``level`` (frames, 2; dBFS), in stretches of at least
    ``MIN_SPEECH_S``.

    Per channel, a two-component Gaussian mixture over the levels of every frame: the
    quieter component is the microphone's silence, the louder one sound (its person, and
    the other person's bleed, which is ruled out by requiring this channel to be the
    louder). A frame's log-likelihood ratio of sound against silence (each frame's say
    capped at 5 nats) is summed over the shortest speech: a whisper a few dB above the
    noise floor flickers frame by frame, its stretch does not.
    """
    from sklearn.mixture import GaussianMixture

    out = np.zeros(len(level), dtype=bool)
    least = round(MIN_SPEECH_S / FRAME_S)
    if len(level) < 4 * least:
        return out
    louder = level.argmax(axis=1)
    for k in range(level.shape[1]):
        x = level[:, k]
        if float(x.std()) < 0.5:
            continue  # a silent or constant channel: no sound to find
        gm = GaussianMixture(2, random_state=0).fit(x[:, None])
        quiet, sound = np.argsort(gm.means_[:, 0])
        if gm.means_[sound, 0] - gm.means_[quiet, 0] < 3.0 * np.sqrt(gm.covariances_[quiet, 0, 0]):
            continue  # no sound stands out of this microphone's silence
        llr = np.clip(
            _log_normal(x, gm.means_[sound, 0], gm.covariances_[sound, 0, 0])
            - _log_normal(x, gm.means_[quiet, 0], gm.covariances_[quiet, 0, 0]),
            -5.0,
            5.0,
        )
        window = np.convolve(llr, np.ones(least), mode="same")
        out |= ~speech & (louder == k) & (window > 0.0)
    for a, b in _stretches(out):
        if b - a < least:
            out[a:b] = False
    return out


def _stretches(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The runs of True in ``mask`` as (first, end) indices."""
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(np.int8), 0]))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _log_normal(x: npt.NDArray[np.float64], mu: float, var: float) -> npt.NDArray[np.float64]:
    """Log-density of ``x`` under a Gaussian of mean ``mu`` and variance ``var`` (its
    standard deviation at least 0.5 dB)."""
    from scipy.stats import norm

    out: npt.NDArray[np.float64] = norm.logpdf(x, mu, max(float(np.sqrt(var)), 0.5))
    return out
