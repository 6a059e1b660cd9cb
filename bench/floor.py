"""The engine's output is the floor: kvale's transcript against plain faster-whisper's.

Every clip of real speech is transcribed twice in the same run, with the same model
(``base``, int8) and the same beam (5):

* **plain**: faster-whisper as its README shows it (``WhisperModel.transcribe`` with its
  defaults, the file decoded by faster-whisper's own ``decode_audio``);
* **kvale**: `audio.transcribe.transcribe_file`, the path behind ``kvale transcribe``,
  ``kvale import`` and the end of an interview (decoding, guards, gap filler).

Groups (clips from ``../shared/data/speech``; see its README for origins and licences):
English read speech (LJSpeech, JFK), the same encoded as Opus at 24 kbit/s (a phone-like
codec, made here with PyAV), English conversational clips (MFA test clips: hesitations,
cut-offs, laughter, whispering; Common Voice), Norwegian (NPSC), and the same read
speech scaled to peaks of −6 … −50 dBFS. About a quarter of the clips (by a hash of the
name) are **held out**: they were not looked at while the guards were designed and are
reported in their own rows. Non-speech inputs (silence, white and pink noise, a chord,
a click track) count the words each side writes: kvale should write none.

Reference markup of the MFA clips (``<hes-…>``, ``<cutoff-…>``, ``[laughter]``,
``<unk>``) is removed before scoring; text is normalised with Whisper's own normalisers.

Sampling (temperature fallback) is seeded per clip, the same seed before each side, each
side with a model loaded after the seed (CTranslate2 seeds a thread's sampler once, at
its first draw, so seeding an old model does nothing); each group's kvale − plain has a
95 % bootstrap interval over its clips. The clips where the plain engine sampled are
decoded plainly again from another seed: that row is the bench's run-to-run noise.

Run: ``.venv/bin/python -m bench floor`` (part of ``make bench``; ~25 min on 2 busy cores).
"""

from __future__ import annotations

import re
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.floor_sides import MODEL, Kvale, Plain, noise_lines

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "data" / "speech"
CACHE = Path(tempfile.gettempdir()) / "kvale-bench-floor"
SR = 16_000
LEVELS_DBFS = (-6, -20, -30, -40, -50)


@dataclass(frozen=True)
class Clip:
    name: str
    group: str
    path: Path
    reference: str
    language: str
    collected_after: bool = False  # from bench/data/speech: came after the guards were made

    @property
    def held_out(self) -> bool:
        """Not looked at while tuning: a stable quarter of the shared clips (by name), and
        every clip of bench/data/speech."""
        return self.collected_after or zlib.crc32(self.name.split("@")[0].encode()) % 4 == 0


def clean_reference(text: str) -> str:
    """The words of a reference without MFA's markup for disfluencies."""
    text = re.sub(r"<[^>]*>|\[[^\]]*\]", " ", text)
    return " ".join(text.split())


def _ref(path: Path) -> str | None:
    ref = path.with_name(path.name.rsplit(".", 1)[0] + ".ref.txt")
    if not ref.is_file():
        return None
    return clean_reference(ref.read_text(encoding="utf-8"))


def _opus(src: Path) -> Path:
    """``src`` encoded as Opus in Ogg at 24 kbit/s (cached)."""
    from tests.media import encode

    out = CACHE / "opus" / (src.stem + ".opus")
    if not out.is_file():
        from audio.files import load_audio

        out.parent.mkdir(parents=True, exist_ok=True)
        encode(load_audio(src), out, "ogg", "libopus", bit_rate=24000)
    return out


def _scaled(src: Path, dbfs: int) -> Path:
    """``src`` as 16 kHz WAV with its peak at ``dbfs`` (cached)."""
    import soundfile as sf

    from audio.files import load_audio

    out = CACHE / "levels" / f"{src.stem}@{dbfs}.wav"
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        samples = load_audio(src)
        peak = float(np.max(np.abs(samples))) or 1.0
        sf.write(str(out), samples * (10 ** (dbfs / 20) / peak), SR, subtype="FLOAT")
    return out


def corpus() -> list[Clip]:
    """The clips with references, by group (empty when ``../shared`` is not there)."""
    clips: list[Clip] = []
    read = [*sorted((SPEECH / "en").glob("LJ*.wav")), SPEECH / "en" / "jfk.flac"]
    for p in read:
        ref = _ref(p)
        if ref:
            clips.append(Clip(p.stem, "en read", p, ref, "en"))
            clips.append(Clip(p.stem + "@opus", "en read, Opus 24 kbit/s", _opus(p), ref, "en"))
    for p in sorted((SPEECH / "en" / "conversational").iterdir()):
        ref = _ref(p) if p.suffix in (".flac", ".mp3", ".wav") else None
        if ref:
            clips.append(Clip(p.stem, "en conversational", p, ref, "en"))
    for p in sorted((SPEECH / "nb").glob("*.mp3")):
        ref = _ref(p)
        if ref:
            clips.append(Clip(p.stem, "nb read (parliament)", p, ref, "no"))
    clips += collected()
    for p in [SPEECH / "en" / "jfk.flac", *sorted((SPEECH / "en").glob("LJ*.wav"))[:3]]:
        ref = _ref(p)
        if ref:
            for level in LEVELS_DBFS:
                clips.append(
                    Clip(
                        f"{p.stem}@{level}",
                        f"en read at {level} dBFS",
                        _scaled(p, level),
                        ref,
                        "en",
                    )
                )
    return clips


def collected() -> list[Clip]:
    """The clips of ``bench/data/speech`` (its manifest.csv: origin, licence, commit)."""
    import csv

    folder = ROOT / "bench" / "data" / "speech"
    manifest = folder / "manifest.csv"
    if not manifest.is_file():
        return []
    out = []
    with manifest.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            path = folder / row["file"]
            ref = clean_reference((folder / row["reference_file"]).read_text(encoding="utf-8"))
            lang = "no" if row["language"] in ("nb", "nn", "no") else row["language"]
            group = f"{row['language']} {row['group']} (bench/data)"
            out.append(Clip(path.stem, group, path, ref, lang, collected_after=True))
    return out


def non_speech() -> list[tuple[str, Path]]:
    """Inputs with no speech at all, made here (16 kHz WAV, 20 s each)."""
    import soundfile as sf

    rng = np.random.default_rng(7)
    n = 20 * SR
    t = np.arange(n) / SR
    white = rng.normal(0, 0.1, n)
    pink = np.cumsum(rng.normal(0, 1, n))
    pink = np.diff(np.concatenate([[0], pink])) * 0.3 + np.convolve(white, np.ones(8) / 8, "same")
    chord = sum(np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0)) * 0.1
    chord = chord * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))
    clicks = np.zeros(n)
    clicks[:: SR // 2] = 0.8
    made = {
        "silence": np.zeros(n),
        "white noise": white,
        "pink-ish noise": pink / max(1e-9, np.max(np.abs(pink))) * 0.3,
        "chord (music-like)": chord,
        "click track": clicks,
    }
    out = []
    for name, samples in made.items():
        path = CACHE / "nonspeech" / (name.replace(" ", "_") + ".wav")
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            sf.write(str(path), samples.astype(np.float32), SR)
        out.append((name, path))
    return out


def normalise(text: str, language: str) -> str:
    from whisper.normalizers import BasicTextNormalizer, EnglishTextNormalizer

    norm = EnglishTextNormalizer() if language == "en" else BasicTextNormalizer()
    return re.sub(r"\s+", " ", norm(text)).strip()


def errors(ref: str, hyp: str, language: str) -> tuple[int, int]:
    """(word errors, reference words) after normalisation."""
    import jiwer

    r, h = normalise(ref, language), normalise(hyp, language)
    if not r:
        return len(h.split()), 0
    out = jiwer.process_words(r, h or "")
    return out.substitutions + out.deletions + out.insertions, len(r.split())


def interval(rows: list[dict[str, Any]], draws: int = 2000) -> tuple[float, float]:
    """95 % bootstrap interval of kvale − plain (WER points), resampling the group's clips."""
    pe = np.array([r["plain_err"] for r in rows], dtype=float)
    ke = np.array([r["kvale_err"] for r in rows], dtype=float)
    n = np.array([r["words"] for r in rows], dtype=float)
    pick = np.random.default_rng(0).integers(0, len(rows), size=(draws, len(rows)))
    diff = 100 * (ke[pick].sum(1) - pe[pick].sum(1)) / np.maximum(1, n[pick].sum(1))
    lo, hi = np.percentile(diff, [2.5, 97.5])
    return float(lo), float(hi)


def _row(label: str, rows: list[dict[str, Any]]) -> str:
    pe = sum(r["plain_err"] for r in rows)
    ke = sum(r["kvale_err"] for r in rows)
    n = max(1, sum(r["words"] for r in rows))
    lost = sum(1 for r in rows if r["empty"])
    lo, hi = interval(rows)
    return (
        f"| {label} | {len(rows)} | {n} | {100 * pe / n:.1f} % | {100 * ke / n:.1f} % | "
        f"{100 * (ke - pe) / n:+.1f} | {lo:+.1f} … {hi:+.1f} | {lost} |"
    )


def measure(clips: list[Clip], plain: Plain, kvale: Kvale) -> list[dict[str, Any]]:
    rows = []
    for clip in clips:
        lang = clip.language
        p_text = plain(clip.path, lang, clip.name)
        sampled = plain.sampled
        k_text, notes = kvale(clip.path, lang, clip.name)
        pe, n = errors(clip.reference, p_text, lang)
        ke, _ = errors(clip.reference, k_text, lang)
        again = None
        if sampled:  # the run-to-run noise: plain again, sampling from another seed
            again = errors(clip.reference, plain(clip.path, lang, clip.name + "/again"), lang)[0]
        rows.append(
            {
                "clip": clip,
                "plain": p_text,
                "kvale": k_text,
                "plain_err": pe,
                "kvale_err": ke,
                "plain_again_err": again,
                "words": n,
                "empty": bool(n) and (not k_text.strip() or notes > 0),
            }
        )
    return rows


def table(rows: list[dict[str, Any]], held_out: bool) -> list[str]:
    lines = []
    groups = list(dict.fromkeys(r["clip"].group for r in rows))
    for group in groups:
        sel = [r for r in rows if r["clip"].group == group and r["clip"].held_out == held_out]
        if sel:
            lines.append(_row(group, sel))
    sel = [r for r in rows if r["clip"].held_out == held_out]
    if sel:
        lines.append(_row("**all**", sel))
    return lines


def run(quick: bool = False, *, tuning_only: bool = False, group: str | None = None) -> str:
    """The tables; ``group``: only the clips of that group (``--group "en conversational"``)."""
    if not SPEECH.is_dir():
        return "(no ../shared/data/speech here: nothing to measure)"
    clips = corpus()
    if quick:
        clips = clips[::4]
    if tuning_only:
        clips = [c for c in clips if not c.held_out]
    if group is not None:
        clips = [c for c in clips if c.group == group]
    started = time.perf_counter()
    plain, kvale = Plain(), Kvale()
    rows = measure(clips, plain, kvale)
    on_speech = dict(kvale.removed_words)
    kvale.removed_words.clear()
    head = (
        "| group | clips | ref. words | plain faster-whisper WER | kvale WER | "
        "kvale − plain (points) | 95 % interval (bootstrap over clips) | "
        "clips with speech left empty or [inaudible] |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    out = [
        f"Real speech, model {MODEL} int8, beam 5, both sides in this run "
        f"({time.perf_counter() - started:.0f} s; plain {plain.seconds:.0f} s, kvale "
        f"{kvale.seconds:.0f} s). Each side of a clip loads its own model after seeding "
        "CTranslate2 from the clip's name, so the temperature-fallback sampling of both "
        "sides starts from one seed (a model's sampler is seeded once, when its thread "
        "first samples).",
        "",
        "Tuning clips:",
        "",
        head,
        *table(rows, held_out=False),
    ]
    if not tuning_only:
        out += ["", "Held-out clips (not looked at while designing the guards):", "", head]
        out += table(rows, held_out=True)
    worse = [r for r in rows if r["kvale_err"] > r["plain_err"]]
    if worse:
        out += ["", "Clips where kvale has more errors than the plain engine:", ""]
        out += [
            f"- {r['clip'].name} ({r['clip'].group}{', held out' if r['clip'].held_out else ''})"
            f": plain {r['plain_err']}, kvale "
            f"{r['kvale_err']} of {r['words']}"
            for r in worse
            if not r["clip"].held_out or not tuning_only
        ]
    out += noise_lines(rows)
    out += [
        "",
        "Non-speech inputs (20 s each): words written",
        "",
        "| input | plain faster-whisper | kvale |",
        "|---|---|---|",
    ]
    for name, path in non_speech():
        p_words = len(plain(path, "en", name).split())
        k_text, _ = kvale(path, "en", name)
        out.append(f"| {name} | {p_words} | {len(k_text.split())} |")
    out += [
        "",
        "Words each guard removed (`audio.guards`, `audio.gaps`):",
        "",
        "| rule | on the real speech above | on the non-speech inputs |",
        "|---|---|---|",
    ]
    for reason in ("no speech", "loop", "piled", "duplicate"):
        out.append(
            f"| {reason} | {on_speech.get(reason, 0)} | {kvale.removed_words.get(reason, 0)} |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    group = sys.argv[sys.argv.index("--group") + 1] if "--group" in sys.argv else None
    print(run(quick="--quick" in sys.argv, tuning_only="--tuning" in sys.argv, group=group))
