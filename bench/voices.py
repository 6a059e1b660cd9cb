"""Who is speaking (`audio.voices`): per recording, the diarisation error rate, the share
of transcript words given the right speaker, time per audio minute and peak memory.

Recordings (`recordings`):

- real conversations with reference turns (RTTM) in ``bench/data/voices`` (README there:
  pyannote's sample and AMI meeting excerpts from pyannote-audio's test data, and 30 s
  stretches of four more AMI meetings in which mostly two people talk, all held out; a
  clip whose RTTM names one speaker is a one-voice row);
- interview-like recordings built from real single-speaker clips of
  ``../shared/data/speech`` (JFK, LJSpeech, the MFA speaker, Common Voice: one person asks,
  another answers, pauses between), and the same as two channels (one microphone per
  person, the other's voice 20 dB lower on each), also JFK with real whispered and
  falsetto speech (a quiet voice on its own microphone), single-word back-channels, a
  far quiet microphone and quick turn changes (`bench.voices_channels`; the two-channel
  rows' reference turns span each clip's audible speech, see there);
- one-voice recordings: JFK with applause, read sentences (LJSpeech) at 16 and 8 kHz, the
  MFA speaker's spontaneous clips, a reverberant LibriSpeech reading (bench/data/voices);
- the espeak interviews of the tagging bench (`bench.synth`).

``CALIBRATION`` names the recordings the method was chosen on (NME-SC's affinity, the
window length, ``MAX_AFFINITY``, ``MIN_VOICE_S``; the two-channel detection of missed
speech); every other row is held out and printed in its own table.

Scores: DER = (missed + false alarm + confused speaker time) / reference speech time,
10 ms frames, no collar, overlapped speech counted for each speaker, the best one-to-one
mapping of found voices to reference speakers. Word accuracy: transcript words
(faster-whisper base; espeak: the true word times) whose reference speaker is clear (one
speaker covers most of the word) and whose voice (`voice_of`) maps to that speaker; with
one voice found every word counts as that voice (the share of the main speaker's words).
Time and memory: each recording in a fresh process (`_measure`): seconds of
`find_voices` per audio minute after a warm-up call on another recording (the first call
in a process also pays ~10 s of model loading and JIT compiling), against Silero VAD
alone on the same audio in the same process (the baseline), and that process's peak
resident memory.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.voices_recordings import CACHE, DATA, RATE, ROOT, Recording, read_rttm, recordings
from bench.voices_score import Turn, der, word_accuracy

# the method was chosen on these (module doc); all other recordings are held out
CALIBRATION = {
    "ami-dev00",
    "ami-dev01",
    "jfk+lj",
    "one: lj",
    "one: mfa",
    "one: jfk",
    # the two-channel detection of speech the detector missed was built looking at these
    "2ch lj+mfa",
    "2ch jfk+whisper",
}

__all__ = ["Recording", "Turn", "der", "read_rttm", "recordings", "run", "word_accuracy"]


def transcript_words(rec: Recording) -> list[tuple[float, float]]:
    """Word times: the true ones (espeak) or faster-whisper base's (cached)."""
    if rec.words is not None:
        return rec.words
    import soundfile as sf

    mono = rec.audio.mean(axis=1) if rec.audio.ndim == 2 else rec.audio
    key = hashlib.sha256(mono.tobytes()).hexdigest()[:16]
    path = CACHE / f"voices-words-{key}.json"
    if path.is_file():
        return [tuple(w) for w in json.loads(path.read_text(encoding="utf-8"))]  # type: ignore[misc]
    from audio.transcribe import transcribe_file
    from bench.tagging import _model_dir

    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "a.wav"
        sf.write(str(wav), mono, RATE)
        segs, _ = transcribe_file(
            wav, engine="faster-whisper", model=str(_model_dir()), language=rec.language
        )
    words = [(w.start, w.end) for s in segs for w in s.words]
    path.write_text(json.dumps(words), encoding="utf-8")
    return words


def _voices_json(voices: object, took: float) -> dict[str, object]:
    from audio.voices import Voices

    assert isinstance(voices, Voices)
    return {
        "count": voices.count,
        "separation": voices.separation,
        "channels": voices.channels,
        "turns": [[t.start, t.end, t.voice] for t in voices.turns],
        "shares": None if voices.shares is None else np.round(voices.shares, 4).tolist(),
        "seconds": took,
    }


def _peak_mb(fallback: float) -> float:
    """This process's peak resident memory, MB: Linux's VmHWM, which starts afresh at
    exec (ru_maxrss keeps the parent's peak across fork and exec, so a bench process
    grown by transcribing showed its own size in every row), else ``fallback``."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024
    return fallback


def _measure(npy: str, people: int | None = None) -> None:
    """In a fresh process: time `find_voices` and Silero VAD alone on the audio in
    ``npy``; print JSON with the voices found and the process's peak memory; with
    ``people``, also `find_voices` told that many people ("told"), and with ``people``
    of 3 or more also told 2, the app's default ("told2")."""
    import resource
    import time

    from faster_whisper.vad import get_speech_timestamps

    from audio.voices import find_voices

    audio = np.load(npy)
    from audio.files import load_audio

    # the first call in a process loads the models and JIT-compiles librosa's STFT (~10 s)
    find_voices(load_audio(DATA / "pyannote-sample.flac"))
    mono = audio.mean(axis=1).astype(np.float32) if audio.ndim == 2 else audio
    t0 = time.perf_counter()
    get_speech_timestamps(mono)
    t_vad = time.perf_counter() - t0
    t0 = time.perf_counter()
    voices = find_voices(audio)
    took = time.perf_counter() - t0
    out = _voices_json(voices, took)
    if people is not None:
        t0 = time.perf_counter()
        told = find_voices(audio, people=people)
        out["told"] = _voices_json(told, time.perf_counter() - t0)
    if people is not None and people >= 3:
        t0 = time.perf_counter()
        told2 = find_voices(audio, people=2)
        out["told2"] = _voices_json(told2, time.perf_counter() - t0)
    out["vad_seconds"] = t_vad
    out["peak_mb"] = _peak_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))


def told_people(rec: Recording) -> int | None:
    """How many people the "told" rows say: the reference's speakers; the one-voice
    recordings get the app's default, 2 (an individual interview: at most two); None
    (no told row) for the espeak and two-channel recordings (two people, found as two
    without being told)."""
    if rec.kind == "one voice":
        return 2
    if rec.kind in ("real", "built"):
        return rec.speakers
    return None


def _run_one(rec: Recording) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        npy = Path(tmp) / "a.npy"
        np.save(npy, rec.audio)
        people = told_people(rec)
        code = f"from bench.voices import _measure; _measure({str(npy)!r}, {people!r})"
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _score(rec: Recording, got: dict[str, object]) -> tuple[int, float, float, int, float]:
    """Voices found, DER, words right, words scored, seconds per audio minute."""
    from audio.voices import Voices, VoiceTurn, voice_of

    turns = [VoiceTurn(a, b, v) for a, b, v in got["turns"]]  # type: ignore[attr-defined]
    count = int(got["count"])  # type: ignore[call-overload]
    shares = None if got.get("shares") is None else np.asarray(got["shares"], np.float32)
    voices = Voices(tuple(turns), count, float(got["separation"]), shares=shares)  # type: ignore[arg-type]
    found = [(t.start, t.end, f"v{t.voice}") for t in turns]
    words = transcript_words(rec)
    # one voice found: every word is that voice (the share of the main speaker's words)
    labels = [voice_of(voices, a, b) for a, b in words] if voices.two else [0] * len(words)
    acc, n_words = word_accuracy(rec.turns, words, labels)
    minutes = len(rec.audio) / RATE / 60
    per_min = float(got["seconds"]) / minutes  # type: ignore[arg-type]
    return count, der(rec.turns, found), acc, n_words, per_min


def row(rec: Recording) -> tuple[str, str | None, str | None, dict[str, float]]:
    """The recording's row, its row when told how many people and when told 2 people
    though the reference has more (None: not measured)."""
    got = _run_one(rec)
    count, d, acc, n_words, per_min = _score(rec, got)
    minutes = len(rec.audio) / RATE / 60
    ratio = float(got["seconds"]) / max(float(got["vad_seconds"]), 1e-9)  # type: ignore[arg-type]
    how = " (channels)" if got["channels"] else ""
    line = (
        f"| {rec.name} | {rec.kind} | {minutes * 60:.0f} | {rec.speakers} | {count}{how} "
        f"| {float(got['separation']):.3g} | {d:.1%} | {acc:.1%} ({n_words}) "  # type: ignore[arg-type]
        f"| {per_min:.2f} ({per_min / 60:.3f}×) | {ratio:.1f} | {float(got['peak_mb']):.0f} |"  # type: ignore[arg-type]
    )

    def told(key: str, people: int) -> str | None:
        """The row told ``people`` (a → b: not told → told), or None if not measured."""
        if key not in got:
            return None
        t_count, t_d, t_acc, t_n, t_per_min = _score(rec, got[key])  # type: ignore[arg-type]
        return (
            f"| {rec.name} | {rec.kind} | {rec.speakers} | {people} | {count} → {t_count} "
            f"| {d:.1%} → {t_d:.1%} | {acc:.1%} → {t_acc:.1%} ({t_n}) "
            f"| {t_per_min:.2f} ({t_per_min / 60:.3f}×) |"
        )

    told_line = told("told", told_people(rec)) if "told" in got else None
    told2_line = told("told2", 2)
    scores = {"right_count": float(count == rec.speakers), "acc": acc, "der": d}
    return line, told_line, told2_line, scores


HEADER = (
    "| recording | kind | s | speakers | voices found | separation | DER | words right (n) "
    "| s per audio min (× real time) | × VAD alone | peak MB |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|\n"
)


TOLD_HEADER = (
    "| recording | kind | speakers | people told | voices found (not told → told) "
    "| DER | words right (n) | told: s per audio min (× real time) |\n"
    "|---|---|---|---|---|---|---|---|\n"
)


def run(quick: bool) -> str:
    """Measure every recording; calibration and held-out rows in separate tables, and
    again for the recordings told how many people take part."""
    calibration: list[str] = []
    held_out: list[str] = []
    told_cal: list[str] = []
    told_held: list[str] = []
    told2: list[str] = []
    for rec in recordings(quick):
        line, told, two, _ = row(rec)
        print(line, flush=True)
        cal = rec.name in CALIBRATION
        (calibration if cal else held_out).append(line)
        if told is not None:
            print(told, flush=True)
            (told_cal if cal else told_held).append(told)
        if two is not None:
            print(two, flush=True)
            told2.append(two)
    return (
        "Who is speaking (`audio.voices`: Resemblyzer GE2E embeddings of 1 s windows "
        "every 0.25 s, spectral clustering with the normalised maximum eigengap "
        "(`audio.spectral`, NME-SC) for how many voices and whose each window is, a "
        "Viterbi resegmentation, a voice under MIN_VOICE_S of turns or as alike as "
        "SAME_VOICE_COS merged away; two channels by level, each word's voice from "
        "the levels over the word). separation = the chosen graph's normalised "
        "maximum eigengap (two channels: dB between the level modes). Time: "
        "find_voices in a fresh process after a warm-up, 2 cores shared.\n\n"
        "Calibration (the method was chosen on these):\n\n"
        + HEADER
        + "\n".join(calibration)
        + "\n\nHeld out:\n\n"
        + HEADER
        + "\n".join(held_out)
        + "\n\n### Told how many people take part\n\n"
        "`find_voices(audio, people=N)`, N = the reference's speakers (the one-voice "
        "recordings: 2, the app's default, which means at most two). 2: the eigengap "
        "and the merges choose one or two voices; 3 or more: exactly N, the windows "
        "grouped by average-linkage AHC (`audio.counted`), a voice with under "
        "NO_SPEECH_S of speech merged away. Each cell: not told → told (the first "
        "table's row → the same recording told). Every recording with three or more "
        "speakers is held out; the choice of AHC over the spectral k-means forced to "
        "N was made looking at the AMI excerpts' DER told N (no parameter tuned).\n\n"
        "Calibration recordings:\n\n"
        + TOLD_HEADER
        + "\n".join(told_cal)
        + "\n\nHeld out:\n\n"
        + TOLD_HEADER
        + "\n".join(told_held)
        + "\n\n### Told 2 people though more speak\n\n"
        "The recordings whose reference has three or more speakers told 2, the app's "
        "default (in most AMI rows two people hold most of the speech; README in "
        "bench/data/voices): the eigengap and the merges choose one voice or two. All "
        "held out.\n\n" + TOLD_HEADER + "\n".join(told2) + "\n"
    )
