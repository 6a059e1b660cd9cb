"""Labelled synthetic interviews for the tagging harness (espeak-ng, two voices).

An interview is a script of turns built from a guide and answer texts
(`bench/data/answers_{nb,en}.json`): the interviewer (voice A) asks a guide
question, the participant (voice B) answers, with pauses of 0.5–2 s between turns.
Every word's truth label is known from the layout (each utterance's start and end
come from the generated wav lengths). The marker track is what a real interviewer
would produce: key presses 0–5 s early or late, ~10 % of them missing, one question
asked out of order (two neighbours swapped) and one question returned to later.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from guide.bundled import load_bundled
from guide.model import Guide
from guide.transcript import Marker, MarkerKind, Segment, Word
from tui.demo.synth import speak as tts

RATE = 16_000
HERE = Path(__file__).parent
DATA = HERE / "data"

VOICES = {
    "en": {"interviewer": ("en-us", 155), "participant": ("en+f3", 165)},
    "nb": {"interviewer": ("nb", 150), "participant": ("nb+f2", 160)},
}
PREFIXES = {
    "en": ["", "", "Thank you. ", "Okay. ", "I see. "],
    "nb": ["", "", "Takk. ", "Ok. ", "Skjønner. "],
}
INTRO = {
    "en": "Thank you for taking part in this interview. Let us begin.",
    "nb": "Takk for at du vil være med på dette intervjuet. Da begynner vi.",
}
RETURN_LEAD = {
    "en": "I would like to go back to something you said earlier. ",
    "nb": "Jeg vil gjerne gå tilbake til noe du sa tidligere. ",
}
RETURN_ANSWER = {
    "en": "Yes, I forgot to mention that this has changed over the years. "
    "It was easier before, when we had more time for each person.",
    "nb": "Ja, jeg glemte å si at dette har endret seg gjennom årene. "
    "Det var lettere før, da vi hadde mer tid til hver enkelt.",
}
GUIDES = {"en": "nav-trivsel-en", "nb": "nav-trivsel-nb"}


@dataclass(frozen=True)
class Utterance:
    """One turn: who spoke, what, when, and the question it belongs to (truth)."""

    role: str  # "interviewer", "participant" or "intro"
    question_id: str | None
    text: str
    start: float = 0.0
    end: float = 0.0
    also: tuple[str, ...] = ()  # other questions this answer also speaks to (truth)


@dataclass
class Interview:
    """A synthesised interview: its audio, the truth and the marker track."""

    name: str
    language: str
    guide_name: str
    utterances: list[Utterance]
    markers: list[Marker]
    audio_path: Path
    duration: float
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def guide(self) -> Guide:
        return load_bundled(self.guide_name)

    def oracle_segments(self) -> list[Segment]:
        """The reference text with the true timings: words spread over each utterance."""
        segs = []
        for u in self.utterances:
            ws = u.text.split()
            weights = [len(w) + 1 for w in ws]
            total = float(sum(weights))
            span = u.end - u.start
            t = u.start
            words = []
            for w, k in zip(ws, weights, strict=True):
                d = span * k / total
                words.append(Word(round(t, 3), round(t + d * 0.9, 3), " " + w))
                t += d
            segs.append(Segment(u.start, u.end, u.text, tuple(words)))
        return segs

    def reference_text(self) -> str:
        return "\n".join(u.text for u in self.utterances)


def speak(text: str, voice: str, speed: int) -> np.ndarray:
    """``text`` spoken by espeak-ng, as 16 kHz mono float32, silence trimmed."""
    return tts(text, voice, speed, trim=True) * 0.6


def load_answers(language: str) -> dict[str, dict[str, object]]:
    raw = json.loads((DATA / f"answers_{language}.json").read_text(encoding="utf-8"))
    answers: dict[str, dict[str, object]] = raw["answers"]
    return answers


def script(language: str, seed: int, n_questions: int = 13) -> tuple[list[Utterance], dict]:
    """The turns of one interview and its plan (which questions, swap, return, missing).

    Questions follow the guide, a random subset of ``n_questions``, always beginning
    with 1.1; two neighbours (not 1.1) are swapped (asked out of order) and one
    question answered earlier is returned to near the end.
    """
    rng = random.Random(seed)
    guide = load_bundled(GUIDES[language])
    answers = load_answers(language)
    ids = [q.id for q in guide.questions() if q.id in answers]
    chosen = set(rng.sample(ids[1:], n_questions - 1)) | {"2.2"}  # 2.2 digresses (secondary)
    # a theme's main question is asked before its numbered questions
    chosen |= {guide.question(q).section_id for q in chosen} & set(ids)
    order = [ids[0], *sorted(chosen - {ids[0]}, key=ids.index)]
    swappable = [
        i
        for i in range(1, len(order) - 1)
        if guide.question(order[i]).section_id == guide.question(order[i + 1]).section_id
        and not guide.question(order[i]).is_section
    ]
    swap = rng.choice(swappable)
    order[swap], order[swap + 1] = order[swap + 1], order[swap]
    returned = rng.choice(order[1 : len(order) // 2])
    turns = [Utterance("intro", None, INTRO[language])]
    for i, qid in enumerate(order):
        q = guide.question(qid)
        prefix = rng.choice(PREFIXES[language]) if i else ""
        turns.append(Utterance("interviewer", qid, prefix + q.text))
        a = answers[qid]
        turns.append(
            Utterance("participant", qid, str(a["text"]), also=tuple(a.get("also", ())))  # type: ignore[arg-type]
        )
        if i == len(order) - 3:
            rq = guide.question(returned)
            context = "" if rq.is_section else guide.section_of(returned).title + " "
            turns.append(
                Utterance("interviewer", returned, RETURN_LEAD[language] + context + rq.text)
            )
            turns.append(Utterance("participant", returned, RETURN_ANSWER[language]))
    plan = {"order": order, "swapped": order[swap : swap + 2], "returned": returned}
    return turns, plan


def marker_track(
    utterances: list[Utterance], seed: int, *, jitter: float = 5.0, missing: float = 0.1
) -> list[Marker]:
    """Key presses for each asking: ±0–``jitter`` s off, a share ``missing`` left out."""
    rng = random.Random(seed + 1000)
    seen: set[str] = set()
    out = []
    for u in utterances:
        if u.role != "interviewer" or u.question_id is None:
            continue
        kind = MarkerKind.RETURNED if u.question_id in seen else MarkerKind.ASKED
        seen.add(u.question_id)
        if out and rng.random() < missing:
            continue
        t = max(0.0, u.start + rng.uniform(-jitter, jitter))
        out.append(Marker(round(t, 2), kind, u.question_id))
    return sorted(out, key=lambda m: m.time)


def render(
    utterances: list[Utterance],
    language: str,
    seed: int,
    audio_out: Path,
    voices: Sequence[tuple[str, int]] | None = None,
) -> list[Utterance]:
    """Speak the turns into ``audio_out`` (FLAC); return them with their true times.
    ``voices``: per turn, the espeak-ng voice and speed (default: the interviewer's or
    the participant's of `VOICES`)."""
    rng = random.Random(seed + 2000)
    parts = [np.zeros(int(0.6 * RATE), np.float32)]
    t = 0.6
    timed = []
    for i, u in enumerate(utterances):
        role = "interviewer" if u.role in ("interviewer", "intro") else "participant"
        voice, speed = VOICES[language][role] if voices is None else voices[i]
        chunk = speak(u.text, voice, speed)
        timed.append(
            Utterance(
                u.role, u.question_id, u.text, round(t, 3), round(t + len(chunk) / RATE, 3), u.also
            )
        )
        pause = np.zeros(int(rng.uniform(0.5, 2.0) * RATE), np.float32)
        parts += [chunk, pause]
        t += (len(chunk) + len(pause)) / RATE
    audio_out.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(audio_out), np.concatenate(parts), RATE, format="FLAC")
    return timed


def rendered_interview(
    name: str,
    folder: Path,
    turns: list[Utterance],
    language: str,
    seed: int,
    voices: Sequence[tuple[str, int]] | None = None,
    extra: dict[str, object] | None = None,
    notes: dict[str, str] | None = None,
    renderer: Callable[[Path], tuple[list[Utterance], dict[str, object]]] | None = None,
) -> Interview:
    """The interview ``turns`` spoken (`render`) into ``folder``/interview.flac, with
    the timed turns (and ``extra``) in ``folder``/meta.json, both read back when they
    are already there; its marker track from `marker_track`. ``renderer``: writes the
    audio to the path it is given in place of `render`, and returns the timed turns and
    more to keep in meta.json."""
    meta_path = folder / "meta.json"
    audio = folder / "interview.flac"
    if meta_path.is_file() and audio.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        timed = [Utterance(**{**u, "also": tuple(u["also"])}) for u in meta["utterances"]]
    else:
        if renderer is None:
            timed, more = render(turns, language, seed, audio, voices), {}
        else:
            timed, more = renderer(audio)
        meta = {"utterances": [asdict(u) for u in timed], **(extra or {}), **more}
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return Interview(
        name=name,
        language=language,
        guide_name=GUIDES[language],
        utterances=timed,
        markers=marker_track(timed, seed),
        audio_path=audio,
        duration=float(sf.info(str(audio)).duration),
        notes=notes or {},
    )


def build(language: str, seed: int, cache: Path, n_questions: int = 13) -> Interview:
    """Synthesise (or load from ``cache``) one labelled interview."""
    turns, plan = script(language, seed, n_questions)
    key_src = json.dumps(
        [language, seed, VOICES[language], [asdict(u) for u in turns]], ensure_ascii=False
    )
    key = hashlib.sha256(key_src.encode()).hexdigest()[:16]
    return rendered_interview(
        f"{language}-{seed}",
        cache / f"{language}-{seed}-{key}",
        turns,
        language,
        seed,
        extra={"plan": plan},
        notes={"swapped": "/".join(plan["swapped"]), "returned": plan["returned"]},
    )
