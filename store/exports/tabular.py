"""CSV (one row per passage, and the informant table) and JSON (everything)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from store.analysis import informant_table, question_label, word_counts
from store.corpus import Corpus
from store.exports.common import clock as p_clock
from store.exports.common import code_names, export_passages, safe_name, target, write_atomic
from store.redaction import Redactor

CSV_COLUMNS = [
    "participant",
    "interview",
    "date",
    "passage",
    "start",
    "end",
    "speaker",
    "speaker_source",
    "participant_number",
    "question",
    "question_text",
    "tag_source",
    "tag_confidence",
    "other_tags",
    "codes",
    "words",
    "text",
    "guide",
    "notes",
]


def passages_csv(corpus: Corpus) -> str:
    """One row per passage with its tags and codes (redacted)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for interview in corpus.interviews:
        guide = corpus.guide_of(interview)
        for item in export_passages(corpus, interview):
            p = item.passage
            q = item.question_id
            writer.writerow(
                [
                    interview.participant,
                    interview.id,
                    interview.date,
                    item.index + 1,
                    f"{p.start:.2f}",
                    f"{p.end:.2f}",
                    p.speaker.value,
                    p.speaker_source.value,
                    interview.participant_number(p) or "",
                    q,
                    question_label(guide, q).removeprefix(q).strip() if q else "",
                    p.primary.source.value if p.primary else "",
                    f"{p.primary.confidence:.2f}" if p.primary else "",
                    " ".join(t.question_id for t in p.secondary),
                    "; ".join(code_names(corpus, item)),
                    len(item.text.split()),
                    item.text,
                    guide.title if guide is not None else "",
                    "; ".join(f"{p_clock(when)} {note}" for when, note in item.notes),
                ]
            )
    return buf.getvalue()


def informants_csv(corpus: Corpus) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["participant", "date", "minutes", "words"])
    rows, total = informant_table(corpus, corpus.language_of())
    for r in [*rows, total]:
        writer.writerow([r.participant, r.date, r.minutes, r.words])
    return buf.getvalue()


def to_json(corpus: Corpus) -> dict[str, Any]:
    """The whole project as one JSON object (redacted)."""
    redactor = corpus.redactor()
    guide = corpus.guide
    rows, total = informant_table(corpus)
    counts = word_counts(corpus)
    book = corpus.codebook
    interviews = []
    for interview in corpus.interviews:
        passages = []
        for item in export_passages(corpus, interview):
            p = item.passage
            passages.append(
                {
                    "start": p.start,
                    "end": p.end,
                    "speaker": p.speaker.value,
                    "speaker_source": p.speaker_source.value,
                    # which participant, by voice, in a couple or group interview
                    "participant_number": interview.participant_number(p),
                    "text": item.text,
                    "question": item.question_id or None,
                    "tag": None
                    if p.primary is None
                    else {"source": p.primary.source.value, "confidence": p.primary.confidence},
                    "other_tags": [t.question_id for t in p.secondary],
                    "codes": code_names(corpus, item),
                    "coded_spans": [
                        {
                            "code": redactor(book.code(s.code_id).name),
                            "start": s.char_start,
                            "end": s.char_end,
                            "text": s.text,
                        }
                        for s in item.spans
                    ],
                }
            )
        own = corpus.guide_of(interview)
        interviews.append(
            {
                "id": interview.id,
                "guide": own.content_hash if own is not None else None,
                "participant": interview.participant,
                "date": interview.date,
                "duration": interview.duration,
                "status": interview.status,
                "words": interview.word_count,
                "passages": passages,
                "notes": [
                    {"time": n.time, "kind": n.kind.value, "text": redactor(n.text)}
                    for n in interview.notes
                ],
            }
        )
    present = {i.participant for i in corpus.interviews}
    return {
        "format": "kvale-export",
        "version": 1,
        "project": redactor(corpus.name),
        "guide": None if guide is None else _guide_json(guide, redactor),
        # every guide used, by content hash: each interview names its own ("guide")
        "guides": {g.content_hash: _guide_json(g, redactor) for g in corpus.guides()},
        "informants": [r.__dict__ for r in [*rows, total]],
        "word_counts": counts.__dict__,
        "codebook": {
            "groups": [
                {
                    "name": redactor(g.name),
                    "research_question": g.research_question,
                    "codes": [redactor(c.name) for c in book.codes_in(g.id)],
                    # across participants: not in one participant's export
                    "condensation": "" if corpus.partial else redactor(book.note(g.id)),
                    "condensation_by_participant": {
                        k.split("|", 1)[1]: redactor(v)
                        for k, v in book.notes.items()
                        if k.startswith(f"{g.id}|") and k.split("|", 1)[1] in present
                    },
                }
                for g in book.groups
            ],
            "ungrouped_codes": [redactor(c.name) for c in book.codes_in(None)],
        },
        "interviews": interviews,
    }


def _guide_json(guide: Any, redactor: Redactor) -> dict[str, Any]:
    return {
        "title": redactor(guide.title),
        "language": guide.language,
        "research_questions": guide.research_questions,
        "questions": [
            {"id": q.id, "text": q.text, "section": q.section_id} for q in guide.questions()
        ],
    }


#: a CSV file starts with a UTF-8 byte-order mark, so that Excel (Windows) reads it as
#: UTF-8 instead of the ANSI code page (which garbles æøå and «»); other readers
#: (Python's "utf-8-sig", R's read.csv with fileEncoding "UTF-8-BOM", LibreOffice) skip it
BOM = "\ufeff"


def export_csv(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    path = target(out, default_dir, f"{safe_name(corpus.name)}-passages.csv")
    return [write_atomic(path, BOM + passages_csv(corpus))]


def export_informants(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    path = target(out, default_dir, f"{safe_name(corpus.name)}-informants.csv")
    return [write_atomic(path, BOM + informants_csv(corpus))]


def export_json(corpus: Corpus, out: Path | None, default_dir: Path) -> list[Path]:
    path = target(out, default_dir, f"{safe_name(corpus.name)}.json")
    return [write_atomic(path, json.dumps(to_json(corpus), ensure_ascii=False, indent=1))]
