"""Word documents (python-docx): transcripts, the by-question report, the codes document."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document

from kvale_errors import StoreError
from store.analysis import (
    by_question,
    corpus_question_label,
    group_word_counts,
    informant_table,
    question_ids,
    question_label,
    word_counts,
)
from store.corpus import Corpus, ReviewInterview
from store.exports.common import (
    clean_text,
    clock,
    code_names,
    export_passages,
    safe_name,
    speaker_label,
    target_dir,
    write_atomic,
)
from store.redaction import Redactor


def _redactor(corpus: Corpus) -> Any:
    """The corpus's redaction, then `clean_text`: every text a document gets goes through it."""
    redactor = Redactor(corpus.redactions)
    return lambda text: clean_text(redactor(text))


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
    redactor = _redactor(corpus)
    doc = Document()
    doc.add_heading(
        f"{interview.participant} — {interview.date or 'no date'} — "
        f"{round(interview.duration / 60)} min",
        level=0,
    )
    guide = corpus.guide_of(interview)  # its own guide, never the last one used
    if guide is not None:
        doc.add_paragraph(redactor(guide.title))
    current: str | None = None
    for item in export_passages(corpus, interview):
        try:
            if item.question_id != current:
                current = item.question_id
                doc.add_heading(redactor(question_label(guide, current)), level=2)
            para = doc.add_paragraph()
            para.add_run(f"{speaker_label(item.passage, interview.participant)} ").bold = True
            para.add_run(f"[{clock(item.passage.start)}] ").italic = True
            para.add_run(item.text)
            codes = [clean_text(c) for c in code_names(corpus, item)]
            if codes:
                para.add_run(f"  [{'; '.join(codes)}]").italic = True
            for when, note in item.notes:
                doc.add_paragraph().add_run(f"[{clock(when)}] {note}").italic = True
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"passage {item.index + 1} (at {clock(item.passage.start)}) of interview "
                f"{interview.id} could not be written ({exc})",
                title="Export problem",
            ) from exc
    return doc


def by_question_document(corpus: Corpus) -> Any:
    """Every question, with every participant's answer under it, and word counts."""
    redactor = _redactor(corpus)
    doc = Document()
    doc.add_heading(f"{redactor(corpus.name)}: answers by question", level=0)
    _informants(doc, corpus)
    for qid in question_ids(corpus):
        answers = by_question(corpus, qid)
        if not any(a.passages for a in answers):
            continue
        total = sum(a.words for a in answers)
        label = corpus_question_label(corpus, qid)  # its guide's question (its title if several)
        doc.add_heading(f"{redactor(label)} ({total} words)", level=1)
        for a in answers:
            para = doc.add_paragraph()
            para.add_run(f"{a.participant} ({a.words} words): ").bold = True
            para.add_run(redactor(a.text) if a.passages else "—")
    return doc


def codes_document(corpus: Corpus) -> Any:
    """Research questions → code groups → codes with quotes, and the condensation."""
    redactor = _redactor(corpus)
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

    rqs = corpus.research_questions()  # of every guide used
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
    """Build the .docx in memory, then write it atomically: a full disk fails in
    `write_atomic` (one sentence, no temporary file left), never inside a half-written
    zip whose clean-up prints a traceback."""
    buf = io.BytesIO()
    doc.save(buf)
    return write_atomic(path, buf.getvalue())


def export_docx(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    """A transcript per participant, the by-question report and the codes document."""
    folder = target_dir(out, default_dir)
    jobs: list[tuple[Path, Any]] = [
        (
            folder / f"transcript-{safe_name(i.participant)}-{safe_name(i.id)}.docx",
            lambda i=i: transcript_document(corpus, i),
        )
        for i in corpus.interviews
    ]
    jobs.append((folder / "by-question.docx", lambda: by_question_document(corpus)))
    jobs.append((folder / "codes-and-condensation.docx", lambda: codes_document(corpus)))
    paths = []
    for path, make in jobs:
        try:
            paths.append(_save(make(), path))
        except StoreError as exc:  # the passage that failed, and the file it was for
            raise StoreError(
                f"The docx export stopped at {path.name}: {exc.sentence}. {_KEPT}.",
                title="Export problem",
            ) from exc
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"The docx export stopped at {path.name} ({exc}). {_KEPT}.", title="Export problem"
            ) from exc
    return paths


_KEPT = (
    "The export was not finished: the project's exports folder is as it was (with --out, "
    "the files before this one were written). Please report it with the file name; no "
    "transcript text is needed"
)
