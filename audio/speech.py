"""Where the speech is: voice activity detection at any recording level.

Silero VAD (shipped inside faster-whisper, offline) finds speech in 16 kHz audio. Its
network expects speech at ordinary levels: a participant recorded at a peak of −40 dBFS
(a low-gain phone across the table, or the far side of the table from a phone placed
by the interviewer) is "silence" to it. So the audio is first brought to a common
level, relative to the recording itself and *locally*: each stretch of `BLOCK_S` gets
the gain that puts the loud part of the `CONTEXT_S` around it (the 99.9th percentile of
|x|) at −6 dBFS, never more than +60 dB, the gain changing smoothly from block to block.
A quiet participant after a loud interviewer is then as loud to the VAD as the
interviewer. Silence stays silence (zeros times any gain are zeros); noise stays noise,
and the network tells noise from speech at any level: only the scale changes.

Every decision in kvale about "is anybody speaking here" goes through `speech_spans`;
no absolute level threshold anywhere.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
TARGET_PEAK = 0.5  # −6 dBFS
MAX_GAIN = 1000.0  # +60 dB
JOIN_S = 1.0  # stretches closer than this are one stretch
BLOCK_S = 1.0  # the gain is set per block of this length ...
CONTEXT_S = 5.0  # ... from the loudness of this much audio around it

Spans = list[tuple[float, float]]


def normalised(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``audio`` with a smooth local gain: every `CONTEXT_S` stretch's 99.9th-percentile
    magnitude at −6 dBFS (gain ≤ +60 dB; see the module docstring).

    Args:
        audio: mono float32 samples at 16 kHz.

    Returns:
        A new float32 array of the same length, clipped to [−1, 1]; zeros stay zeros.
    """
    n = audio.size
    if n == 0:
        return audio.astype(np.float32, copy=True)
    block = int(BLOCK_S * SAMPLE_RATE)
    blocks = max(1, -(-n // block))
    padded = np.zeros(blocks * block, np.float32)
    padded[:n] = np.abs(audio)
    peaks = np.percentile(padded.reshape(blocks, block), 99.9, axis=1)
    reach = int(CONTEXT_S / BLOCK_S) // 2
    loud = np.array(
        [peaks[max(0, k - reach) : k + reach + 1].max() for k in range(blocks)], np.float64
    )
    gains = np.where(loud > 0, np.minimum(MAX_GAIN, TARGET_PEAK / np.maximum(loud, 1e-12)), 0.0)
    centres = (np.arange(blocks) + 0.5) * block
    gain = np.interp(np.arange(n), centres, gains)
    out: npt.NDArray[np.float32] = np.clip(audio * gain, -1.0, 1.0).astype(np.float32)
    return out


def speech_spans(
    audio: npt.NDArray[np.float32], *, join_s: float = JOIN_S, offset: float = 0.0
) -> Spans:
    """Stretches of speech in seconds (Silero VAD on the level-normalised audio).

    Args:
        audio: mono float32 at 16 kHz.
        join_s: stretches closer than this are joined into one.
        offset: added to every time (where ``audio`` starts on a longer timeline).

    Returns:
        ``[(start, end), ...]`` in seconds, sorted, not overlapping.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0:
        return []
    joined: Spans = []
    spans = get_speech_timestamps(normalised(audio), VadOptions(min_silence_duration_ms=500))
    for span in spans:
        start = span["start"] / SAMPLE_RATE + offset
        end = span["end"] / SAMPLE_RATE + offset
        if joined and start - joined[-1][1] < join_s:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def overlaps(spans: Spans, start: float, end: float, pad: float = 0.0) -> bool:
    """Whether any span meets [start − pad, end + pad] (seconds)."""
    return any(a < end + pad and start - pad < b for a, b in spans)


def speech_only(
    audio: npt.NDArray[np.float32], spans: Spans, limit_s: float
) -> npt.NDArray[np.float32]:
    """The samples of ``spans`` joined, at most ``limit_s`` seconds (for language
    detection on speech rather than on leading silence or noise); ``audio`` itself when
    there are no spans."""
    if not spans:
        return audio
    pieces = []
    total = 0
    limit = int(limit_s * SAMPLE_RATE)
    for a, b in spans:
        piece = audio[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)]
        pieces.append(piece[: limit - total])
        total += len(pieces[-1])
        if total >= limit:
            break
    return np.concatenate(pieces).astype(np.float32, copy=False)
