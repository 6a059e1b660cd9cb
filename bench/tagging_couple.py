"""A couple interviewed together, through the audio: three voices (issue 16, "more than
two": as many voices as there are, and the interviewer still one of them).

The espeak-ng interviews of `bench.synth.build` (same script, questions and answers), with
the answers taken by two participants by turns (the first answer the first one's, the
next the other's, and so on; a woman's and a man's voice), transcribed as kvale does
(`bench.tagging.transcribe`), the voices found with the researcher's count, 3 people
(`audio.voices.find_voices`), and tagged as kvale tags (`guide.tagging`, the
interviewer's voice decided from the turns). Reported per interview: how many voices were
found, the share of words whose voice is their speaker's (the best one-to-one pairing of
the anonymous labels with the three people), whether the voice decided to be the
interviewer's is the interviewer's, the tagging's accuracy and speaker roles with and
without the key presses (the same interview with one participant is the "asr + voices"
row of the same seed in the tagging table), and the answer words whose passage names
their participant (`participants_right`: the numbers kvale shows, P1 and P2).

The second participant's voice, espeak-ng's "m3" variant, was chosen before any run: a
man's voice beside the first participant's woman's voice. It is a variant of the same
synthetic voice as the interviewer's.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, replace

from bench.synth import VOICES, Interview, Utterance, rendered_interview, script
from bench.tagging_conditions import CACHE, _hash, _truth, score, speaker_roles
from guide.tagging import tag_transcript
from guide.tagging.options import TaggingOptions
from guide.tagging.tagger import analyse
from guide.transcript import Passage, Segment, Speaker, participant_voices
from guide.transcript import voice_of as passage_voice

#: the second participant: a man's voice (the first participant's is a woman's)
SECOND = {"en": ("en+m3", 150), "nb": ("nb+m3", 145)}
PEOPLE = 3


def speakers(turns: Sequence[Utterance]) -> list[int]:
    """Per turn, who speaks it: 0 the interviewer (and the intro), 1 and 2 the two
    participants, who take the answers by turns."""
    out = []
    answers = 0
    for u in turns:
        if u.role == "participant":
            out.append(1 + answers % 2)
            answers += 1
        else:
            out.append(0)
    return out


def build_couple(language: str, seed: int) -> tuple[Interview, list[int]]:
    """The interview of `bench.synth.build` with two participants; audio cached under
    ``CACHE``. Returns it and, per utterance, its speaker (`speakers`)."""
    turns, _plan = script(language, seed)
    who = speakers(turns)
    cast = [VOICES[language]["interviewer"], VOICES[language]["participant"], SECOND[language]]
    key_src = json.dumps([language, seed, "couple", cast, [asdict(u) for u in turns]])
    interview = rendered_interview(
        f"{language}-{seed} couple",
        CACHE / f"{language}-{seed}-couple-{_hash(key_src)}",
        turns,
        language,
        seed,
        [cast[w] for w in who],
    )
    return interview, who


def voice_match(truth: Sequence[int], found: Sequence[int | None]) -> tuple[float, dict[int, int]]:
    """The share of words whose found voice is their speaker's, under the best one-to-one
    pairing of found labels with speakers (a word with no voice counts as wrong), and
    that pairing (found label -> speaker)."""
    labels = sorted({f for f in found if f is not None})
    people = sorted(set(truth))
    pairs = Counter(zip(found, truth, strict=True))
    best, best_map = 0, {}
    for chosen in itertools.permutations(people, min(len(labels), len(people))):
        mapping = dict(zip(labels, chosen, strict=False))
        right = sum(n for (f, t), n in pairs.items() if f is not None and mapping.get(f) == t)
        if right > best:
            best, best_map = right, mapping
    return (best / len(truth) if truth else 0.0), best_map


def participants_right(iv: Interview, who: Sequence[int], passages: Sequence[Passage]) -> float:
    """The share of the participants' words (by the truth) whose passage names their
    participant: the number kvale gives each participant's voice
    (`guide.transcript.participant_voices`), paired with the two participants one to one
    as `voice_match` pairs voices; a word in a passage with no number (the interviewer's,
    or every answer in one voice) counts as wrong."""
    numbers = participant_voices(passages)
    truth: list[int] = []
    found: list[int | None] = []
    for p in passages:
        voice = passage_voice(p) if p.speaker is Speaker.PARTICIPANT else None
        n = numbers.get(voice) if voice is not None else None
        for w in p.words:
            _q, role, i = _truth(iv, (w.start + w.end) / 2)
            if role == "participant":
                truth.append(who[i])
                found.append(n)
    return voice_match(truth, found)[0]


def couple_row(iv: Interview, who: Sequence[int], segs: Sequence[Segment]) -> str:
    """One table row: voices (told 3 people), words with the right voice, the
    interviewer's voice decided, accuracy and speaker roles with / without presses."""
    from audio.files import load_audio
    from audio.voices import voice_of
    from tui.session import find_voices_or_none

    voices = find_voices_or_none(load_audio(iv.audio_path), PEOPLE)
    voiced = [
        replace(
            s,
            words=tuple(
                replace(w, voice=voice_of(voices, w.start, w.end) if voices else None)
                for w in s.words
            ),
        )
        for s in segs
    ]
    truth, found = [], []
    for s in voiced:
        for w in s.words:
            _q, role, i = _truth(iv, (w.start + w.end) / 2)
            if role is not None:
                truth.append(who[i])
                found.append(w.voice)
    right, mapping = voice_match(truth, found)
    decided = analyse(iv.guide, voiced, iv.markers, iv.language, TaggingOptions()).interviewer
    if decided is None:
        interviewer = "none decided"
    else:
        interviewer = "yes" if mapping.get(decided) == 0 else "no"
    cells = []
    for markers in (iv.markers, []):
        tagged = tag_transcript(iv.guide, voiced, markers, language=iv.language)
        cells.append(
            (
                score(iv, tagged)["acc"],
                speaker_roles(iv, tagged),
                participants_right(iv, who, tagged),
            )
        )
    count = voices.count if voices is not None else 1
    return (
        f"| {iv.name} | {iv.duration / 60:.1f} | {count} | {right:.1%} | {interviewer} "
        f"| {cells[0][0]:.1%} / {cells[1][0]:.1%} | {cells[0][1]:.1%} / {cells[1][1]:.1%} "
        f"| {cells[0][2]:.1%} / {cells[1][2]:.1%} |"
    )


def couple_table(seeds: Sequence[int]) -> str:
    """The couple interviews' table (`couple_row` for each language and seed)."""
    from bench.tagging import transcribe

    rows = []
    for language in ("en", "nb"):
        for seed in seeds:
            iv, who = build_couple(language, seed)
            rows.append(couple_row(iv, who, transcribe(iv)))
    return (
        "\nA couple interviewed together (three voices: the answers taken by two "
        "participants by turns; `bench.tagging_couple`), transcribed as kvale does, the "
        f"voices found with the researcher's count ({PEOPLE} people), tagged as kvale tags:\n\n"
        "| interview | min | voices found | words with the right voice "
        "| interviewer's voice decided right | accuracy (with / without presses) "
        "| speaker roles (with / without presses) "
        "| answer words with the right participant, P1 / P2 (with / without presses) |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
