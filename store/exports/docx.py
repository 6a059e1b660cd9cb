"""Word documents (python-docx): transcripts, the by-question report, the codes document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document

from store.analysis import (
    by_question,
    group_word_counts,
    informant_table,
    question_ids,
    question_label,
    word_counts,
)
from store.corpus import Corpus, ReviewInterview
from store.exports.common import (
    clock,
    code_names,
    export_passages,
    safe_name,
    speaker_label,
    target_dir,
)
from store.redaction import Redactor


def _informants(doc: Any, corpus: Corpus) -> None:
    rows, total = informant_table(corpus)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["Informant", "Date", "Length", "Words"], strict=True
    ):
        cell.text = text
    for r in [*rows, total]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = r.participant, r.date
        cells[2].text, cells[3].text = f"{r.minutes} min", f"{r.words:,}".replace(",", " ")


def transcript_document(corpus: Corpus, interview: ReviewInterview) -> Any:
    """One participant's transcript with a heading for each guide question."""
    redactor = Redactor(corpus.redactions)
    doc = Document()
    doc.add_heading(
        f"{interview.participant} — {interview.date or 'no date'} — "
        f"{round(interview.duration / 60)} min",
        level=0,
    )
    if corpus.guide is not None:
        doc.add_paragraph(redactor(corpus.guide.title))
    current: str | None = None
    for item in export_passages(corpus, interview):
        if item.question_id != current:
            current = item.question_id
            doc.add_heading(redactor(question_label(corpus.guide, current)), level=2)
        para = doc.add_paragraph()
        para.add_run(f"{speaker_label(item.passage, interview.participant)} ").bold = True
        para.add_run(f"[{clock(item.passage.start)}] ").italic = True
        para.add_run(item.text)
        codes = code_names(corpus, item)
        if codes:
            para.add_run(f"  [{'; '.join(codes)}]").italic = True
    return doc


def by_question_document(corpus: Corpus) -> Any:
    """Every question, with every participant's answer under it, and word counts."""
    redactor = Redactor(corpus.redactions)
    doc = Document()
    doc.add_heading(f"{redactor(corpus.name)}: answers by question", level=0)
    _informants(doc, corpus)
    for qid in question_ids(corpus):
        answers = by_question(corpus, qid)
        if not any(a.passages for a in answers):
            continue
        total = sum(a.words for a in answers)
        doc.add_heading(f"{redactor(question_label(corpus.guide, qid))} ({total} words)", level=1)
        for a in answers:
            para = doc.add_paragraph()
            para.add_run(f"{a.participant} ({a.words} words): ").bold = True
            para.add_run(redactor(a.text) if a.passages else "—")
    return doc


def codes_document(corpus: Corpus) -> Any:
    """Research questions → code groups → codes with quotes, and the condensation."""
    redactor = Redactor(corpus.redactions)
    book = corpus.codebook
    doc = Document()
    doc.add_heading(f"{redactor(corpus.name)}: codes and condensation", level=0)
    counts = word_counts(corpus)
    doc.add_paragraph(
        f"Words: {counts.transcript} transcribed → {counts.coded} coded → "
        f"{counts.condensed} condensed."
    )
    quotes: dict[str, list[tuple[str, str]]] = {}
    for interview in corpus.interviews:
        for item in export_passages(corpus, interview):
            for s in item.spans:
                quotes.setdefault(s.code_id, []).append((interview.participant, s.text))
    participants = list(dict.fromkeys(i.participant for i in corpus.interviews))
    per_group = group_word_counts(corpus)

    def group_section(group_id: str, level: int) -> None:
        group = book.group(group_id)
        wc = per_group[group_id]
        doc.add_heading(
            f"{redactor(group.name)} ({wc.coded} coded words → {wc.condensed} condensed)",
            level=level,
        )
        codes_section(group_id, level + 1)
        for p in participants:
            note = book.note(group_id, p)
            if note:
                para = doc.add_paragraph()
                para.add_run(f"{p}: ").bold = True
                para.add_run(redactor(note))
        overall = book.note(group_id)
        if overall:
            para = doc.add_paragraph()
            para.add_run("Overall: ").bold = True
            para.add_run(redactor(overall))

    def codes_section(group_id: str | None, level: int) -> None:
        for code in book.codes_in(group_id):
            doc.add_heading(redactor(code.name), level=min(level, 9))
            for participant, quote in quotes.get(code.id, []):
                doc.add_paragraph(f"{participant}: «{quote}»", style="List Bullet")

    rqs = dict(corpus.guide.research_questions) if corpus.guide is not None else {}
    for g in book.groups:
        if g.research_question and g.research_question not in rqs:
            rqs[g.research_question] = ""
    for rq, text in rqs.items():
        doc.add_heading(redactor(f"{rq}: {text}" if text else rq), level=1)
        for g in book.groups:
            if g.research_question == rq:
                group_section(g.id, 2)
    loose = [g for g in book.groups if not g.research_question]
    if loose:
        doc.add_heading("Groups under no research question", level=1)
        for g in loose:
            group_section(g.id, 2)
    if book.codes_in(None):
        doc.add_heading("Codes in no group", level=1)
        codes_section(None, 2)
    return doc


def _save(doc: Any, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    return path


def export_docx(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    """A transcript per participant, the by-question report and the codes document."""
    folder = target_dir(out, default_dir)
    paths = [
        _save(
            transcript_document(corpus, i),
            folder / f"transcript-{safe_name(i.participant)}-{safe_name(i.id)}.docx",
        )
        for i in corpus.interviews
    ]
    paths.append(_save(by_question_document(corpus), folder / "by-question.docx"))
    paths.append(_save(codes_document(corpus), folder / "codes-and-condensation.docx"))
    return paths
