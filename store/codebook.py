"""The researcher's codebook: codes, code groups, coded spans, condensation notes.

The thesis worked inductively (chapter 3.6): codes on passages, codes sorted
into groups, groups placed under the research questions, then a condensed
text per participant per group and per group overall. This module keeps all
of that in one document of its own, ``codebook.json`` in the project folder,
written atomically (temporary file, fsync, rename) with a schema version.

A coded span is anchored to an interview by the start time of the passage it
lies in plus character offsets inside that passage's text, and keeps the
quoted text: retagging never moves it, splitting and merging passages remap
it (`store.editing`), and a span whose text changed under it is reported as
detached rather than dropped.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from guide.transcript import Passage
from kvale_errors import N_, StoreError
from store import crypto
from store.codes import Code, CodedSpan, CodeGroup
from store.storage import atomic_write

NAME_NEEDED = N_("A code needs a name: type a word or two that says what it is.")

__all__ = ["Code", "CodeGroup", "Codebook", "CodedSpan", "purge_participant"]

log = logging.getLogger(__name__)

FILENAME = "codebook.json"
SCHEMA_VERSION = 1
ANCHOR_TOLERANCE = 0.0005  # seconds: passage start times match within half a millisecond


@dataclass
class Codebook:
    """All codes, groups, coded spans and condensation notes of a project."""

    codes: list[Code] = field(default_factory=list)
    groups: list[CodeGroup] = field(default_factory=list)
    spans: list[CodedSpan] = field(default_factory=list)
    # condensation notes: key "<group id>" for the group overall,
    # "<group id>|<participant>" for one participant in a group.
    notes: dict[str, str] = field(default_factory=dict)
    # capitalised words the researcher decided are not names (not flagged again)
    not_names: list[str] = field(default_factory=list)

    # --- codes and groups -------------------------------------------------------

    def code(self, code_id: str) -> Code:
        for c in self.codes:
            if c.id == code_id:
                return c
        raise KeyError(code_id)

    def code_named(self, name: str) -> Code | None:
        wanted = name.strip().casefold()
        return next((c for c in self.codes if c.name.casefold() == wanted), None)

    def group(self, group_id: str) -> CodeGroup:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def add_code(self, name: str, *, description: str = "", group_id: str | None = None) -> Code:
        """Create a code; an existing code of the same name is returned instead."""
        name = " ".join(name.split())
        if not name:
            raise StoreError.said(NAME_NEEDED)
        existing = self.code_named(name)
        if existing is not None:
            return existing
        if group_id is not None:
            self.group(group_id)
        code = Code(new_id(), name, description, group_id)
        self.codes.append(code)
        return code

    def rename_code(self, code_id: str, name: str) -> Code:
        name = " ".join(name.split())
        if not name:
            raise StoreError.said(NAME_NEEDED)
        other = self.code_named(name)
        if other is not None and other.id != code_id:
            raise StoreError.said(
                N_("There is already a code called '{name}'. Pick another name."), name=other.name
            )
        new = replace(self.code(code_id), name=name)
        self.codes = [new if c.id == code_id else c for c in self.codes]
        return new

    def delete_code(self, code_id: str) -> None:
        """Delete a code and every span coded with it."""
        self.code(code_id)
        self.codes = [c for c in self.codes if c.id != code_id]
        self.spans = [s for s in self.spans if s.code_id != code_id]

    def merge_code(self, code_id: str, into_id: str) -> Code:
        """Merge a code into another: its spans are recoded with ``into_id`` (a span both
        codes had on the same words is kept once) and the code is deleted. Returns the
        code merged into.

        Raises:
            StoreError: the two are the same code.
            KeyError: either code does not exist.
        """
        into = self.code(into_id)
        self.code(code_id)
        if code_id == into_id:
            raise StoreError.said(N_("A code cannot be merged into itself: pick another code."))
        seen = {
            (s.interview_id, round(s.passage_start, 3), s.char_start, s.char_end)
            for s in self.spans
            if s.code_id == into_id
        }
        spans = []
        for s in self.spans:
            if s.code_id == code_id:
                key = (s.interview_id, round(s.passage_start, 3), s.char_start, s.char_end)
                if key in seen:
                    continue
                seen.add(key)
                s = replace(s, code_id=into_id)
            spans.append(s)
        self.spans = spans
        self.codes = [c for c in self.codes if c.id != code_id]
        return into

    def add_group(self, name: str, *, research_question: str | None = None) -> CodeGroup:
        name = " ".join(name.split())
        if not name:
            raise StoreError.said(N_("A code group needs a name."))
        for g in self.groups:
            if g.name.casefold() == name.casefold():
                return g
        group = CodeGroup(new_id(), name, research_question or None)
        self.groups.append(group)
        return group

    def place_group(self, group_id: str, research_question: str | None) -> CodeGroup:
        """Put a group under a research question (None: under none)."""
        new = replace(self.group(group_id), research_question=research_question or None)
        self.groups = [new if g.id == group_id else g for g in self.groups]
        return new

    def delete_group(self, group_id: str) -> None:
        """Delete a group; its codes stay, ungrouped; its condensation notes go."""
        self.group(group_id)
        self.groups = [g for g in self.groups if g.id != group_id]
        self.codes = [
            replace(c, group_id=None) if c.group_id == group_id else c for c in self.codes
        ]
        self.notes = {k: v for k, v in self.notes.items() if k.split("|")[0] != group_id}

    def move_code(self, code_id: str, group_id: str | None) -> Code:
        if group_id is not None:
            self.group(group_id)
        new = replace(self.code(code_id), group_id=group_id)
        self.codes = [new if c.id == code_id else c for c in self.codes]
        return new

    def codes_in(self, group_id: str | None) -> list[Code]:
        return [c for c in self.codes if c.group_id == group_id]

    # --- coded spans ------------------------------------------------------------

    def apply(
        self,
        code_id: str,
        interview_id: str,
        passage: Passage,
        char_start: int = 0,
        char_end: int | None = None,
    ) -> CodedSpan:
        """Code characters [char_start, char_end) of a passage (default: all of it)."""
        self.code(code_id)
        end = len(passage.text) if char_end is None else char_end
        if not 0 <= char_start < end <= len(passage.text):
            raise StoreError.said(
                N_(
                    "The selection {start}–{end} is outside the passage ({length} characters). "
                    "Select some text of the passage."
                ),
                start=char_start,
                end=end,
                length=len(passage.text),
            )
        for s in self.spans:
            if (
                s.code_id == code_id
                and s.interview_id == interview_id
                and abs(s.passage_start - passage.start) <= ANCHOR_TOLERANCE
                and (s.char_start, s.char_end) == (char_start, end)
            ):
                return s
        span = CodedSpan(
            new_id(),
            code_id,
            interview_id,
            passage.start,
            char_start,
            end,
            passage.text[char_start:end],
        )
        self.spans.append(span)
        return span

    def unapply(self, span_id: str) -> None:
        self.spans = [s for s in self.spans if s.id != span_id]

    def spans_of(self, interview_id: str) -> list[CodedSpan]:
        return [s for s in self.spans if s.interview_id == interview_id]

    def spans_on(self, interview_id: str, passage: Passage) -> list[CodedSpan]:
        """Coded spans anchored on this passage."""
        return [
            s
            for s in self.spans
            if s.interview_id == interview_id
            and abs(s.passage_start - passage.start) <= ANCHOR_TOLERANCE
        ]

    def resolve(
        self, interview_id: str, passages: tuple[Passage, ...] | list[Passage]
    ) -> tuple[list[tuple[CodedSpan, int]], list[CodedSpan]]:
        """Place an interview's spans on its passages.

        Returns:
            (span, passage index) for every span found, with offsets corrected
            when the quoted text moved inside its passage; and the detached
            spans whose quoted text is no longer there.
        """
        found: list[tuple[CodedSpan, int]] = []
        detached: list[CodedSpan] = []
        starts = [p.start for p in passages]
        for s in self.spans_of(interview_id):
            index = _find_anchor(starts, s.passage_start)
            if index is not None:
                text = passages[index].text
                if text[s.char_start : s.char_end] == s.text:
                    found.append((s, index))
                    continue
                pos = text.find(s.text) if s.text else -1
                if pos >= 0:
                    found.append((replace(s, char_start=pos, char_end=pos + len(s.text)), index))
                    continue
            detached.append(s)
        return found, detached

    def remove_interview(self, interview_id: str) -> None:
        """Forget every span and participant note of an interview (withdrawal)."""
        self.spans = [s for s in self.spans if s.interview_id != interview_id]

    def remove_participant_notes(self, participant: str) -> None:
        self.notes = {k: v for k, v in self.notes.items() if not k.endswith(f"|{participant}")}

    # --- condensation -----------------------------------------------------------

    def set_note(self, group_id: str, text: str, participant: str | None = None) -> None:
        """The condensed text of a group overall, or of one participant in it."""
        self.group(group_id)
        key = group_id if participant is None else f"{group_id}|{participant}"
        if text.strip():
            self.notes[key] = text.strip()
        else:
            self.notes.pop(key, None)

    def note(self, group_id: str, participant: str | None = None) -> str:
        key = group_id if participant is None else f"{group_id}|{participant}"
        return self.notes.get(key, "")

    # --- persistence ------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "codes": [asdict(c) for c in self.codes],
            "groups": [asdict(g) for g in self.groups],
            "spans": [asdict(s) for s in self.spans],
            "notes": dict(self.notes),
            "not_names": list(self.not_names),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Codebook:
        version = raw.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreError.said(
                N_(
                    "The codebook was written by a newer kvale (schema {version}). Update kvale "
                    "to open it."
                ),
                version=version,
            )
        return cls(
            codes=[Code(**c) for c in raw.get("codes", [])],
            groups=[CodeGroup(**g) for g in raw.get("groups", [])],
            spans=[CodedSpan(**s) for s in raw.get("spans", [])],
            notes={str(k): str(v) for k, v in raw.get("notes", {}).items()},
            not_names=[str(w) for w in raw.get("not_names", [])],
        )

    @classmethod
    def load(cls, project_dir: Path) -> Codebook:
        """The project's codebook; an empty one if it has none yet."""
        path = Path(project_dir) / FILENAME
        if not path.exists():
            return cls()
        try:
            blob = path.read_bytes()
            cipher = crypto.cipher_for(project_dir)
            if cipher is not None:
                blob = cipher.open(blob, str(path))
            raw = json.loads(blob.decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            return cls.from_dict(raw)
        except StoreError:
            raise
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise StoreError.said(
                N_(
                    "The codebook {path} is damaged ({problem}). Restore it from a backup, or move "
                    "it away to start an empty codebook; the transcripts are not affected."
                ),
                path=path,
                problem=exc,
            ) from exc

    def save(self, project_dir: Path) -> Path:
        """Write ``codebook.json`` atomically (the store's `atomic_write`); returns its path.

        Raises:
            StoreError: the folder is missing or not writable, or the disk is full; the
                previous codebook is intact.
        """
        path = Path(project_dir) / FILENAME
        if not path.parent.is_dir():
            raise StoreError.said(
                N_(
                    "The codebook could not be saved: the project folder {folder} is not there. "
                    "Check that the project's disk is connected."
                ),
                folder=path.parent,
            )
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        cipher = crypto.cipher_for(project_dir)
        atomic_write(path, text if cipher is None else cipher.seal(text.encode("utf-8")))
        log.debug("saved codebook: %d codes, %d spans", len(self.codes), len(self.spans))
        return path


def new_id() -> str:
    """A new id for a code, a code group or a coded span (12 hex digits)."""
    return uuid.uuid4().hex[:12]


def _find_anchor(starts: list[float], t: float) -> int | None:
    for i, s in enumerate(starts):
        if abs(s - t) <= ANCHOR_TOLERANCE:
            return i
    return None


def purge_participant(project_dir: Path, participant: str, interview_ids: list[str]) -> int:
    """Remove a withdrawn participant from the codebook: their spans and notes.

    For `store.lifecycle` to call when a participant is purged. Codes and
    groups stay (they are the researcher's, not the participant's), but every
    quoted span and condensation note of theirs goes. Returns how many items
    were removed; does nothing when the project has no codebook.
    """
    if not (Path(project_dir) / FILENAME).exists():
        return 0
    book = Codebook.load(project_dir)
    before = len(book.spans) + len(book.notes)
    for iid in interview_ids:
        book.remove_interview(iid)
    book.remove_participant_notes(participant)
    removed = before - len(book.spans) - len(book.notes)
    if removed:
        book.save(project_dir)
    return removed
