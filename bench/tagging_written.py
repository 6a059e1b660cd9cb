"""Interviews written by hand, for the tagging bench: text-level, in both languages.

The bench's own interviews are built from one script with paraphrase lists swapped in;
these were written whole by helpers who had not seen those lists or the tagger's
tuning (`bench/data/written_<set>_<lang>.txt`): the interviewer's own words throughout,
acknowledgements, two questions in one turn, themes and follow-ups skipped, returns
announced in many ways. Set A was used once to change the tagger (stop 29's
`4c0a370`) and set B to decide on one (stop 30); set C, written after both, no change
has seen.

Each utterance is laid out at the bench's speaking pace (`lay_out`); the key presses,
where a row has them, mark the interviewer's last turn before each answer (the one
that asks it) as `presses` does.
"""

from __future__ import annotations

from pathlib import Path

from bench.synth import GUIDES, Interview, Utterance
from bench.tagging_conditions import known_voices, lay_out, presses, score
from guide.tagging import tag_transcript

DATA = Path(__file__).parent / "data"
SETS = {"A": "a", "B": "b", "C": "c"}
HELD_OUT = "C"  # the set no change of the tagger has seen


def parse(text: str) -> list[tuple[str, list[Utterance]]]:
    """The interviews in a file: (name, turns). The interviewer's turns since the last
    answer carry the question of the answer after them (a press marks only the last of
    them: `_asking_only`); those after an interview's last answer, none.

    Raises:
        ValueError: a line that is neither a header, an interviewer's nor an answer
            line, or an answer without a question id; the message names the line.
    """
    out: list[tuple[str, list[Utterance]]] = []
    pending: list[str] = []
    turns: list[Utterance] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("==="):
            turns += [Utterance("interviewer", None, x) for x in pending]
            pending = []
            turns = []
            out.append((line.split()[1], turns))
            continue
        head, sep, said = line.partition(":")
        parts = head.split()
        if not sep or not parts or parts[0] not in ("I", "I!", "P") or not out:
            raise ValueError(f"line {n}: not an interview line: {line!r}")
        if parts[0] == "P":
            if len(parts) < 2:
                raise ValueError(f"line {n}: an answer without its question: {line!r}")
            qid = parts[1]
            turns += [Utterance("interviewer", qid, x) for x in pending]
            pending = []
            turns.append(Utterance("participant", qid, said.strip()))
        else:
            pending.append(said.strip())
    turns += [Utterance("interviewer", None, x) for x in pending]
    return out


def interviews(which: str, language: str, how: str = "none") -> list[Interview]:
    """Set ``which`` ("A", "B" or "C") in ``language``, laid out, with presses ``how``
    (`presses`: "none", "all", "missing", …)."""
    path = DATA / f"written_{SETS[which]}_{language}.txt"
    out = []
    for i, (name, turns) in enumerate(parse(path.read_text(encoding="utf-8")), 1):
        timed = lay_out(turns, i)
        out.append(
            Interview(
                name=name,
                language=language,
                guide_name=GUIDES[language],
                utterances=timed,
                markers=presses(_asking_only(timed), i, how),
                audio_path=Path("-"),
                duration=timed[-1].end,
            )
        )
    return out


def _asking_only(timed: list[Utterance]) -> list[Utterance]:
    """The turns with only the last interviewer turn before each answer keeping its
    question (the one a press would mark)."""
    out = []
    for i, u in enumerate(timed):
        nxt = timed[i + 1] if i + 1 < len(timed) else None
        last = nxt is not None and nxt.role == "participant"
        out.append(u if u.role != "interviewer" or last else Utterance(u.role, None, u.text))
    return out


def written_table() -> str:
    """Answer words with the right primary question, per set and language: no presses
    (no voices, voices known), a quarter of the presses missing, every question
    pressed."""
    rows = [
        "\nInterviews written by hand (`bench.tagging_written`; text-level, the "
        "interviewer's own words throughout; sets A and B used once each for a change, "
        "set C never):\n",
        "| set | lang | interviews | answer words | no presses | no presses, voices known "
        "| 25 % of presses missing | every question pressed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for which in SETS:
        for lang in ("en", "nb"):
            cells = []
            words = 0
            for how, voices in (
                ("none", False),
                ("none", True),
                ("missing", False),
                ("all", False),
            ):
                n = right = 0.0
                ivs = interviews(which, lang, how)
                for iv in ivs:
                    segs = iv.oracle_segments()
                    if voices:
                        segs = known_voices(iv, segs)
                    s = score(iv, tag_transcript(iv.guide, segs, iv.markers, language=lang))
                    n += s["words"]
                    right += s["words"] * s["acc"]
                cells.append(f"{right / n:.1%}" if n else "–")
                words = int(n)
            rows.append(
                f"| {which}{' (held out)' if which == HELD_OUT else ''} | {lang} | {len(ivs)} "
                f"| {words} | " + " | ".join(cells) + " |"
            )
    return "\n".join(rows) + "\n"
