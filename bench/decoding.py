"""Decoding options on long-form speech, chosen by numbers: the guide as prompt, and
conditioning on the previous window's text.

kvale decodes with ``condition_on_previous_text=False`` and no prompt. This benchmark
measures the alternatives on the same audio in the same run, with faster-whisper
``base`` (int8, beam 5) and nothing of kvale's after the engine:

* long-form **real** English: the LJSpeech sentences, JFK and the conversational clips
  of ``../shared/data/speech`` joined with 1.5 s pauses (several 30 s windows, window
  boundaries inside speech);
* the espeak-ng interviews of the tagging benchmark (`bench.synth`, seed 1 in English and
  Norwegian, ~4 min each): the speech the guide's questions are asked in, so the prompt
  has every chance to help.

Columns: WER, and how many words were written twice in a row at a 30 s window boundary
(a phrase of ≥ 3 words repeated within 2 s of a window start; this also counts real
repetitions that fall there: the MFA speaker says "Montreal Forced Aligner" again and
again).

Run: ``.venv/bin/python -m bench decoding`` (part of ``make bench``; ~10 min on 2 cores).
"""

from __future__ import annotations

import re
import time
from typing import Any

import numpy as np

from bench.floor import CACHE, SPEECH, _ref, errors

SR = 16_000
CONFIGS: dict[str, dict[str, Any]] = {
    "kvale: no prompt, condition off": {"condition_on_previous_text": False},
    "no prompt, condition on previous text": {"condition_on_previous_text": True},
    "guide as initial prompt": {"condition_on_previous_text": True, "prompt": True},
}


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

    if not SPEECH.is_dir():
        return "(no ../shared/data/speech here: nothing to measure)"
    model = WhisperModel(
        str(resolve_model("base", "faster-whisper").path), "cpu", compute_type="int8"
    )
    sets: list[tuple[str, np.ndarray, str, str, str | None]] = []
    audio, ref = long_form_english()
    sets.append(("real English, joined clips", audio, ref, "en", "nav-trivsel-en"))
    from audio.files import load_audio

    languages = ["en"] if quick else ["en", "nb"]
    for lang in languages:
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
        from guide.bundled import load_bundled

        guide = load_bundled(guide_name) if guide_name else None
        prompt = " ".join(q.text for q in guide.questions())[:600] if guide else None
        for label, cfg in CONFIGS.items():
            started = time.perf_counter()
            segs, _ = model.transcribe(
                samples,
                language=lang,
                beam_size=5,
                word_timestamps=True,
                condition_on_previous_text=cfg["condition_on_previous_text"],
                initial_prompt=prompt if cfg.get("prompt") else None,
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
    return "\n".join(
        [
            "faster-whisper base int8, beam 5, the engine alone (no kvale layer); "
            "same audio for every row of a speech.",
            "",
            *lines,
        ]
    )


if __name__ == "__main__":
    print(run())
