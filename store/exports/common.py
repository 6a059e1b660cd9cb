"""What every export shares: redacted passages, transcript layout, labels, file names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from guide.transcript import Passage, Speaker
from kvale_i18n import format_date, translator
from store.analysis import question_label, question_of
from store.codebook import CodedSpan
from store.corpus import Corpus, ReviewInterview, note_line
from store.redaction import Redactor
from store.storage import private_dir

#: what XML 1.0 cannot hold: C0 controls but tab, newline, carriage return; lone
#: surrogates; U+FFFE and U+FFFF (python-docx and ElementTree refuse them or write
#: files other tools cannot open)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text every export format can hold: each character XML 1.0 cannot hold becomes a
    space (one for one, so character offsets of coded spans stay right). Every export
    writes its text through this."""
    return _NOT_XML.sub(" ", text)


def clock(seconds: float) -> str:
    """ "00:12:04"."""
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def speaker_label(passage: Passage, participant: str, language: str | None = None) -> str:
    """Who speaks: "Interviewer" (in ``language``; None: English), the participant's
    code, or "?" when the speaker is not known."""
    if passage.speaker == Speaker.INTERVIEWER:
        return translator(language).gettext("Interviewer")
    if passage.speaker == Speaker.PARTICIPANT:
        return participant
    return "?"


def interview_heading(interview: ReviewInterview, language: str | None) -> str:
    """ "I3 — 13.03.2023 — 49 min": who, when (as the language writes dates), how long."""
    _ = translator(language).gettext
    date = format_date(interview.date, language) if interview.date else _("no date")
    minutes = _("{minutes} min").format(minutes=round(interview.duration / 60))
    return f"{interview.participant} — {date} — {minutes}"


@dataclass(frozen=True)
class ExportSpan:
    """A coded span after redaction, in characters of the redacted passage text."""

    code_id: str
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True)
class ExportPassage:
    """A passage ready to export: redacted text, its question and its coded spans."""

    index: int
    passage: Passage
    text: str  # redacted
    question_id: str
    spans: tuple[ExportSpan, ...]
    #: the interviewer's notes and bookmarks with this passage: (time, "Note: …"), redacted
    notes: tuple[tuple[float, str], ...] = ()


def export_passages(corpus: Corpus, interview: ReviewInterview) -> list[ExportPassage]:
    """The interview's passages, redacted, with coded spans mapped into the redacted text."""
    redactor = corpus.redactor()
    language = corpus.language_of(interview)
    found, _ = corpus.codebook.resolve(interview.id, interview.passages)
    by_index: dict[int, list[CodedSpan]] = {}
    for span, index in found:
        by_index.setdefault(index, []).append(span)
    result = []
    for i, p in enumerate(interview.passages):
        text, repl = redactor.redact(p.text)
        text = clean_text(text)
        spans = []
        for s in by_index.get(i, []):
            start = Redactor.map_offset(s.char_start, repl, end=False)
            end = Redactor.map_offset(s.char_end, repl, end=True)
            if end > start:
                spans.append(ExportSpan(s.code_id, start, end, text[start:end]))
        notes = tuple(
            (n.time, clean_text(redactor(note_line(n, language)))) for n in interview.notes_at(i)
        )
        result.append(ExportPassage(i, p, text, question_of(p), tuple(spans), notes))
    return result


def code_names(corpus: Corpus, item: ExportPassage) -> list[str]:
    """Names of the codes on a passage (coded spans and the passage's own codes), redacted."""
    redactor = corpus.redactor()
    names: dict[str, None] = {}
    for s in item.spans:
        try:
            names[redactor(corpus.codebook.code(s.code_id).name)] = None
        except KeyError:
            continue
    for c in item.passage.codes:
        try:
            names[redactor(corpus.codebook.code(c).name)] = None
        except KeyError:
            names[redactor(c)] = None
    return list(names)


@dataclass(frozen=True)
class LaidOut:
    """A transcript as one plain text, with where each passage's text lies in it."""

    text: str
    offsets: list[tuple[int, int]]  # per passage: [start, end) of its text


def layout_transcript(
    corpus: Corpus, interview: ReviewInterview
) -> tuple[LaidOut, list[ExportPassage]]:
    """The plain-text transcript used by .txt and .qdpx, passage by passage.

    Each passage is a paragraph "[00:12:04] I3: text", with a heading line when
    the question changes.
    """
    items = export_passages(corpus, interview)
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0

    def add(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    language = corpus.language_of(interview)
    _ = translator(language).gettext
    add(f"{interview_heading(interview, language)}\n")
    guide = corpus.guide_of(interview)
    if corpus.mixed and guide is not None:
        add(_("Guide: {title}").format(title=clean_text(guide.title)) + "\n")
    current: str | None = None
    for item in items:
        if item.question_id != current:
            current = item.question_id
            label = question_label(corpus.guide_of(interview), current, language)
            add(f"\n## {clean_text(label)}\n")
        who = speaker_label(item.passage, interview.participant_label(item.passage), language)
        add(f"\n[{clock(item.passage.start)}] {who}: ")
        offsets.append((pos, pos + len(item.text)))
        add(item.text)
        add("\n")
        for when, line in item.notes:
            add(f"[{clock(when)}] ({line})\n")
    return LaidOut("".join(parts), offsets), items


def safe_name(text: str) -> str:
    """A file-name-safe version of a participant code or title."""
    return re.sub(r"[^\w.-]+", "-", text).strip("-") or "interview"


def target(out: Path | None, default_dir: Path, default_name: str) -> Path:
    """Where a one-file export goes: ``out`` itself, or a default name in a folder."""
    if out is None:
        private_dir(default_dir)
        return default_dir / default_name
    if out.is_dir() or not out.suffix:
        private_dir(out)
        return out / default_name
    private_dir(out.parent)
    return out


def target_dir(out: Path | None, default_dir: Path) -> Path:
    """Where a many-file export goes."""
    folder = default_dir if out is None else (out if not out.suffix else out.parent)
    private_dir(folder)
    return folder


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write a file through a temporary file and a rename, so no half-written export is left.

    The file is 0600. Inside an encrypted project (``<project>/exports/``) it is sealed
    with the project key (`store.crypto`); outside, it is plain and the project lists it
    (`store.privacy`) so a withdrawal can name it.
    """
    import os
    import tempfile

    raw = clean_text(data).encode("utf-8") if isinstance(data, str) else data
    from store.crypto import cipher_for_path

    cipher = cipher_for_path(path.parent)
    if cipher is not None:  # inside an encrypted project: sealed like its documents
        raw = cipher.seal(raw)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
