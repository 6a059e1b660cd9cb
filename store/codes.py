"""The codebook's records: a code, a code group, and a span of transcript coded with a
code (`store.codebook` keeps them in one document)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """A code the researcher created (inductively, from the material)."""

    id: str
    name: str
    description: str = ""
    group_id: str | None = None


@dataclass(frozen=True)
class CodeGroup:
    """A group of codes ("the same things"), optionally under a research question."""

    id: str
    name: str
    research_question: str | None = None  # "RQ1"
    description: str = ""


@dataclass(frozen=True)
class CodedSpan:
    """A code applied to characters [char_start, char_end) of one passage."""

    id: str
    code_id: str
    interview_id: str
    passage_start: float  # start time of the passage (its anchor)
    char_start: int
    char_end: int
    text: str  # the quoted text, to detect edits under it
