"""Tagging bench: scoring against the true asking times, and the conditions no rule can be
tuned to one at a time (own words, wandering order, participant first, back-channels,
missing presses, long answers, the interviewer's own probes). `bench.tagging` runs them and
writes the table.
"""

from __future__ import annotations

import json
import random
import statistics
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from bench.synth import (
    DATA,
    GUIDES,
    PREFIXES,
    RETURN_LEAD,
    Interview,
    Utterance,
    load_answers,
    script,
)
from bench.tagging_long import long_answers
from bench.tagging_probes import interject, own_probes
from guide.tagging import tag_transcript
from guide.transcript import Marker, MarkerKind, Passage, Segment, Speaker

CACHE = Path(__file__).parent / "results" / "cache"
MISS_PENALTY = 30.0  # seconds counted for a true asking with no matching boundary nearby


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _truth(iv: Interview, t: float) -> tuple[str | None, str | None, int]:
    """(question, role, utterance index) at time t; nearest utterance within 0.6 s."""
    best, best_d = -1, 0.6
    for i, u in enumerate(iv.utterances):
        d = 0.0 if u.start <= t <= u.end else min(abs(t - u.start), abs(t - u.end))
        if d < best_d or (d == 0.0 and best_d > 0):
            best, best_d = i, d
            if d == 0.0:
                break
    if best < 0:
        return None, None, -1
    u = iv.utterances[best]
    return u.question_id, u.role, best


def score(iv: Interview, passages: Sequence[Passage]) -> dict[str, float]:
    """Accuracy on answer words, boundary error, secondary precision/recall."""
    right = total = 0
    predicted_also: dict[int, set[str]] = {}
    for p in passages:
        items = [(w.start + w.end) / 2 for w in p.words] or [(p.start + p.end) / 2]
        for t in items:
            qid, role, ui = _truth(iv, t)
            if role != "participant":
                continue
            total += 1
            # words before the first question (a participant who speaks first) answer
            # none: no primary tag is right there
            got = p.primary.question_id if p.primary is not None else None
            right += int(got == qid)
            predicted_also.setdefault(ui, set()).update(s.question_id for s in p.secondary)
    tp = fp = fn = 0
    for ui, u in enumerate(iv.utterances):
        if u.role != "participant":
            continue
        pred = predicted_also.get(ui, set()) - {u.question_id}
        truth = set(u.also)
        tp += len(pred & truth)
        fp += len(pred - truth)
        fn += len(truth - pred)
    starts: list[tuple[float, str]] = []
    prev = None
    for p in passages:
        q = p.primary.question_id if p.primary else None
        if q != prev and q is not None:
            starts.append((p.start, q))
        prev = q
    errors = []
    for u in iv.utterances:
        if u.role == "interviewer" and u.question_id:
            cands = [abs(s - u.start) for s, q in starts if q == u.question_id]
            errors.append(min([*cands, MISS_PENALTY]))
    return {
        "words": total,
        "acc": right / total if total else 0.0,
        "b_mean": statistics.fmean(errors) if errors else 0.0,
        "b_median": statistics.median(errors) if errors else 0.0,
        "prec": tp / (tp + fp) if tp + fp else float("nan"),
        "rec": tp / (tp + fn) if tp + fn else float("nan"),
    }


PARAPHRASES = {
    lang: json.loads((DATA / f"paraphrases_{lang}.json").read_text(encoding="utf-8"))["paraphrases"]
    for lang in ("en", "nb")
}
FIRST_WORDS = {
    "en": "Hi. I found the place easily, parking was no problem at all.",
    "nb": "Hei. Jeg fant frem hit greit, det var helt uproblematisk å parkere.",
}
BACK_CHANNELS = {
    "en": ["Mm.", "Right.", "Yes.", "I see."],
    "nb": ["Mm.", "Ja.", "Ja vel.", "Akkurat."],
}
SECONDS_PER_WORD = 0.4  # about espeak-ng's pace at the bench's speeds


def own_words(language: str, seed: int, wordings: str) -> list[Utterance]:
    """The turns of `bench.synth.script` with each guide question asked in the
    interviewer's own words: one of the question's ``wordings`` ("tune", "held_out" or
    "fresh" in `bench/data/paraphrases_<lang>.json`), picked at random; the lead-ins ("Okay.")
    and the return's lead ("I would like to go back …") are kept."""
    rng = random.Random(seed + 3000)
    turns, _plan = script(language, seed)
    out = []
    for u in turns:
        if u.role == "interviewer" and u.question_id is not None:
            said = rng.choice(PARAPHRASES[language][u.question_id][wordings])
            lead = RETURN_LEAD[language] if u.text.startswith(RETURN_LEAD[language]) else ""
            prefix = next((p for p in PREFIXES[language] if p and u.text.startswith(p)), "")
            u = replace(u, text=lead + prefix + said)
        out.append(u)
    return out


def wandering(turns: list[Utterance], language: str, seed: int) -> list[Utterance]:
    """A third of the answers end with a sentence from the answer to a question further
    on in the guide (the participant wanders into another question's topic)."""
    rng = random.Random(seed + 4000)
    answers = load_answers(language)
    ids = list(answers)
    out = []
    for u in turns:
        if u.role == "participant" and u.question_id in answers and rng.random() < 1 / 3:
            later = ids[ids.index(u.question_id) + 1 :]
            if later:
                other = rng.choice(later)
                first = str(answers[other]["text"]).split(". ")[0].rstrip(".") + "."
                u = replace(u, text=f"{u.text} {first}", also=(*u.also, other))
        out.append(u)
    return out


def participant_first(turns: list[Utterance], language: str) -> list[Utterance]:
    """The participant speaks before the interviewer's intro."""
    return [Utterance("participant", None, FIRST_WORDS[language]), *turns]


def back_channels(turns: list[Utterance], language: str, seed: int) -> list[Utterance]:
    """Half of the answers of two sentences or more get a short interviewer
    back-channel ("Mm.", "Ja.") after their first sentence."""
    return interject(turns, random.Random(seed + 5000), BACK_CHANNELS[language])


def lay_out(turns: list[Utterance], seed: int) -> list[Utterance]:
    """Times for text-level interviews: ``SECONDS_PER_WORD`` ± 10 % a word, 0.5–2 s
    between turns (as `bench.synth.render`, without the audio)."""
    rng = random.Random(seed + 6000)
    t, out = 0.6, []
    for u in turns:
        d = len(u.text.split()) * SECONDS_PER_WORD * rng.uniform(0.9, 1.1)
        out.append(replace(u, start=round(t, 3), end=round(t + d, 3)))
        t += d + rng.uniform(0.5, 2.0)
    return out


def presses(timed: list[Utterance], seed: int, how: str) -> list[Marker]:
    """Key presses for each asking: "none"; "all" (0–4 s after the question began);
    "missing" (as "all", a quarter left out); "late" (2–10 s after the question ended);
    "early" (0–5 s before it began)."""
    rng = random.Random(seed + 7000)
    seen: set[str] = set()
    out = []
    for u in timed:
        if how == "none" or u.role != "interviewer" or u.question_id is None:
            continue
        kind = MarkerKind.RETURNED if u.question_id in seen else MarkerKind.ASKED
        seen.add(u.question_id)
        if how == "missing" and rng.random() < 0.25:
            continue
        if how == "late":
            t = u.end + rng.uniform(2.0, 10.0)
        elif how == "early":
            t = max(0.0, u.start - rng.uniform(0.0, 5.0))
        else:
            t = u.start + rng.uniform(0.0, 4.0)
        out.append(Marker(round(t, 2), kind, u.question_id))
    return sorted(out, key=lambda m: m.time)


def text_interview(language: str, seed: int, wordings: str, how: str, extra: str) -> Interview:
    """A text-level interview (oracle words) under one condition."""
    if wordings == "verbatim":
        turns, _plan = script(language, seed)
    else:
        turns = own_words(language, seed, wordings)
    if extra == "wandering":
        turns = wandering(turns, language, seed)
    elif extra == "participant first":
        turns = participant_first(turns, language)
    elif extra == "back-channels":
        turns = back_channels(turns, language, seed)
    elif extra == "long answers":
        turns = long_answers(turns, language, seed)
    elif extra in ("probes", "held-out probes"):
        turns = own_probes(turns, language, seed, held_out=extra == "held-out probes")
    timed = lay_out(turns, seed)
    return Interview(
        name=f"{language}-{seed}",
        language=language,
        guide_name=GUIDES[language],
        utterances=timed,
        markers=presses(timed, seed, how),
        audio_path=Path("-"),
        duration=timed[-1].end,
    )


def known_voices(iv: Interview, segs: Sequence[Segment]) -> list[Segment]:
    """Each word's voice from the truth: 0 the interviewer's, 1 the participant's."""
    out = []
    for s in segs:
        words = []
        for w in s.words:
            _q, role, _i = _truth(iv, (w.start + w.end) / 2)
            words.append(replace(w, voice=None if role is None else int(role == "participant")))
        out.append(replace(s, words=tuple(words)))
    return out


def speaker_roles(iv: Interview, passages: Sequence[Passage]) -> float:
    """Share of words whose passage's speaker is the true one (the intro is the
    interviewer's; "unknown" counts as wrong)."""
    right = total = 0
    for p in passages:
        for w in p.words:
            _q, role, _i = _truth(iv, (w.start + w.end) / 2)
            if role is None:
                continue
            truth = Speaker.PARTICIPANT if role == "participant" else Speaker.INTERVIEWER
            total += 1
            right += int(p.speaker is truth)
    return right / total if total else 0.0


OWN_WORDINGS = ["tune", "held_out", "fresh"]  # the keys of each paraphrases entry
CONDITIONS = [
    ("questions read verbatim, no presses", "verbatim", "none", ""),
    ("own words, no presses", "own", "none", ""),
    ("own words, a press for every question (0–4 s late)", "own", "all", ""),
    ("own words, 25 % of presses missing", "own", "missing", ""),
    ("own words, every press 2–10 s after the question ended", "own", "late", ""),
    ("own words, every press 0–5 s early", "own", "early", ""),
    ("own words, no presses, participant wanders into other topics", "own", "none", "wandering"),
    ("own words, no presses, participant speaks first", "own", "none", "participant first"),
    ("own words, no presses, back-channels inside answers", "own", "none", "back-channels"),
    (
        "own words, 25 % of presses missing, participant speaks first",
        "own",
        "missing",
        "participant first",
    ),
    ("own words, no presses, long answers (+15 sentences each)", "own", "none", "long answers"),
    (
        "own words, no presses, the interviewer's own probes inside answers (those the "
        "cue list was written beside)",
        "own",
        "none",
        "probes",
    ),
    ("own words, no presses, held-out probes inside answers", "own", "none", "held-out probes"),
    (
        "own words, 25 % of presses missing, held-out probes inside answers",
        "own",
        "missing",
        "held-out probes",
    ),
    (
        "own words, 25 % of presses missing, long answers (+15 sentences each)",
        "own",
        "missing",
        "long answers",
    ),
]


def conditions_table(seeds: Sequence[int]) -> str:
    """Text-level (oracle words) accuracy under each condition, both languages, with no
    voices and with each word's voice known; own-words rows three times: with the wordings
    the parameters were tuned on, with the held-out wordings, and with the fresh wordings
    (written later by someone who had not seen the tagger or the other lists)."""
    head = (
        "| condition | wordings | en: no voices | en: voices known | nb: no voices "
        "| nb: voices known | speaker roles, voices known (en / nb) "
        "| speaker roles, no voices (en / nb) |\n|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for name, wording, how, extra in CONDITIONS:
        for wordings in ["verbatim"] if wording == "verbatim" else OWN_WORDINGS:
            cells: dict[str, list[float]] = {}
            for lang in ("en", "nb"):
                acc = {"plain": [0, 0.0], "voiced": [0, 0.0]}
                roles = {"plain": [0, 0.0], "voiced": [0, 0.0]}
                for seed in seeds:
                    iv = text_interview(lang, seed, wordings, how, extra)
                    segs = iv.oracle_segments()
                    for key, s in (("plain", segs), ("voiced", known_voices(iv, segs))):
                        ps = tag_transcript(iv.guide, s, iv.markers, language=lang)
                        r = score(iv, ps)
                        acc[key][0] += r["words"]
                        acc[key][1] += r["words"] * r["acc"]
                        n = sum(len(p.words) for p in ps)
                        roles[key][0] += n
                        roles[key][1] += n * speaker_roles(iv, ps)
                for key in ("plain", "voiced"):
                    cells.setdefault(f"{lang} {key}", []).append(acc[key][1] / acc[key][0])
                    cells.setdefault(f"{lang} roles {key}", []).append(
                        roles[key][1] / roles[key][0]
                    )
            c = {k: v[0] for k, v in cells.items()}
            label = {
                "verbatim": "guide's",
                "tune": "tuned on",
                "held_out": "**held out**",
                "fresh": "**fresh**",
            }
            rows.append(
                f"| {name} | {label[wordings]} | {c['en plain']:.1%} | {c['en voiced']:.1%} "
                f"| {c['nb plain']:.1%} | {c['nb voiced']:.1%} "
                f"| {c['en roles voiced']:.1%} / {c['nb roles voiced']:.1%} "
                f"| {c['en roles plain']:.1%} / {c['nb roles plain']:.1%} |"
            )
    return (
        f"Text-level conditions (oracle words, times at {SECONDS_PER_WORD} s a word; "
        f"{len(seeds)} interviews per language and row, seeds {list(seeds)}; accuracy = "
        "answer words with the right primary question; voices known = each word's voice "
        "from the truth):\n\n" + head + "\n".join(rows) + "\n"
    )


def build_own_words(language: str, seed: int) -> Interview:
    """The espeak-ng interview of `bench.synth.build` with every question asked in the
    interviewer's own words (the held-out wordings) and the participant speaking first;
    audio cached under ``CACHE`` like the others, the same jittered marker track."""
    from bench.synth import rendered_interview

    turns = participant_first(own_words(language, seed, "held_out"), language)
    key_src = json.dumps([language, seed, "own words", [asdict(u) for u in turns]])
    return rendered_interview(
        f"{language}-{seed} own words, participant first",
        CACHE / f"{language}-{seed}-own-{_hash(key_src)}",
        turns,
        language,
        seed,
        notes={"swapped": "-", "returned": "-"},
    )
