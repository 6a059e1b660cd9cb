"""Decoding options on long-form speech, chosen by numbers.

kvale decodes as faster-whisper does by default (beam 5, conditioning on the previous
window's text, temperature fallback), no prompt. This benchmark measures the
alternatives the issue named on the same audio in the same run, with faster-whisper
``base`` (int8, beam 5) and nothing of kvale's after the engine:

* long-form **real** English: the LJSpeech sentences, JFK and the conversational clips
  of ``../shared/data/speech`` joined with 1.5 s pauses (several 30 s windows, window
  boundaries inside speech);
* the espeak-ng interviews of the tagging benchmark (`bench.synth`, seed 1 in English and
  Norwegian, ~4 min each): the speech the guide's questions are asked in, so a prompt or a
  glossary has every chance to help.

Rows (`ROWS`): on the real speech, faster-whisper's defaults (kvale now), condition off
(kvale until 2026-12-01), the defaults from another seed (the run-to-run noise of
temperature-fallback sampling), ``hallucination_silence_threshold`` 2 s, and
``clip_timestamps`` at the speech Silero VAD finds (`audio.speech`); on the espeak
interviews, the defaults and ``hotwords``, a glossary of the guide's acronyms ("NAV").
The guide as initial prompt (`CONFIGS`, not run by default) was measured before and is
not used: it wrote guide text where people said something else. Every row loads its
model after seeding CTranslate2 (a model's sampler is seeded once, when its thread first samples:
`bench.floor_sides`).

Columns: WER, and how many words were written twice in a row at a 30 s window boundary
(a phrase of ≥ 3 words repeated within 2 s of a window start; this also counts real
repetitions that fall there: the MFA speaker says "Montreal Forced Aligner" again and
again).

Run: ``.venv/bin/python -m bench decoding`` (part of ``make bench``; ~20 min on 2 cores).
"""

from __future__ import annotations

import re
import sys
import time
from typing import Any

import numpy as np

from bench.floor import CACHE, SPEECH, _ref, errors

SR = 16_000
DEFAULTS = "faster-whisper defaults (kvale)"
CONFIGS: dict[str, dict[str, Any]] = {
    "condition off (kvale before)": {"condition_on_previous_text": False},
    DEFAULTS: {},
    "the same, another seed": {"seed": "again"},
    "hallucination_silence_threshold 2 s": {"hallucination_silence_threshold": 2.0},
    "clip_timestamps at VAD speech": {"clip": True},
    "hotwords: the guide's acronyms": {"hotwords": True},
    "guide as initial prompt": {"prompt": True},
}
# rows per speech: the window options on the long real speech; the guide's glossary and
# prompt on the interviews that ask the guide's questions (a full run took > 40 min here)
ROWS = {
    "real": [
        DEFAULTS,
        "condition off (kvale before)",
        "the same, another seed",
        "hallucination_silence_threshold 2 s",
        "clip_timestamps at VAD speech",
    ],
    "espeak": [DEFAULTS, "hotwords: the guide's acronyms"],
}


def glossary(text: str) -> str:
    """The guide's rare terms a glossary would hold: its acronyms ("NAV")."""
    return " ".join(dict.fromkeys(re.findall(r"\b[A-ZÆØÅ]{2,}\b", text)))


def options(cfg: dict[str, Any], samples: np.ndarray, guide_text: str) -> dict[str, Any]:
    """faster-whisper ``transcribe`` keyword arguments for one row."""
    out: dict[str, Any] = {
        k: v for k, v in cfg.items() if k not in ("seed", "clip", "hotwords", "prompt")
    }
    if cfg.get("clip"):
        from audio.speech import speech_spans

        out["clip_timestamps"] = [t for span in speech_spans(samples) for t in span] or "0"
    if cfg.get("hotwords"):
        out["hotwords"] = glossary(guide_text) or None
    if cfg.get("prompt"):
        out["initial_prompt"] = guide_text[:600] or None
    return out


def long_form_english() -> tuple[np.ndarray, str]:
    """Real English clips joined with pauses, and their joined references."""
    from audio.files import load_audio

    paths = [*sorted((SPEECH / "en").glob("LJ*.wav")), SPEECH / "en" / "jfk.flac"]
    paths += sorted((SPEECH / "en" / "conversational").glob("mfa_*.flac"))
    audio, refs = [], []
    for p in paths:
        ref = _ref(p)
        if not ref:
            continue
        audio += [load_audio(p), np.zeros(int(1.5 * SR), np.float32)]
        refs.append(ref)
    return np.concatenate(audio), " ".join(refs)


def repeats_at_boundaries(segments: list[Any]) -> int:
    """Words of a ≥ 3-word phrase written again right after a 30 s window boundary."""
    count = 0
    words = [(w.start, re.sub(r"\W", "", w.word.lower())) for s in segments for w in s.words]
    for i in range(len(words)):
        t = words[i][0]
        if t % 30.0 > 2.0:
            continue
        for n in (5, 4, 3):
            now = [w for _, w in words[i : i + n]]
            before = [w for _, w in words[max(0, i - n) : i]]
            if len(now) == n and now == before:
                count += n
                break
    return count


def run(quick: bool = False) -> str:
    from faster_whisper import WhisperModel

    from audio.models import resolve_model
    from audio.types import Segment, Word
    from bench import synth
    from bench.floor_sides import seeded
    from guide.bundled import load_bundled

    if not SPEECH.is_dir():
        return "(no ../shared/data/speech here: nothing to measure)"
    path = str(resolve_model("base", "faster-whisper").path)
    sets: list[tuple[str, np.ndarray, str, str, str | None]] = []
    audio, ref = long_form_english()
    sets.append(("real English, joined clips", audio, ref, "en", "nav-trivsel-en"))
    from audio.files import load_audio

    for lang in ["en"] if quick else ["en", "nb"]:
        iv = synth.build(lang, 1, CACHE / "synth")
        sets.append(
            (
                f"espeak interview {iv.name}",
                load_audio(iv.audio_path),
                iv.reference_text(),
                "en" if lang == "en" else "no",
                iv.guide_name,
            )
        )
    lines = [
        "| speech | minutes | decoding | WER | words repeated at window boundaries | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for name, samples, reference, lang, guide_name in sets:
        guide = load_bundled(guide_name) if guide_name else None
        guide_text = " ".join([guide.title, *(q.text for q in guide.questions())]) if guide else ""
        for label in ROWS["real" if name.startswith("real") else "espeak"]:
            cfg = CONFIGS[label]
            seeded(f"{name}/{cfg.get('seed', '')}")
            started = time.perf_counter()
            model = WhisperModel(path, "cpu", compute_type="int8")  # sampler seeded now
            segs, _ = model.transcribe(
                samples,
                language=lang,
                beam_size=5,
                word_timestamps=True,
                **options(cfg, samples, guide_text),
            )
            out = [
                Segment(
                    0,
                    s.start,
                    s.end,
                    s.text,
                    tuple(Word(w.start, w.end, w.word, 0) for w in s.words or ()),
                )
                for s in segs
            ]
            took = time.perf_counter() - started
            e, n = errors(reference, " ".join(s.text for s in out), "en" if lang == "en" else "no")
            minutes = len(samples) / SR / 60
            lines.append(
                f"| {name} | {minutes:.1f} | {label} | {100 * e / max(1, n):.1f} % | "
                f"{repeats_at_boundaries(out)} | {took:.0f} |"
            )
            print(lines[-1], file=sys.stderr, flush=True)  # a long run's rows as they come
    return "\n".join(
        [
            "faster-whisper base int8, beam 5, the engine alone (no kvale layer); same audio "
            "for every row of a speech; each row's model loaded after seeding CTranslate2 "
            'from the speech\'s name ("another seed": from another name).',
            "",
            *lines,
        ]
    )


if __name__ == "__main__":
    print(run())
