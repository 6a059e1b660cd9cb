"""Who is speaking (`audio.voices`): per recording, the diarisation error rate, the share
of transcript words given the right speaker, time per audio minute and peak memory.

Recordings (`recordings`):

- real conversations with reference turns (RTTM) in ``bench/data/voices`` (README there:
  pyannote's sample and AMI meeting excerpts from pyannote-audio's test data);
- interview-like recordings built from real single-speaker clips of
  ``../shared/data/speech`` (JFK, LJSpeech, the MFA speaker, Common Voice: one person asks,
  another answers, pauses between), and the same as two channels (one microphone per
  person, the other's voice 20 dB lower on each);
- one-voice recordings: JFK with applause, read sentences (LJSpeech) at 16 and 8 kHz, the
  MFA speaker's spontaneous clips;
- the espeak interviews of the tagging bench (`bench.synth`).

``CALIBRATION`` names the recordings the method was chosen on (NME-SC's affinity, the
window length, ``MAX_AFFINITY``, ``MIN_VOICE_S``); every other row is held out and printed
in its own table.

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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.voices_score import Turn, der, word_accuracy

HERE = Path(__file__).parent
ROOT = HERE.parent
DATA = HERE / "data" / "voices"
SHARED = ROOT.parent / "shared" / "data" / "speech"
CACHE = HERE / "results" / "cache"
RATE = 16_000

# the method was chosen on these (module doc); all other recordings are held out
CALIBRATION = {"ami-dev00", "ami-dev01", "jfk+lj", "one: lj", "one: mfa", "one: jfk"}

Audio = npt.NDArray[np.float32]

__all__ = ["Recording", "Turn", "der", "read_rttm", "recordings", "run", "word_accuracy"]


@dataclass
class Recording:
    name: str
    kind: str  # "real", "built", "two-channel", "one voice", "espeak"
    audio: Audio  # 16 kHz, mono or (frames, 2)
    turns: list[Turn]
    language: str = "en"
    words: list[tuple[float, float]] | None = None  # true word times (espeak)

    @property
    def speakers(self) -> int:
        return len({s for _, _, s in self.turns})


def read_rttm(path: Path) -> list[Turn]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER":
            out.append((float(f[3]), float(f[3]) + float(f[4]), f[7]))
    return out


def _build(clips: list[tuple[Audio, str]], seed: int) -> tuple[Audio, list[Turn]]:
    """Join clips with 0.4-1.5 s pauses of faint noise; the turns span each clip's speech
    (its leading and trailing silence cut at -40 dB of its peak)."""
    rng = np.random.default_rng(seed)
    parts: list[Audio] = []
    turns: list[Turn] = []
    t = 0
    for clip, who in clips:
        pause = int(rng.uniform(0.4, 1.5) * RATE)
        parts.append((rng.standard_normal(pause) * 1e-3).astype(np.float32))
        t += pause
        loud = np.flatnonzero(np.abs(clip) > np.abs(clip).max() * 0.01)
        a, b = (loud[0], loud[-1]) if len(loud) else (0, len(clip))
        parts.append(clip)
        turns.append(((t + a) / RATE, (t + b) / RATE, who))
        t += len(clip)
    return np.concatenate(parts).astype(np.float32), turns


def _two_channel(clips: list[tuple[Audio, str]], seed: int) -> tuple[Audio, list[Turn]]:
    """The built interview as two channels: each person's microphone hears the other 20 dB
    lower."""
    mono, turns = _build(clips, seed)
    first = clips[0][1]
    left = np.zeros_like(mono)
    right = np.zeros_like(mono)
    for a, b, who in turns:
        i, j = int(a * RATE) - 800, int(b * RATE) + 800
        (left if who == first else right)[max(0, i) : j] += mono[max(0, i) : j]
    bleed = np.float32(10 ** (-20 / 20))
    noise = np.random.default_rng(seed).standard_normal((len(mono), 2)) * 1e-3
    stereo = np.stack([left + bleed * right, right + bleed * left], axis=1) + noise
    return stereo.astype(np.float32), turns


def recordings(quick: bool = False) -> list[Recording]:
    from audio.files import load_audio
    from audio.samples import resample

    out = []
    for flac in sorted(DATA.glob("*.flac")):
        turns = read_rttm(flac.with_suffix(".rttm"))
        out.append(Recording(flac.stem, "real", load_audio(flac), turns))
    if SHARED.is_dir():
        en = SHARED / "en"
        jfk = load_audio(en / "jfk.flac")
        lj = [load_audio(p) for p in sorted(en.glob("LJ001-*.wav"))]
        conv = en / "conversational"
        mfa = [load_audio(p) for p in sorted(conv.glob("mfa_*.flac"))]
        mfa = [m for m in mfa if len(m) > 1.5 * RATE]
        cv = [load_audio(p) for p in sorted(conv.glob("common_voice_en_*.mp3"))]
        parts = [(0.2, 2.2), (3.1, 4.4), (5.3, 7.6), (8.0, 10.9)]
        jfk_lj: list[tuple[Audio, str]] = []
        for k, (a, b) in enumerate(parts):
            jfk_lj += [(jfk[int(a * RATE) : int(b * RATE)], "jfk"), (lj[k], "lj")]
        mfa_lj: list[tuple[Audio, str]] = []
        for k in range(8):
            mfa_lj += [(lj[(k + 6) % len(lj)][: 4 * RATE], "lj"), (mfa[k], "mfa")]
        cv_mfa: list[tuple[Audio, str]] = []
        for k in range(6):
            cv_mfa += [(cv[k % len(cv)], f"cv{k % len(cv)}"), (mfa[8 + k], "mfa")]
        for name, clips, seed in (("jfk+lj", jfk_lj, 1), ("lj+mfa", mfa_lj, 2)):
            audio, turns = _build(clips, seed)
            out.append(Recording(name, "built", audio, turns))
        audio, turns = _build(cv_mfa, 3)
        out.append(Recording("3 cv + mfa", "built", audio, turns))
        for name, clips, seed in (("2ch jfk+lj", jfk_lj, 1), ("2ch lj+mfa", mfa_lj, 2)):
            stereo, turns = _two_channel(clips, seed)
            out.append(Recording(name, "two-channel", stereo, turns))
        out.append(Recording("one: jfk", "one voice", jfk, [(0.3, 10.9, "jfk")]))
        audio, turns = _build([(c, "lj") for c in lj], 4)
        out.append(Recording("one: lj", "one voice", audio, turns))
        out.append(
            Recording(
                "one: lj 8 kHz", "one voice", resample(resample(audio, RATE, 8000), 8000), turns
            )
        )
        audio, turns = _build([(c, "mfa") for c in mfa[:20]], 5)
        out.append(Recording("one: mfa", "one voice", audio, turns))
    out += _espeak(quick)
    return out


def _espeak(quick: bool) -> list[Recording]:
    from bench.synth import build

    out = []
    seeds = [1] if quick else [1, 2, 3]
    for lang in ("en", "nb"):
        for seed in seeds:
            iv = build(lang, seed, CACHE)
            from audio.files import load_audio

            turns = [(u.start, u.end, u.role) for u in iv.utterances if u.role != "intro"]
            turns += [(u.start, u.end, "interviewer") for u in iv.utterances if u.role == "intro"]
            words = [(w.start, w.end) for s in iv.oracle_segments() for w in s.words]
            out.append(
                Recording(
                    f"espeak {iv.name}", "espeak", load_audio(iv.audio_path), turns, lang, words
                )
            )
    return out


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
    ``people``, also `find_voices` told that many people ("told")."""
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
    voices = Voices(tuple(turns), count, float(got["separation"]))  # type: ignore[arg-type]
    found = [(t.start, t.end, f"v{t.voice}") for t in turns]
    words = transcript_words(rec)
    # one voice found: every word is that voice (the share of the main speaker's words)
    labels = [voice_of(voices, a, b) for a, b in words] if voices.two else [0] * len(words)
    acc, n_words = word_accuracy(rec.turns, words, labels)
    minutes = len(rec.audio) / RATE / 60
    per_min = float(got["seconds"]) / minutes  # type: ignore[arg-type]
    return count, der(rec.turns, found), acc, n_words, per_min


def row(rec: Recording) -> tuple[str, str | None, dict[str, float]]:
    """The recording's row, and its row when told how many people (None: not told)."""
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
    told_line = None
    if "told" in got:
        people = told_people(rec)
        t_count, t_d, t_acc, t_n, t_per_min = _score(rec, got["told"])  # type: ignore[arg-type]
        told_line = (
            f"| {rec.name} | {rec.kind} | {rec.speakers} | {people} | {count} → {t_count} "
            f"| {d:.1%} → {t_d:.1%} | {acc:.1%} → {t_acc:.1%} ({t_n}) "
            f"| {t_per_min:.2f} ({t_per_min / 60:.3f}×) |"
        )
    return line, told_line, {"right_count": float(count == rec.speakers), "acc": acc, "der": d}


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
    for rec in recordings(quick):
        line, told, _ = row(rec)
        print(line, flush=True)
        cal = rec.name in CALIBRATION
        (calibration if cal else held_out).append(line)
        if told is not None:
            print(told, flush=True)
            (told_cal if cal else told_held).append(told)
    return (
        "Who is speaking (`audio.voices`: Resemblyzer GE2E embeddings of 1 s windows "
        "every 0.25 s, spectral clustering with the normalised maximum eigengap "
        "(`audio.spectral`, NME-SC) for how many voices and whose each window is, a "
        "Viterbi resegmentation, a voice under MIN_VOICE_S of turns or as alike as "
        "SAME_VOICE_COS merged away; two channels by level). separation = the chosen "
        "graph's normalised maximum eigengap (two channels: dB between the level "
        "modes). Time: find_voices in a fresh process after a warm-up, 2 cores "
        "shared.\n\nCalibration (the method was chosen on these):\n\n"
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
        + "\n"
    )
