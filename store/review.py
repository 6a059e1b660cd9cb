"""A review session: the corpus being reviewed, with every change saved at once.

The review screens call this, never the documents directly: each edit
(retag, speaker, split, merge, edit text, code, group, condensation) changes the
in-memory corpus and is written through the project's public API (passages)
or to ``codebook.json`` (everything else) before the call returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guide.transcript import Passage
from kvale_errors import StoreError
from kvale_i18n import N_
from store import editing
from store.analysis import question_of
from store.askings import corpus_askings
from store.codebook import Code, Codebook, CodedSpan, CodeGroup
from store.corpus import Corpus, ReviewInterview, corpus_from_project
from store.editing import find_words
from store.exports import export_corpus
from store.history import History, Snapshot
from store.redaction import DEFAULT_PLACEHOLDER, Redaction
from store.review_speakers import SpeakerEdits

if TYPE_CHECKING:
    from guide.model import Guide
    from store.model import Interview

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    """One coded segment, for a code's list of segments.

    Attributes:
        span: the coded span.
        interview_id, participant: where it is (the participant with their number in a
            couple or group interview, "I3-2": `ReviewInterview.participant_label`).
        passage_index: its passage in the interview (None when detached).
        time: the passage's start, seconds.
        text: the coded words.
        detached: the text changed under it (the span is kept, found nowhere).
    """

    span: CodedSpan
    interview_id: str
    participant: str
    passage_index: int | None
    time: float
    text: str
    detached: bool = False


class ReviewSession(SpeakerEdits):
    """The corpus under review and where to save it."""

    def __init__(self, corpus: Corpus, project: Any = None) -> None:
        self.corpus = corpus
        self.project = project
        self.history = History()
        #: passages whose question changed to follow the last `retag` (besides its own)
        self.followed = 0
        #: passages whose speaker the last `set_interviewer_voice` changed
        self.respoken = 0

    @classmethod
    def open(cls, project: Any) -> ReviewSession:
        """Read every interview of a project and its codebook."""
        return cls(corpus_from_project(project), project)

    @property
    def codebook(self) -> Any:
        return self.corpus.codebook

    # --- saving -----------------------------------------------------------------

    def _checkpoint(self, label: str, interview_id: str | None = None) -> None:
        """Remember the state before a change, for `undo`."""
        self.history.record(self._snapshot(label, interview_id))

    def _snapshot(self, label: str, interview_id: str | None) -> Snapshot:
        passages = (
            tuple(self.corpus.interview(interview_id).passages)
            if interview_id is not None
            else None
        )
        return Snapshot(label, interview_id, passages, self.codebook.to_dict())

    def _restore(self, snapshot: Snapshot) -> None:
        if snapshot.interview_id is not None and snapshot.passages is not None:
            self._set_passages(snapshot.interview_id, list(snapshot.passages))
        book = Codebook.from_dict(snapshot.codebook)
        current = self.corpus.codebook
        current.codes, current.groups, current.spans = book.codes, book.groups, book.spans
        current.notes, current.not_names = book.notes, book.not_names
        self._save_codebook()

    def undo(self) -> Snapshot | None:
        """Put back the state before the last change (saved at once); None: nothing to undo.

        Returns the snapshot undone (its ``label`` says what the change was).
        """
        step = self.history.pop_undo()
        if step is None:
            return None
        self.history.push_redo(self._snapshot(step.label, step.interview_id))
        self._restore(step)
        return step

    def redo(self) -> Snapshot | None:
        """Make the last undone change again; None: nothing to redo."""
        step = self.history.pop_redo()
        if step is None:
            return None
        self.history.push_undo(self._snapshot(step.label, step.interview_id))
        self._restore(step)
        return step

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
        """Tag passage ``index`` with ``question_id`` by hand; then every passage after it
        not tagged by hand (and its asking, just before it; or, for "No question" before
        the first question, the small talk before it) is tagged again with the manual
        tags as fixed points, so those the same misreading set wrong follow
        (`guide.tagging.follow_manual`; only where the project holds the transcript).
        ``self.followed`` is how many other passages changed question. One undo step
        takes back both."""
        self.followed = 0
        self._checkpoint(N_("retag"), interview_id)
        old = list(self.corpus.interview(interview_id).passages)
        passages = editing.retag(old, index, question_id)
        passages = self._follow(interview_id, passages, index)
        self.followed = sum(
            i != index and question_of(a) != question_of(b)
            for i, (a, b) in enumerate(zip(old, passages, strict=True))
        )
        return self._set_passages(interview_id, passages)

    def _follow(self, interview_id: str, passages: list[Passage], index: int) -> list[Passage]:
        from guide.tagging import follow_manual

        found = self._transcript(interview_id)
        if found is None:  # the manual tag stands; the rest stay as they were
            return passages
        guide, stored = found
        return follow_manual(
            guide,
            stored.segments,
            stored.markers,
            passages,
            language=stored.language,
            start=index,
            askings=corpus_askings(self.corpus, guide, exclude=interview_id),
        )

    def _transcript(self, interview_id: str) -> tuple[Guide, Interview] | None:
        """The interview's guide and the stored interview (its transcript and presses);
        None where the project holds no transcript (a corpus alone, a damaged file)."""
        guide = self.corpus.guide_of(self.corpus.interview(interview_id))
        if self.project is None or guide is None:
            return None
        try:
            return guide, self.project.interview(interview_id)
        except StoreError as exc:
            log.warning("the transcript of an interview cannot be read: %s", exc)
            return None

    def edit_text(self, interview_id: str, index: int, text: str) -> ReviewInterview:
        self._checkpoint(N_("text edit"), interview_id)
        passages = list(self.corpus.interview(interview_id).passages)
        new = editing.edit_text(passages, index, text, self.codebook, interview_id)
        result = self._set_passages(interview_id, new)
        self._save_codebook()
        return result

    def split(self, interview_id: str, index: int, at_char: int) -> ReviewInterview:
        self._checkpoint(N_("split"), interview_id)
        passages = list(self.corpus.interview(interview_id).passages)
        new = editing.split(passages, index, at_char, self.codebook, interview_id)
        result = self._set_passages(interview_id, new)
        self._save_codebook()
        return result

    def merge(self, interview_id: str, index: int) -> ReviewInterview:
        self._checkpoint(N_("merge"), interview_id)
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
        self._checkpoint(N_("coding"))
        code = self.codebook.add_code(code_name)
        span: CodedSpan = self.codebook.apply(code.id, interview_id, passage, char_start, char_end)
        self._save_codebook()
        return span

    def code_words(self, interview_id: str, index: int, code_name: str, words: str) -> CodedSpan:
        """Code the words ``words`` of a passage (their first occurrence, whatever the case
        and spacing); empty ``words``: the whole passage.

        Raises:
            StoreError: those words are not in the passage.
        """
        text = self.corpus.interview(interview_id).passages[index].text
        wanted = " ".join(words.split())
        if not wanted:
            return self.code_passage(interview_id, index, code_name)
        start, end = find_words(text, wanted)
        return self.code_passage(interview_id, index, code_name, start, end)

    def rename_code(self, code_id: str, name: str) -> Code:
        """Give a code a new name (its spans stay).

        Raises:
            StoreError: the name is empty or another code has it (merge them instead).
        """
        self._checkpoint(N_("rename code"))
        code: Code = self.codebook.rename_code(code_id, name)
        self._save_codebook()
        return code

    def merge_codes(self, code_id: str, into_id: str) -> Code:
        """Merge a code into another: its spans move there, the code goes."""
        self._checkpoint(N_("merge codes"))
        code: Code = self.codebook.merge_code(code_id, into_id)
        self._save_codebook()
        return code

    def delete_code(self, code_id: str) -> None:
        """Delete a code and every span coded with it (undo brings them back)."""
        self._checkpoint(N_("delete code"))
        self.codebook.delete_code(code_id)
        self._save_codebook()

    def delete_group(self, group_id: str) -> None:
        """Delete a code group: its codes stay, ungrouped; its condensations go."""
        self._checkpoint(N_("delete group"))
        self.codebook.delete_group(group_id)
        self._save_codebook()

    def uncode(self, span_id: str) -> None:
        """Remove one coded span (a code from a passage, or from a few words of it)."""
        if not any(s.id == span_id for s in self.codebook.spans):
            raise StoreError.said(
                N_("That coding is not there any more; nothing was removed."),
                title=N_("Coding already gone"),
            )
        self._checkpoint(N_("remove code"))
        self.codebook.unapply(span_id)
        self._save_codebook()

    def detached(self, interview_id: str) -> list[CodedSpan]:
        """The interview's coded spans whose words are no longer in their passage (an edit
        changed them): kept in the codebook, placed in no export."""
        passages = self.corpus.interview(interview_id).passages
        return list(self.codebook.resolve(interview_id, passages)[1])

    def segments(self, code_id: str) -> list[Segment]:
        """Every segment coded with a code, across the interviews, in interview order.

        Spans whose text is no longer in their passage come last, marked ``detached``.
        """
        self.codebook.code(code_id)
        out: list[Segment] = []
        lost: list[Segment] = []
        for interview in self.corpus.interviews:
            found, detached = self.codebook.resolve(interview.id, interview.passages)
            for span, index in sorted(found, key=lambda f: (f[1], f[0].char_start)):
                if span.code_id == code_id:
                    p = interview.passages[index]
                    # (in a couple or group interview, which participant: "I3-2")
                    who = interview.participant_label(p)
                    out.append(Segment(span, interview.id, who, index, p.start, span.text))
            for span in detached:
                if span.code_id == code_id:
                    lost.append(
                        Segment(
                            span,
                            interview.id,
                            interview.participant,
                            None,
                            span.passage_start,
                            span.text,
                            True,
                        )
                    )
        return out + lost

    def add_code(self, name: str, group_id: str | None = None) -> Code:
        self._checkpoint(N_("new code"))
        code: Code = self.codebook.add_code(name, group_id=group_id)
        self._save_codebook()
        return code

    def add_group(self, name: str, research_question: str | None = None) -> CodeGroup:
        self._checkpoint(N_("new group"))
        group: CodeGroup = self.codebook.add_group(name, research_question=research_question)
        self._save_codebook()
        return group

    def move_code(self, code_id: str, group_id: str | None) -> None:
        self._checkpoint(N_("move code"))
        self.codebook.move_code(code_id, group_id)
        self._save_codebook()

    def place_group(self, group_id: str, research_question: str | None) -> None:
        self._checkpoint(N_("place group"))
        self.codebook.place_group(group_id, research_question)
        self._save_codebook()

    def set_note(self, group_id: str, text: str, participant: str | None = None) -> None:
        self._checkpoint(N_("condensation"))
        self.codebook.set_note(group_id, text, participant)
        self._save_codebook()

    # --- names ----------------------------------------------------------------------

    def add_redaction(self, name: str, placeholder: str = "") -> Redaction:
        """Redact a name in this session's exports (the caller saves it in the project)."""
        name = " ".join(name.split())
        if not name:
            raise StoreError.said(N_("Type the name to redact."), title=N_("No name given"))
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
