"""A review session: the corpus being reviewed, with every change saved at once.

The review screens call this, never the documents directly: each edit
(retag, split, merge, edit text, code, group, condensation) changes the
in-memory corpus and is written through the project's public API (passages)
or to ``codebook.json`` (everything else) before the call returns.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from guide.transcript import Passage
from kvale_errors import StoreError
from store import editing
from store.codebook import Code, CodedSpan, CodeGroup
from store.corpus import Corpus, ReviewInterview, corpus_from_project
from store.exports import export_corpus
from store.redaction import DEFAULT_PLACEHOLDER, Redaction

log = logging.getLogger(__name__)


class ReviewSession:
    """The corpus under review and where to save it."""

    def __init__(self, corpus: Corpus, project: Any = None) -> None:
        self.corpus = corpus
        self.project = project

    @classmethod
    def open(cls, project: Any) -> ReviewSession:
        """Read every interview of a project and its codebook."""
        return cls(corpus_from_project(project), project)

    @property
    def codebook(self) -> Any:
        return self.corpus.codebook

    # --- saving -----------------------------------------------------------------

    def _save_codebook(self) -> None:
        if self.corpus.path is not None:
            self.corpus.codebook.save(self.corpus.path)

    def _set_passages(self, interview_id: str, passages: list[Passage]) -> ReviewInterview:
        old = self.corpus.interview(interview_id)
        if self.project is not None:
            editing.save_passages(self.project, interview_id, passages)
        new = replace(old, passages=tuple(passages))
        self.corpus.replace_interview(new)
        return new

    # --- transcript edits -------------------------------------------------------

    def retag(self, interview_id: str, index: int, question_id: str) -> ReviewInterview:
        passages = list(self.corpus.interview(interview_id).passages)
        return self._set_passages(interview_id, editing.retag(passages, index, question_id))

    def edit_text(self, interview_id: str, index: int, text: str) -> ReviewInterview:
        passages = list(self.corpus.interview(interview_id).passages)
        new = editing.edit_text(passages, index, text, self.codebook, interview_id)
        result = self._set_passages(interview_id, new)
        self._save_codebook()
        return result

    def split(self, interview_id: str, index: int, at_char: int) -> ReviewInterview:
        passages = list(self.corpus.interview(interview_id).passages)
        new = editing.split(passages, index, at_char, self.codebook, interview_id)
        result = self._set_passages(interview_id, new)
        self._save_codebook()
        return result

    def merge(self, interview_id: str, index: int) -> ReviewInterview:
        passages = list(self.corpus.interview(interview_id).passages)
        new = editing.merge(passages, index, self.codebook, interview_id)
        result = self._set_passages(interview_id, new)
        self._save_codebook()
        return result

    # --- notes and bookmarks ---------------------------------------------------------

    def edit_note(self, interview_id: str, note_index: int, text: str) -> ReviewInterview:
        """Change the text of the interview's note or bookmark number ``note_index``."""
        old = self.corpus.interview(interview_id)
        marker = old.notes[note_index]
        text = " ".join(text.split())
        if self.project is not None:
            marker = self.project.edit_marker_text(interview_id, marker, text)
        else:
            marker = replace(marker, text=text)
        notes = list(old.notes)
        notes[note_index] = marker
        new = replace(old, notes=tuple(notes))
        self.corpus.replace_interview(new)
        return new

    # --- codes ------------------------------------------------------------------

    def code_passage(
        self,
        interview_id: str,
        index: int,
        code_name: str,
        char_start: int = 0,
        char_end: int | None = None,
    ) -> CodedSpan:
        """Code (part of) a passage with a code, creating the code if it is new."""
        passage = self.corpus.interview(interview_id).passages[index]
        code = self.codebook.add_code(code_name)
        span: CodedSpan = self.codebook.apply(code.id, interview_id, passage, char_start, char_end)
        self._save_codebook()
        return span

    def add_code(self, name: str, group_id: str | None = None) -> Code:
        code: Code = self.codebook.add_code(name, group_id=group_id)
        self._save_codebook()
        return code

    def add_group(self, name: str, research_question: str | None = None) -> CodeGroup:
        group: CodeGroup = self.codebook.add_group(name, research_question=research_question)
        self._save_codebook()
        return group

    def move_code(self, code_id: str, group_id: str | None) -> None:
        self.codebook.move_code(code_id, group_id)
        self._save_codebook()

    def place_group(self, group_id: str, research_question: str | None) -> None:
        self.codebook.place_group(group_id, research_question)
        self._save_codebook()

    def set_note(self, group_id: str, text: str, participant: str | None = None) -> None:
        self.codebook.set_note(group_id, text, participant)
        self._save_codebook()

    # --- names ----------------------------------------------------------------------

    def add_redaction(self, name: str, placeholder: str = "") -> Redaction:
        """Redact a name in this session's exports (the caller saves it in the project)."""
        name = " ".join(name.split())
        if not name:
            raise StoreError("Type the name to redact.")
        redaction = Redaction(name, placeholder.strip() or DEFAULT_PLACEHOLDER)
        self.corpus.redactions = [r for r in self.corpus.redactions if r.name != name]
        self.corpus.redactions.append(redaction)
        return redaction

    def dismiss_name(self, word: str) -> None:
        """The researcher decided this capitalised word is not a name."""
        if word.casefold() not in {w.casefold() for w in self.codebook.not_names}:
            self.codebook.not_names.append(word)
        self._save_codebook()

    # --- exports ----------------------------------------------------------------

    def export(
        self, fmt: str, out: Path | None = None, participant: str | None = None
    ) -> list[Path]:
        return export_corpus(self.corpus, fmt, out, participant=participant)
