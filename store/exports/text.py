"""Markdown, plain text and member-check transcripts."""

from __future__ import annotations

from pathlib import Path

from guide.transcript import Speaker
from kvale_i18n import format_date, translator
from store.analysis import format_informant_table, question_label, word_counts
from store.corpus import Corpus
from store.exports.common import (
    clock,
    code_names,
    export_passages,
    interview_heading,
    layout_transcript,
    safe_name,
    speaker_label,
    target,
    target_dir,
    write_atomic,
)
from store.storage import private_dir


def markdown(corpus: Corpus) -> str:
    """All interviews in one Markdown document: informant table, then each transcript."""
    redactor = corpus.redactor()
    counts = word_counts(corpus)
    language = corpus.language_of()
    _ = translator(language).gettext
    lines = [f"# {redactor(corpus.name)}", ""]
    guides = corpus.guides()
    if guides:
        titles = "; ".join(redactor(g.title) for g in guides)
        line = _("Guides: {titles}") if len(guides) > 1 else _("Guide: {title}")
        lines += [line.format(titles=titles, title=titles), ""]
    table = format_informant_table(corpus, language)
    lines += ["## " + _("Informants"), "", "```", table, "```", ""]
    lines += [
        _("Words: {transcribed} transcribed → {coded} coded → {condensed} condensed.").format(
            transcribed=counts.transcript, coded=counts.coded, condensed=counts.condensed
        ),
        "",
    ]
    for interview in corpus.interviews:
        own = corpus.language_of(interview)
        lines += [f"## {interview_heading(interview, own)}", ""]
        guide = corpus.guide_of(interview)
        if corpus.mixed and guide is not None:
            lines += [_("Guide: {title}").format(title=redactor(guide.title)), ""]
        current: str | None = None
        for item in export_passages(corpus, interview):
            if item.question_id != current:
                current = item.question_id
                lines += [f"### {redactor(question_label(guide, current, own))}", ""]
            who = speaker_label(item.passage, interview.participant_label(item.passage), own)
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
    redactor = corpus.redactor()
    interviews = [i for i in corpus.interviews if i.participant == participant]
    # the letter speaks the language the participant was interviewed in
    language = corpus.language_of(interviews[0]) if interviews else corpus.language_of()
    _ = translator(language).gettext
    lines = [
        _("Transcript of your interview ({participant})").format(participant=participant),
        "",
        *_(
            "Thank you for taking part. This is what was said in the interview, as "
            "transcribed.\nPlease read it and tell the researcher if anything is wrong, "
            "missing, or\nsomething you do not want used. Names of other people have been "
            "replaced."
        ).split("\n"),
        "",
    ]
    for interview in interviews:
        date = format_date(interview.date, language) if interview.date else _("no date")
        lines += [
            _("Interview of {date}, {minutes} min").format(
                date=date, minutes=round(interview.duration / 60)
            ),
            "",
        ]
        numbers = sorted(interview.present_numbers.values())
        if len(numbers) >= 2:  # a couple or a group reads one letter: who is who
            labels = ", ".join(interview.numbered(n) for n in numbers)
            lines += [
                _(
                    "You took part together: {labels} are each of you, numbered in the "
                    "order your voices were first heard. Lines marked ? are ones the "
                    "recording could not tell who said."
                ).format(labels=labels),
                "",
            ]
        elif any(p.speaker == Speaker.UNKNOWN for p in interview.passages):
            lines += [_("Lines marked ? are ones the recording could not tell who said."), ""]
        for p in interview.passages:
            # a couple or a group reads one transcript: each by their number ("I3-2");
            # a line nobody can be told to have said is "?", never "You": the
            # participant must not read the interviewer's words as their own
            who = (
                _("Interviewer")
                if p.speaker == Speaker.INTERVIEWER
                else interview.participant_label(p)
                if interview.participant_number(p)
                else _("You")
                if p.speaker == Speaker.PARTICIPANT and not interview.participant_numbers
                else "?"
            )
            lines += [f"[{clock(p.start)}] {who}: {redactor(p.text)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_member_check(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    """One member-check transcript per participant."""
    participants = list(dict.fromkeys(i.participant for i in corpus.interviews))
    if len(participants) == 1 and out is not None and out.suffix:
        private_dir(out.parent)
        return [write_atomic(out, member_check(corpus, participants[0]))]
    folder = target_dir(out, default_dir)
    paths = []
    for p in participants:
        # the file name in the language of the letter (the participant receives it)
        first = next(i for i in corpus.interviews if i.participant == p)
        # TRANSLATORS: a file name: keep the placeholder, no spaces or slashes
        name = translator(corpus.language_of(first)).gettext("member-check-{participant}")
        name = name.format(participant=safe_name(p))
        paths.append(write_atomic(folder / f"{name}.txt", member_check(corpus, p)))
    return paths
