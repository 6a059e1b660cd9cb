"""The two-channel recordings of the voices bench (`bench.voices`): real single-speaker
clips of ``../shared/data/speech``, each person on their own microphone and heard more
faintly on the other's (bleed), with room noise on both.

Reference turns span each clip's audible speech: its 10 ms frames within ``TOP_DB`` of
its loudest (librosa's ``effects.trim``). The one-microphone builds keep their older rule
(samples above 1 % of the clip's peak), under which a quiet clip's own noise floor
(whisper.flac's, 30-40 dB under its speech, below the bench's room noise) counted as
speech for three seconds after it.

Builds (`two_channel_recordings`):

- ``2ch jfk+lj``, ``2ch lj+mfa``, ``2ch jfk+whisper``: turns with 0.4-1.5 s pauses, the
  other person 20 dB lower on each microphone;
- ``2ch mfa+jfk back-channels``: the MFA speaker talks; JFK answers with single words
  ("so", "not", "do", …, cut from jfk.flac at faster-whisper base's word times), some in
  the pauses, some over the other's speech;
- ``2ch jfk+mfa far mic``: the MFA speaker on a far microphone: 15 dB quieter on their
  own channel than JFK on his, JFK 25 dB down on it, the MFA speaker 30 dB down on JFK's;
- ``2ch lj+mfa quick turns``: pauses of 0.05-0.25 s, so words sit at turn changes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from bench.voices_score import Turn

RATE = 16_000
TOP_DB = 30.0  # a clip's audible speech: frames within this of its loudest
NOISE = 1e-3  # room noise on each microphone (RMS, -60 dBFS)
# single words of jfk.flac (seconds, faster-whisper base's word times): back-channels
JFK_WORDS = [
    (0.52, 0.84),  # so
    (0.84, 1.20),  # my
    (3.74, 4.24),  # not
    (5.52, 5.76),  # your
    (6.22, 6.62),  # can
    (6.62, 6.82),  # do
    (8.48, 8.76),  # what
    (8.76, 9.04),  # you
    (9.32, 9.56),  # do
]

Audio = npt.NDArray[np.float32]
Span = Callable[[Audio], tuple[int, int]]


def audible(clip: Audio) -> tuple[int, int]:
    """The first and end sample of ``clip``'s frames within ``TOP_DB`` of its loudest."""
    import librosa

    _, (a, b) = librosa.effects.trim(clip, top_db=TOP_DB, frame_length=400, hop_length=160)
    return int(a), int(b)


def mix(
    events: list[tuple[int, Audio, int]], gains: tuple[tuple[float, float], ...], seed: int
) -> tuple[Audio, list[Turn]]:
    """Two microphones from ``events`` (start sample, clip, person 0 or 1): microphone k
    hears person j at ``gains[k][j]`` dB, plus room noise; reference turns from
    `audible` (named "p0", "p1")."""
    n = max(s + len(c) for s, c, _ in events) + RATE
    people = np.zeros((2, n), np.float32)
    turns: list[Turn] = []
    for s, clip, who in events:
        people[who, s : s + len(clip)] += clip
        a, b = audible(clip)
        turns.append(((s + a) / RATE, (s + b) / RATE, f"p{who}"))
    g = 10.0 ** (np.asarray(gains) / 20.0)
    noise = np.random.default_rng(seed).standard_normal((n, 2)) * NOISE
    stereo = (g @ people).T + noise
    turns.sort()
    return stereo.astype(np.float32), turns


def _pause(rng: np.random.Generator, lo: float, hi: float) -> int:
    return int(rng.uniform(lo, hi) * RATE)


def back_channels(talk: list[Audio], words: list[Audio], seed: int) -> tuple[Audio, list[Turn]]:
    """Person 0 talks (``talk``); person 1's single ``words`` fall alternately in the
    pause after a clip (0.3-0.6 s either side) and over the middle of the next clip."""
    rng = np.random.default_rng(seed)
    events: list[tuple[int, Audio, int]] = []
    t = _pause(rng, 0.4, 1.0)
    for k, clip in enumerate(talk):
        events.append((t, clip, 0))
        word = words[k % len(words)]
        if k % 2 == 0:  # over the other's speech
            events.append((t + len(clip) // 2, word, 1))
            t += len(clip) + _pause(rng, 0.4, 1.0)
        else:  # in the pause after the clip
            t += len(clip) + _pause(rng, 0.3, 0.6)
            events.append((t, word, 1))
            t += len(word) + _pause(rng, 0.3, 0.6)
    return mix(events, ((0.0, -20.0), (-20.0, 0.0)), seed)


def alternate(
    clips: list[tuple[Audio, int]],
    seed: int,
    pauses: tuple[float, float],
    gains: tuple[tuple[float, float], ...] = ((0.0, -20.0), (-20.0, 0.0)),
) -> tuple[Audio, list[Turn]]:
    """Turns in order, ``pauses`` (seconds, low and high) between them."""
    rng = np.random.default_rng(seed)
    events: list[tuple[int, Audio, int]] = []
    t = _pause(rng, *pauses)
    for clip, who in clips:
        events.append((t, clip, who))
        t += len(clip) + _pause(rng, *pauses)
    return mix(events, gains, seed)


def new_builds(
    jfk: Audio, lj: list[Audio], mfa: list[Audio]
) -> list[tuple[str, Audio, list[Turn]]]:
    """The builds added with the per-word attribution (module doc), held out."""
    out = []
    words = [jfk[int(a * RATE) : int(b * RATE)] for a, b in JFK_WORDS]
    stereo, turns = back_channels(mfa[20:30], words, 11)
    out.append(("2ch mfa+jfk back-channels", stereo, turns))
    parts = [(0.2, 2.2), (3.1, 4.4), (5.3, 7.6), (8.0, 10.9)]
    far: list[tuple[Audio, int]] = []
    for k, (a, b) in enumerate(parts):
        far += [(jfk[int(a * RATE) : int(b * RATE)], 0), (mfa[30 + 2 * k], 1), (mfa[31 + 2 * k], 1)]
    # microphone 0 (JFK's, near) hears the far speaker 30 dB down; microphone 1 (far)
    # hears its own speaker 15 dB under JFK's level on his and JFK 25 dB down
    stereo, turns = alternate(far, 12, (0.4, 1.5), ((0.0, -45.0), (-25.0, -15.0)))
    out.append(("2ch jfk+mfa far mic", stereo, turns))
    quick: list[tuple[Audio, int]] = []
    for k, clip in enumerate(lj):
        quick += [(clip, 0), (mfa[38 + k], 1)]
    stereo, turns = alternate(quick, 13, (0.05, 0.25))
    out.append(("2ch lj+mfa quick turns", stereo, turns))
    return out
