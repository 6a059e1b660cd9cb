"""Markdown, plain text and member-check transcripts."""

from __future__ import annotations

from pathlib import Path

from store.analysis import format_informant_table, question_label, word_counts
from store.corpus import Corpus
from store.exports.common import (
    clock,
    code_names,
    export_passages,
    layout_transcript,
    safe_name,
    speaker_label,
    target,
    target_dir,
    write_atomic,
)
from store.redaction import Redactor
from store.storage import private_dir


def markdown(corpus: Corpus) -> str:
    """All interviews in one Markdown document: informant table, then each transcript."""
    redactor = Redactor(corpus.redactions)
    counts = word_counts(corpus)
    lines = [f"# {redactor(corpus.name)}", ""]
    guides = corpus.guides()
    if guides:
        word = "Guides" if len(guides) > 1 else "Guide"
        lines += [f"{word}: {'; '.join(redactor(g.title) for g in guides)}", ""]
    lines += ["## Informants", "", "```", format_informant_table(corpus), "```", ""]
    lines += [
        f"Words: {counts.transcript} transcribed → {counts.coded} coded → "
        f"{counts.condensed} condensed.",
        "",
    ]
    for interview in corpus.interviews:
        lines += [
            f"## {interview.participant} — {interview.date or 'no date'} — "
            f"{round(interview.duration / 60)} min",
            "",
        ]
        guide = corpus.guide_of(interview)
        if corpus.mixed and guide is not None:
            lines += [f"Guide: {redactor(guide.title)}", ""]
        current: str | None = None
        for item in export_passages(corpus, interview):
            if item.question_id != current:
                current = item.question_id
                lines += [f"### {redactor(question_label(guide, current))}", ""]
            who = speaker_label(item.passage, interview.participant)
            codes = code_names(corpus, item)
            tail = f" *[{'; '.join(codes)}]*" if codes else ""
            lines += [f"**{who}** `{clock(item.passage.start)}` {item.text}{tail}", ""]
            for when, note in item.notes:
                lines += [f"> *`{clock(when)}` {note}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_markdown(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    path = target(out, default_dir, f"{safe_name(corpus.name)}.md")
    return [write_atomic(path, markdown(corpus))]


def export_txt(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    """One UTF-8 .txt transcript per interview (what other QDA tools import)."""
    if len(corpus.interviews) == 1 and out is not None and out.suffix:
        laid, _ = layout_transcript(corpus, corpus.interviews[0])
        private_dir(out.parent)
        return [write_atomic(out, laid.text)]
    folder = target_dir(out, default_dir)
    paths = []
    for interview in corpus.interviews:
        laid, _ = layout_transcript(corpus, interview)
        name = f"{safe_name(interview.participant)}-{safe_name(interview.id)}.txt"
        paths.append(write_atomic(folder / name, laid.text))
    return paths


def member_check(corpus: Corpus, participant: str) -> str:
    """A participant's own transcript, to send them for checking: no tags, codes or notes."""
    redactor = Redactor(corpus.redactions)
    interviews = [i for i in corpus.interviews if i.participant == participant]
    lines = [
        f"Transcript of your interview ({participant})",
        "",
        "Thank you for taking part. This is what was said in the interview, as transcribed.",
        "Please read it and tell the researcher if anything is wrong, missing, or",
        "something you do not want used. Names of other people have been replaced.",
        "",
    ]
    for interview in interviews:
        lines += [
            f"Interview of {interview.date or 'no date'}, {round(interview.duration / 60)} min",
            "",
        ]
        for p in interview.passages:
            who = "Interviewer" if speaker_label(p, participant) == "Interviewer" else "You"
            lines += [f"[{clock(p.start)}] {who}: {redactor(p.text)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_member_check(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    """One member-check transcript per participant."""
    participants = list(dict.fromkeys(i.participant for i in corpus.interviews))
    if len(participants) == 1 and out is not None and out.suffix:
        private_dir(out.parent)
        return [write_atomic(out, member_check(corpus, participants[0]))]
    folder = target_dir(out, default_dir)
    return [
        write_atomic(folder / f"member-check-{safe_name(p)}.txt", member_check(corpus, p))
        for p in participants
    ]
