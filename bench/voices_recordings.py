"""The recordings of the voices bench (`bench.voices`): real excerpts with reference
turns (bench/data/voices), interviews built from real clips (one microphone and two
channels), one-voice recordings and the espeak interviews."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.voices_channels import Span, audible, new_builds
from bench.voices_score import Turn

HERE = Path(__file__).parent
ROOT = HERE.parent
DATA = HERE / "data" / "voices"
SHARED = ROOT.parent / "shared" / "data" / "speech"
RATE = 16_000
CACHE = HERE / "results" / "cache"

Audio = npt.NDArray[np.float32]


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


def _build(
    clips: list[tuple[Audio, str]], seed: int, span: Span | None = None
) -> tuple[Audio, list[Turn]]:
    """Join clips with 0.4-1.5 s pauses of faint noise; the turns span each clip's speech
    (``span``, default: its leading and trailing silence cut at -40 dB of its peak)."""
    rng = np.random.default_rng(seed)
    parts: list[Audio] = []
    turns: list[Turn] = []
    t = 0
    for clip, who in clips:
        pause = int(rng.uniform(0.4, 1.5) * RATE)
        parts.append((rng.standard_normal(pause) * 1e-3).astype(np.float32))
        t += pause
        if span is None:
            loud = np.flatnonzero(np.abs(clip) > np.abs(clip).max() * 0.01)
            a, b = (loud[0], loud[-1]) if len(loud) else (0, len(clip))
        else:
            a, b = span(clip)
        parts.append(clip)
        turns.append(((t + a) / RATE, (t + b) / RATE, who))
        t += len(clip)
    return np.concatenate(parts).astype(np.float32), turns


def _two_channel(clips: list[tuple[Audio, str]], seed: int) -> tuple[Audio, list[Turn]]:
    """The built interview as two channels: each person's microphone hears the other 20 dB
    lower. The clips are placed by the one-microphone turns (so the audio is as before);
    the reference turns span each clip's audible speech (`bench.voices_channels`)."""
    mono, turns = _build(clips, seed)
    reference = _build(clips, seed, audible)[1]
    first = clips[0][1]
    left = np.zeros_like(mono)
    right = np.zeros_like(mono)
    for a, b, who in turns:
        i, j = int(a * RATE) - 800, int(b * RATE) + 800
        (left if who == first else right)[max(0, i) : j] += mono[max(0, i) : j]
    bleed = np.float32(10 ** (-20 / 20))
    noise = np.random.default_rng(seed).standard_normal((len(mono), 2)) * 1e-3
    stereo = np.stack([left + bleed * right, right + bleed * left], axis=1) + noise
    return stereo.astype(np.float32), reference


def recordings(quick: bool = False) -> list[Recording]:
    from audio.files import load_audio
    from audio.samples import resample

    out = []
    for flac in sorted(DATA.glob("*.flac")):
        turns = read_rttm(flac.with_suffix(".rttm"))
        # a real recording of one speaker is a one-voice row (told 2, the app's default)
        kind = "real" if len({s for _, _, s in turns}) > 1 else "one voice"
        out.append(Recording(flac.stem, kind, load_audio(flac), turns))
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
        # a quiet voice on its own microphone: real whispered and falsetto speech with JFK
        quiet = [
            load_audio(conv / f)
            for f in ("whisper.flac", "whisper2.flac", "falsetto.flac", "falsetto2.flac")
        ]
        jfk_quiet: list[tuple[Audio, str]] = []
        for k, (a, b) in enumerate(parts):
            jfk_quiet += [(jfk[int(a * RATE) : int(b * RATE)], "jfk"), (quiet[k], "quiet")]
        for name, clips, seed in (
            ("2ch jfk+lj", jfk_lj, 1),
            ("2ch lj+mfa", mfa_lj, 2),
            ("2ch jfk+whisper", jfk_quiet, 7),
        ):
            stereo, turns = _two_channel(clips, seed)
            out.append(Recording(name, "two-channel", stereo, turns))
        for name, stereo, turns in new_builds(jfk, lj, mfa):
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
