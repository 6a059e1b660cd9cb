"""Regenerate the demo's sample interview (`tui/demo/sample-interview.{flac,json}`).

A synthetic English interview on the English thesis guide (``nav-trivsel-en``): the
interviewer (espeak-ng ``en-us``, a man's voice) asks eight questions, the participant
(``en+f3``, a woman's voice, as in `bench.synth`)
answers with the texts of `bench/data/answers_en.json`. The JSON holds the scripted
interviewer's marker track (each key press 0.3–1.5 s off the moment the question was
asked, as a real interviewer's would be) and the reference text with its true times.
Deterministic: the same espeak-ng gives the same files.

Run: ``.venv/bin/python -m bench.make_demo_sample``.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from pathlib import Path

from bench.synth import INTRO, Utterance, load_answers, render
from guide.bundled import load_bundled

GUIDE = "nav-trivsel-en"
QUESTIONS = ["1.1", "2", "2.1", "2.2", "3", "3.1", "3.3", "5"]
OUT = Path(__file__).resolve().parent.parent / "tui" / "demo"
SEED = 7


def script() -> list[Utterance]:
    """The demo's turns: a short welcome, then question and answer for each question."""
    guide = load_bundled(GUIDE)
    answers = load_answers("en")
    turns = [Utterance("intro", None, INTRO["en"])]
    for qid in QUESTIONS:
        turns.append(Utterance("interviewer", qid, guide.question(qid).text))
        a = answers[qid]
        also = tuple(str(x) for x in a.get("also", ()))  # type: ignore[attr-defined]
        turns.append(Utterance("participant", qid, str(a["text"]), also=also))
    return turns


def main(out: Path = OUT) -> tuple[Path, Path]:
    """Write the FLAC and the JSON into ``out``; return their paths."""
    audio, track = out / "sample-interview.flac", out / "sample-interview.json"
    timed = render(script(), "en", SEED, audio)
    rng = random.Random(SEED)
    markers = []
    for u in timed:
        if u.role == "interviewer":
            off = rng.choice([-1, 1]) * rng.uniform(0.3, 1.5)
            t = round(max(0.0, u.start + off), 2)
            markers.append({"time": t, "kind": "asked", "question_id": u.question_id})
    doc = {
        "guide": GUIDE,
        "language": "en",
        "participant": "I1",
        "about": "Synthetic interview (espeak-ng), made by bench/make_demo_sample.py.",
        "markers": markers,
        "reference": [asdict(u) | {"also": list(u.also)} for u in timed],
    }
    track.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return audio, track


if __name__ == "__main__":
    for path in main():
        print(path)
