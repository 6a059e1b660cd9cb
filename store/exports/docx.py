"""Word documents (python-docx): transcripts, the by-question report, the codes document."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from kvale_errors import StoreError
from kvale_i18n import N_, format_int, is_norwegian, normalise, translator
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
    interview_heading,
    safe_name,
    speaker_label,
    target_dir,
    write_atomic,
)


def _redactor(corpus: Corpus) -> Any:
    """The corpus's redaction, then `clean_text`: every text a document gets goes through it."""
    redactor = corpus.redactor()
    return lambda text: clean_text(redactor(text))


#: BCP 47 tags Word uses for proofing and hyphenation
_WORD_LANGUAGE = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


def new_document(language: str | None, *, line_numbers: bool = False, title: str = "") -> Any:
    """An empty document set up for ``language``: page numbers in the footer ("Side 2 av
    7" / "Page 2 of 7"), the text's language for Word's proofing, and for Norwegian
    (nb, nn) A4 paper with 2.5 cm margins (python-docx's default is US Letter).

    Args:
        language: the document's language ("nb", "nn", "en"; None: English).
        line_numbers: number every line in the margin, continuously through the
            document, so that a thesis can cite a transcript by line (Word's line
            numbering: ``w:lnNumType`` in the section properties).
        title: the document's title, as Word's file properties show it.

    The file properties say kvale made it, now, in ``language`` (python-docx's template
    said "python-docx", 2013), and name nobody: no author, no "last modified by".
    """
    doc = Document()
    props = doc.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.author, props.last_modified_by, props.comments = "kvale", "", ""
    props.title, props.language = title, _WORD_LANGUAGE[normalise(language)]
    props.created = props.modified = now
    props.revision = 1
    section = doc.sections[0]
    if is_norwegian(language):
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
    if line_numbers:
        numbering = OxmlElement("w:lnNumType")
        numbering.set(qn("w:countBy"), "1")
        numbering.set(qn("w:restart"), "continuous")
        numbering.set(qn("w:distance"), str(int(Cm(0.6).twips)))
        # lnNumType goes after pgMar (and pgSz) in CT_SectPr's sequence
        section._sectPr.insert_element_before(
            numbering,
            "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
            "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
            "w:printerSettings", "w:sectPrChange",
        )  # fmt: skip
    _page_numbers(section, language)
    tag = _WORD_LANGUAGE[normalise(language)]
    for style in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        rpr = doc.styles[style].element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        rpr.append(lang)
    return doc


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {text} "
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run._r.append(node)
        if kind == "separate":  # the text shown before Word updates the field
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._r.append(shown)


def _page_numbers(section: Any, language: str | None) -> None:
    """ "Page 2 of 7" centred in the footer, in ``language``."""
    _ = translator(language).gettext
    para = section.footer.paragraphs[0]
    para.alignment = 1  # centre
    before, _sep, rest = _("Page {page} of {pages}").partition("{page}")
    middle, _sep, after = rest.partition("{pages}")
    para.add_run(before)
    _field(para, "PAGE")
    para.add_run(middle)
    _field(para, "NUMPAGES")
    para.add_run(after)


def _informants(doc: Any, corpus: Corpus, language: str | None) -> None:
    _ = translator(language).gettext
    rows, total = informant_table(corpus, language)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    heads = [_("Informant"), _("Date"), _("Length"), _("Words")]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    for r in [*rows, total]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = r.participant, r.date
        cells[2].text = _("{minutes} min").format(minutes=r.minutes)
        cells[3].text = format_int(r.words, language)


def transcript_document(corpus: Corpus, interview: ReviewInterview) -> Any:
    """One participant's transcript with a heading for each guide question, in the
    interview's language, with page and line numbers (A4 for Norwegian)."""
    redactor = _redactor(corpus)
    language = corpus.language_of(interview)
    heading = interview_heading(interview, language)
    doc = new_document(language, line_numbers=True, title=heading)
    doc.add_heading(heading, level=0)
    guide = corpus.guide_of(interview)  # its own guide, never the last one used
    if guide is not None:
        doc.add_paragraph(redactor(guide.title))
    current: str | None = None
    for item in export_passages(corpus, interview):
        try:
            if item.question_id != current:
                current = item.question_id
                doc.add_heading(redactor(question_label(guide, current, language)), level=2)
            para = doc.add_paragraph()
            who = speaker_label(item.passage, interview.participant_label(item.passage), language)
            para.add_run(f"{who} ").bold = True
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
                title=N_("Export problem"),
            ) from exc
    return doc


def by_question_document(corpus: Corpus) -> Any:
    """Every question, with every participant's answer under it, and word counts."""
    redactor = _redactor(corpus)
    language = corpus.language_of()
    _ = translator(language).gettext
    ngettext = translator(language).ngettext
    heading = _("{project}: answers by question").format(project=redactor(corpus.name))
    doc = new_document(language, line_numbers=True, title=heading)
    doc.add_heading(heading, level=0)
    _informants(doc, corpus, language)
    for qid in question_ids(corpus):
        answers = by_question(corpus, qid)
        if not any(a.passages for a in answers):
            continue
        total = sum(a.words for a in answers)
        # its guide's question (its title if several)
        label = corpus_question_label(corpus, qid, language)
        words = ngettext("{n} word", "{n} words", total).format(n=format_int(total, language))
        doc.add_heading(f"{redactor(label)} ({words})", level=1)
        for a in answers:
            para = doc.add_paragraph()
            said = ngettext("{n} word", "{n} words", a.words).format(n=a.words)
            para.add_run(f"{a.participant} ({said}): ").bold = True
            para.add_run(redactor(a.text) if a.passages else "—")
    return doc


def codes_document(corpus: Corpus) -> Any:
    """Research questions → code groups → codes with quotes, and the condensation."""
    redactor = _redactor(corpus)
    book = corpus.codebook
    language = corpus.language_of()
    _ = translator(language).gettext
    heading = _("{project}: codes and condensation").format(project=redactor(corpus.name))
    doc = new_document(language, title=heading)
    doc.add_heading(heading, level=0)
    counts = word_counts(corpus)
    doc.add_paragraph(
        _("Words: {transcribed} transcribed → {coded} coded → {condensed} condensed.").format(
            transcribed=counts.transcript, coded=counts.coded, condensed=counts.condensed
        )
    )
    # (who, where in the recording, the quote): a thesis cites it, a reader finds it
    quotes: dict[str, list[tuple[str, str, str]]] = {}
    for interview in corpus.interviews:
        for item in export_passages(corpus, interview):
            for s in item.spans:
                # who said it: the participant (in a couple or group interview, which
                # one: "I3-2"), or the interviewer
                who = speaker_label(
                    item.passage, interview.participant_label(item.passage), language
                )
                quotes.setdefault(s.code_id, []).append((who, clock(item.passage.start), s.text))
    participants = list(dict.fromkeys(i.participant for i in corpus.interviews))
    per_group = group_word_counts(corpus)

    def group_section(group_id: str, level: int) -> None:
        group = book.group(group_id)
        wc = per_group[group_id]
        counted = _("({coded} coded words → {condensed} condensed)").format(
            coded=wc.coded, condensed=wc.condensed
        )
        doc.add_heading(f"{redactor(group.name)} {counted}", level=level)
        codes_section(group_id, level + 1)
        for p in participants:
            note = book.note(group_id, p)
            if note:
                para = doc.add_paragraph()
                para.add_run(f"{p}: ").bold = True
                para.add_run(redactor(note))
        overall = book.note(group_id)  # across participants: not in one participant's
        if overall and not corpus.partial:
            para = doc.add_paragraph()
            para.add_run(_("Overall:") + " ").bold = True
            para.add_run(redactor(overall))

    def codes_section(group_id: str | None, level: int) -> None:
        for code in book.codes_in(group_id):
            doc.add_heading(redactor(code.name), level=min(level, 9))
            for who, when, quote in quotes.get(code.id, []):
                doc.add_paragraph(f"{who}, {when}: «{quote}»", style="List Bullet")

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
        doc.add_heading(_("Groups under no research question"), level=1)
        for g in loose:
            group_section(g.id, 2)
    if book.codes_in(None):
        doc.add_heading(_("Codes in no group"), level=1)
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
    jobs: list[tuple[Path, Any]] = []
    for i in corpus.interviews:
        # TRANSLATORS: a file name: keep the placeholders, no spaces or slashes
        name = translator(corpus.language_of(i)).gettext("transcript-{participant}-{interview}")
        name = name.format(participant=safe_name(i.participant), interview=safe_name(i.id))
        jobs.append((folder / f"{name}.docx", lambda i=i: transcript_document(corpus, i)))
    _ = translator(corpus.language_of()).gettext
    # TRANSLATORS: file names: no spaces or slashes
    by_question, codes = _("by-question"), _("codes-and-condensation")
    jobs.append((folder / f"{by_question}.docx", lambda: by_question_document(corpus)))
    jobs.append((folder / f"{codes}.docx", lambda: codes_document(corpus)))
    paths = []
    for path, make in jobs:
        try:
            paths.append(_save(make(), path))
        except StoreError as exc:  # the passage that failed, and the file it was for
            raise StoreError(
                f"The docx export stopped at {path.name}: {exc.sentence}. {_KEPT}.",
                title=N_("Export problem"),
            ) from exc
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(
                f"The docx export stopped at {path.name} ({exc}). {_KEPT}.",
                title=N_("Export problem"),
            ) from exc
    return paths


_KEPT = (
    "The export was not finished: the project's exports folder is as it was (with --out, "
    "the files before this one were written). Please report it with the file name; no "
    "transcript text is needed"
)
